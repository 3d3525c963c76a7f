package dev.thinj.model.layers;

import dev.thinj.model.Backprop;
import dev.thinj.model.Model;
import dev.thinj.model.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thinc's {@code chain}: feeds each layer's output into the next; the backward pass runs the
 * callbacks in reverse. Initialisation walks the layers with the sample input, passing the sample
 * output to layers whose {@code nO} is still unset.
 */
public final class Chain {
    private Chain() {
    }

    /**
     * @param first the first layer
     * @param second the layer fed by the first
     * @param <A> the input type
     * @param <B> the intermediate type
     * @param <C> the output type
     * @return {@code first >> second}
     */
    public static <A, B, C> Model<A, C> of(Model<A, B> first, Model<B, C> second) {
        return ofAny(List.of(first, second));
    }

    /**
     * @param layers layers of one type in and out, such as {@code Model<FloatArray, FloatArray>}
     * @param <T> that type
     * @return the chain
     */
    @SafeVarargs
    public static <T> Model<T, T> of(Model<T, T>... layers) {
        return ofAny(List.of(layers));
    }

    /**
     * The untyped form, for configs and combinators that build chains from lists. The caller vouches
     * that each layer's output type is the next one's input type.
     *
     * @param layers at least one layer
     * @param <A> the chain's input type
     * @param <C> the chain's output type
     * @return the chain
     */
    public static <A, C> Model<A, C> ofAny(List<? extends Model<?, ?>> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("chain: needs at least one layer");
        }
        String name = layers.stream().map(Model::name).collect(Collectors.joining(">>"));
        Model.Builder<A, C> b = Model.<A, C>define(name, Chain::forward)
                .init(Chain::init)
                .dim("nO", null)
                .dim("nI", null)
                .layers(layers);
        return b.build();
    }

    static <A, C> Result<A, C> forward(Model<A, C> model, A x, boolean isTrain) {
        List<Model<Object, Object>> layers = untyped(model.layers());
        List<Backprop<Object, Object>> callbacks = new ArrayList<>(layers.size());
        Object current = x;
        for (Model<Object, Object> layer : layers) {
            Result<Object, Object> r = layer.apply(current, isTrain);
            callbacks.add(r.backprop());
            current = r.output();
        }
        return new Result<>(cast(current), Backprop.skippable((dY, wantInput) -> {
            Object d = dY;
            for (int i = callbacks.size() - 1; i > 0; i--) {
                d = callbacks.get(i).apply(d);
            }
            if (!wantInput) {
                callbacks.get(0).paramsOnly(d);  // the first layer's input gradient is nobody's
                return null;
            }
            return cast(callbacks.get(0).apply(d));
        }));
    }

    static <A, C> void init(Model<A, C> model, A x, C y) {
        List<Model<Object, Object>> layers = untyped(model.layers());
        Object current = x;
        for (Model<Object, Object> layer : layers) {
            boolean nOUnset = layer.dimNames().contains("nO") && !layer.hasDim("nO");
            layer.initialize(current, nOUnset ? y : null);
            if (current != null) {
                current = layer.predict(current);
            }
        }
        Model<?, ?> first = layers.get(0);
        Model<?, ?> last = layers.get(layers.size() - 1);
        if (first.hasDim("nI")) {
            model.setDim("nI", first.getDim("nI"));
        }
        if (last.hasDim("nO")) {
            model.setDim("nO", last.getDim("nO"));
        }
    }

    /**
     * The layers as functions of {@code Object}: values pass between them untyped, which is sound
     * because {@link #of} (by its types) or the caller of {@link #ofAny} vouched that each layer's
     * output type is the next one's input type.
     */
    @SuppressWarnings("unchecked")
    private static List<Model<Object, Object>> untyped(List<Model<?, ?>> layers) {
        return (List<Model<Object, Object>>) (List<?>) layers;
    }

    /** The chain's input or output, typed again (see {@link #untyped}). */
    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
