package dev.thinj.model.layers;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;

/**
 * How a layer fills a parameter when it is initialised: Thinc's {@code init_W} / {@code init_b}
 * functions ({@code glorot_uniform_init}, {@code zero_init}, ...), given the backend, a seed and the
 * shape. Affine layers ({@link Linear}, {@link Relu}, {@link Softmax}, {@link Sigmoid}, {@link Maxout})
 * take one for their weights and one for their bias; the seed comes from the layer, so a seeded model
 * initialises the same way on every backend.
 */
@FunctionalInterface
public interface WeightInit {
    /** Thinc's {@code glorot_uniform_init}: uniform in ±sqrt(6 / (shape[0] + shape[1])). */
    WeightInit GLOROT_UNIFORM = Initializers::glorotUniform;

    /** Thinc's {@code zero_init}. */
    WeightInit ZEROS = (ops, seed, shape) -> Initializers.zeros(ops, shape);

    /**
     * @param ops the backend to allocate on
     * @param seed the generator's seed
     * @param shape the parameter's shape
     * @return the new values (a fresh array the layer takes ownership of)
     */
    FloatArray init(Ops ops, long seed, int... shape);
}
