package dev.thinj.model.registry;

import dev.thinj.model.layers.Initializers;
import dev.thinj.model.layers.WeightInit;

/**
 * Thinc 8's initializers ({@code thinc/initializers.py}). Each returns a {@link WeightInit}, which a
 * layer's {@code init_W} or {@code init_b} argument takes. The scaled ones read the fan-in from
 * {@code shape[1]}, so they need a shape of rank 2 or more, as in Thinc.
 */
final class BuiltinInitializers {
    private BuiltinInitializers() {
    }

    @Registered(registry = "initializers", name = "glorot_uniform_init.v1")
    static WeightInit glorotUniform() {
        return WeightInit.GLOROT_UNIFORM;
    }

    @Registered(registry = "initializers", name = "zero_init.v1")
    static WeightInit zero() {
        return WeightInit.ZEROS;
    }

    @Registered(registry = "initializers", name = "uniform_init.v1")
    static WeightInit uniform(@Arg(value = "lo", defaultJson = "-0.1") double lo,
            @Arg(value = "hi", defaultJson = "0.1") double hi) {
        return (ops, seed, shape) -> Initializers.uniform(ops, seed, lo, hi, shape);
    }

    /**
     * As Thinc 8.1's {@code normal_init}, which draws {@code numpy.random.normal(scale=mean)}: the
     * argument named {@code mean} is the standard deviation, and the mean is 0.
     */
    @Registered(registry = "initializers", name = "normal_init.v1")
    static WeightInit normal(@Arg(value = "mean", defaultJson = "0") double mean) {
        return (ops, seed, shape) -> Initializers.normal(ops, seed, 0.0, Math.abs(mean), shape);
    }

    @Registered(registry = "initializers", name = "glorot_normal_init.v1")
    static WeightInit glorotNormal() {
        return (ops, seed, shape) -> Initializers.normal(ops, seed, 0.0,
                Math.sqrt(2.0 / (fanOut(shape) + fanIn(shape))), shape);
    }

    @Registered(registry = "initializers", name = "he_normal_init.v1")
    static WeightInit heNormal() {
        return (ops, seed, shape) -> Initializers.normal(ops, seed, 0.0, Math.sqrt(2.0 / fanIn(shape)), shape);
    }

    @Registered(registry = "initializers", name = "lecun_normal_init.v1")
    static WeightInit lecunNormal() {
        return (ops, seed, shape) -> Initializers.normal(ops, seed, 0.0, Math.sqrt(1.0 / fanIn(shape)), shape);
    }

    @Registered(registry = "initializers", name = "he_uniform_init.v1")
    static WeightInit heUniform() {
        return (ops, seed, shape) -> {
            double s = Math.sqrt(6.0 / fanIn(shape));
            return Initializers.uniform(ops, seed, -s, s, shape);
        };
    }

    @Registered(registry = "initializers", name = "lecun_uniform_init.v1")
    static WeightInit lecunUniform() {
        return (ops, seed, shape) -> {
            double s = Math.sqrt(3.0 / fanIn(shape));
            return Initializers.uniform(ops, seed, -s, s, shape);
        };
    }

    private static int fanIn(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("this initializer reads the fan-in from shape[1], so it needs a shape"
                    + " of rank >= 2, got rank " + shape.length + " (use zero_init.v1 or uniform_init.v1 for biases)");
        }
        return shape[1];
    }

    private static int fanOut(int[] shape) {
        fanIn(shape);
        return shape[0];
    }
}
