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

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <A, C> Result<A, C> forward(Model<A, C> model, A x, boolean isTrain) {
        List<Backprop> callbacks = new ArrayList<>(model.layers().size());
        Object current = x;
        for (Model layer : model.layers()) {
            Result r = layer.apply(current, isTrain);
            callbacks.add(r.backprop());
            current = r.output();
        }
        C y = (C) current;
        return new Result<>(y, dY -> {
            Object d = dY;
            for (int i = callbacks.size() - 1; i >= 0; i--) {
                d = callbacks.get(i).apply(d);
            }
            return (A) d;
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <A, C> void init(Model<A, C> model, A x, C y) {
        List<Model<?, ?>> layers = model.layers();
        Object current = x;
        for (Model layer : layers) {
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
}
