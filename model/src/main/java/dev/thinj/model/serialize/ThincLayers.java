package dev.thinj.model.serialize;

import dev.thinj.model.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;

/**
 * What Thinc 8.1's layers declare, for the layers thinj has: the dims each node declares (in Thinc's
 * order), its parameters and their shapes, and the attributes both know. Thinc's model files carry
 * no architecture, only node names in {@code walk()} order, so this is how a file's nodes are matched
 * with a thinj model's and how a thinj model is written so that Thinc reads it.
 *
 * <p>A node's name says what it is, because Thinc and thinj name composed nodes alike: a chain
 * {@code "a>>b"}, a concatenation {@code "a|b"}, a residual block {@code "residual(a)"};
 * {@code clone} is a chain of copies.
 */
final class ThincLayers {
    /** The Thinc layers (registered names) that thinj has, for errors. */
    static final String THINJ_HAS = "Linear.v1, Relu.v1, Maxout.v1, Softmax.v1, Softmax.v2, Sigmoid.v1, LayerNorm.v1,"
            + " Dropout.v1, chain.v1, concatenate.v1, residual.v1, clone.v1";

    private ThincLayers() {
    }

    /** An attribute Thinc and thinj both keep: written and read as a float or a boolean. */
    record Attr(String name, boolean isFloat, DoublePredicate valid, String range) {
    }

    /** The kinds of node thinj and Thinc share. */
    enum Kind {
        LINEAR("linear"), RELU("relu"), MAXOUT("maxout"), SOFTMAX("softmax"), SIGMOID("sigmoid"),
        LAYERNORM("layernorm"), DROPOUT("dropout"), CHAIN(null), CONCATENATE(null), RESIDUAL(null);

        /** The node name of a layer; null for a combinator, named after its layers. */
        final String leafName;

        Kind(String leafName) {
            this.leafName = leafName;
        }

        /** @return the parameter names Thinc declares, in its order */
        List<String> params() {
            return switch (this) {
                case LINEAR, RELU, MAXOUT, SOFTMAX, SIGMOID -> List.of("W", "b");
                case LAYERNORM -> List.of("G", "b");
                default -> List.of();
            };
        }

        /** @return the attributes Thinc keeps for this kind (thinj's others, such as seeds, are its own) */
        List<Attr> attrs() {
            return switch (this) {
                case DROPOUT -> List.of(new Attr("dropout_rate", true, r -> r >= 0 && r <= 1, "in [0, 1]"),
                        new Attr("is_enabled", false, null, null));
                case SOFTMAX -> List.of(new Attr("softmax_normalize", false, null, null),
                        new Attr("softmax_temperature", true, t -> t > 0 && Double.isFinite(t), "positive"));
                default -> List.of();
            };
        }

        /**
         * @param param one of {@link #params()}
         * @param dims the node's dims; a missing key is unset
         * @return the shape Thinc gives the parameter, or null if a dim it needs is unset
         */
        int[] paramShape(String param, Map<String, Integer> dims) {
            List<String> names = switch (this) {
                case MAXOUT -> param.equals("W") ? List.of("nO", "nP", "nI") : List.of("nO", "nP");
                case LAYERNORM -> List.of("nI");
                default -> param.equals("W") ? List.of("nO", "nI") : List.of("nO");
            };
            int[] shape = new int[names.size()];
            for (int i = 0; i < shape.length; i++) {
                Integer d = dims.get(names.get(i));
                if (d == null) {
                    return null;
                }
                shape[i] = d;
            }
            return shape;
        }
    }

    /**
     * @param node a thinj node
     * @return what it is in Thinc's terms, or null if Thinc has no such layer
     */
    static Kind kindOf(Model<?, ?> node) {
        List<Model<?, ?>> layers = node.layers();
        if (layers.isEmpty()) {
            for (Kind k : Kind.values()) {
                if (node.name().equals(k.leafName)) {
                    return k;
                }
            }
            return null;
        }
        if (layers.size() >= 2 && node.name().equals(join(layers, ">>"))) {
            return Kind.CHAIN;
        }
        if (layers.size() >= 2 && node.name().equals(join(layers, "|"))) {
            return Kind.CONCATENATE;
        }
        if (layers.size() == 1 && node.name().equals("residual(" + layers.get(0).name() + ")")) {
            return Kind.RESIDUAL;
        }
        return null;
    }

    private static String join(List<Model<?, ?>> layers, String separator) {
        return layers.stream().map(Model::name).collect(Collectors.joining(separator));
    }

    /**
     * The dims Thinc declares for the node, in its order: a chain declares {@code nI} only if its first
     * layer does, a concatenation only if all its layers do (thinj's declare it always).
     *
     * @param node a thinj node whose kind is not null
     * @return the dim names
     */
    static List<String> dims(Model<?, ?> node) {
        Kind kind = kindOf(node);
        return switch (kind) {
            case LINEAR, RELU, SOFTMAX, SIGMOID, RESIDUAL -> List.of("nO", "nI");
            case MAXOUT -> List.of("nO", "nI", "nP");
            case LAYERNORM -> List.of("nI", "nO");
            case DROPOUT -> List.of();
            case CHAIN -> declaresInput(node.layers().get(0)) ? List.of("nO", "nI") : List.of("nO");
            case CONCATENATE -> node.layers().stream().allMatch(ThincLayers::declaresInput) ? List.of("nO", "nI")
                    : List.of("nO");
        };
    }

    private static boolean declaresInput(Model<?, ?> node) {
        return kindOf(node) != null && dims(node).contains("nI");
    }

    /**
     * Finds, in a node name from a Thinc file, a layer thinj does not have: {@code "with_array"} in
     * {@code "with_array(maxout)"}, {@code "hashembed"} in {@code "hashembed>>relu"}.
     *
     * @param name a node name
     * @return the first unknown layer name, or null if every part is one thinj has
     */
    static String unknownLayer(String name) {
        for (String part : parts(name)) {
            boolean known = part.equals("residual");
            for (Kind k : Kind.values()) {
                known |= part.equals(k.leafName);
            }
            if (!known) {
                return part;
            }
        }
        return null;
    }

    private static List<String> parts(String name) {
        List<String> out = new ArrayList<>();
        for (String p : name.split(">>|\\||\\(|\\)", -1)) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            out.add(name.isEmpty() ? "(a node with no name)" : name);
        }
        return out;
    }
}
