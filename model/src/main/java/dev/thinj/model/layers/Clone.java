package dev.thinj.model.layers;

import dev.thinj.model.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * Thinc's {@code clone}: {@code n} copies of a layer chained together, each with its own weights:
 * {@code clone(f, 3)(x) = f''(f'(f(x)))}. Copies get fresh seeds, so layers initialised after cloning
 * differ; a layer already initialised is copied with its weights.
 */
public final class Clone {
    private Clone() {
    }

    /**
     * @param orig the layer to copy
     * @param n how many copies, at least 1 (a single copy is {@code orig} itself, as Thinc)
     * @param <T> its input and output type
     * @return the chain of copies
     */
    public static <T> Model<T, T> of(Model<T, T> orig, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("clone: n must be at least 1, got " + n);
        }
        if (n == 1) {
            return orig;
        }
        List<Model<?, ?>> layers = new ArrayList<>();
        layers.add(orig);
        for (int i = 1; i < n; i++) {
            layers.add(orig.copy(true));
        }
        return Chain.ofAny(layers);
    }
}
