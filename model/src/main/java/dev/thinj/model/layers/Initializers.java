package dev.thinj.model.layers;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.Shapes;
import java.util.SplittableRandom;

/**
 * Weight initialisers with Thinc's definitions. Values are drawn on the host from a seeded generator
 * and uploaded once, so a seed gives the same weights on every backend.
 */
public final class Initializers {
    private Initializers() {
    }

    /**
     * Thinc's {@code glorot_uniform_init}: uniform in {@code [-s, s]} with
     * {@code s = sqrt(6 / (shape[0] + shape[1]))}.
     *
     * @param ops the backend to allocate on
     * @param seed the generator's seed
     * @param shape at least 2-d; its first two dims set the scale
     * @return the new weights
     */
    public static FloatArray glorotUniform(Ops ops, long seed, int... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("glorotUniform: need a shape of rank >= 2, got " + Shapes.format(shape));
        }
        double scale = Math.sqrt(6.0 / (shape[0] + shape[1]));
        return uniform(ops, seed, -scale, scale, shape);
    }

    /**
     * @param ops the backend to allocate on
     * @param seed the generator's seed
     * @param low inclusive lower bound
     * @param high exclusive upper bound
     * @param shape the shape
     * @return uniformly distributed values
     */
    public static FloatArray uniform(Ops ops, long seed, double low, double high, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Shapes.checkedSize("uniform", shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (low + (high - low) * r.nextDouble());
        }
        return ops.asArray(v, shape);
    }

    /**
     * @param ops the backend to allocate on
     * @param seed the generator's seed
     * @param mean the distribution's mean
     * @param std its standard deviation (at least 0)
     * @param shape the shape
     * @return normally distributed values
     */
    public static FloatArray normal(Ops ops, long seed, double mean, double std, int... shape) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal: the standard deviation must be >= 0, got " + std);
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Shapes.checkedSize("normal", shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * r.nextGaussian());
        }
        return ops.asArray(v, shape);
    }

    /**
     * Thinc's {@code zero_init}.
     *
     * @param ops the backend to allocate on
     * @param shape the shape
     * @return zeros
     */
    public static FloatArray zeros(Ops ops, int... shape) {
        return ops.alloc(shape);
    }
}
