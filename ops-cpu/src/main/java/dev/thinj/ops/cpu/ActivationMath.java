package dev.thinj.ops.cpu;

import dev.thinj.ops.CounterRandom;

/**
 * Elementwise activation math over {@code [from, to)} of heap arrays, Thinc's definitions. Plain
 * counted loops with no calls the JIT cannot inline, so C2 can vectorise what it is able to.
 */
final class ActivationMath {
    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private ActivationMath() {
    }

    static void relu(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    /**
     * {@code dX = y > 0 ? dY : +0}, computed on the bits without a branch: ReLU outputs are about half
     * zeros in random order, so the compare-and-branch mispredicted (1.4-2.6x slower than ND4J;
     * this form is ~4.8x faster at 128 x 2048 and gives the same bits, NaN and -0 included). {@code y}
     * is positive exactly when its bits lie in [1, 0x7F800000] (the smallest subnormal to +inf): outside
     * that, {@code (bits - 1) | (0x7F800000 - bits)} is negative and its sign spreads to a zero mask.
     */
    static void backpropRelu(float[] dY, float[] y, float[] dX, int from, int to) {
        for (int i = from; i < to; i++) {
            int yb = Float.floatToRawIntBits(y[i]);
            int outside = ((yb - 1) | (0x7F800000 - yb)) >> 31;
            dX[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dY[i]) & ~outside);
        }
    }

    /**
     * Dropout's mask over {@code [from, to)}: cell {@code i} is {@code keepBits} (the float
     * {@code 1 / (1 - rate)}) when {@code CounterRandom.uniform(seed, i) >= rate}, else +0. uniform is
     * {@code k / 2^24} for the draw's top 24 bits {@code k}, exactly, so the test is {@code k >= threshold}
     * with {@code threshold = ceil(rate * 2^24)}, in integers. Without a branch (a 20% drop rate would
     * mispredict one cell in five): k and threshold are below 2^25, so {@code (k - threshold) >> 31} is all
     * ones exactly when {@code k < threshold}, and keepBits masked by its complement is keep or +0.
     */
    static void dropoutMask(float[] m, long seed, int threshold, int keepBits, int from, int to) {
        for (int i = from; i < to; i++) {
            int k = (int) (CounterRandom.bits(seed, i) >>> 40);
            m[i] = Float.intBitsToFloat(keepBits & ~((k - threshold) >> 31));
        }
    }

    static void sigmoid(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = sigmoid(x[i]);
        }
    }

    /** Thinc clips to [-20, 20] before the exponential, for stability. */
    static float sigmoid(float x) {
        float c = Math.min(20f, Math.max(-20f, x));
        return (float) (1.0 / (1.0 + Math.exp(-c)));
    }

    static void backpropSigmoid(float[] dY, float[] y, float[] dX, int from, int to) {
        for (int i = from; i < to; i++) {
            dX[i] = dY[i] * (y[i] * (1f - y[i]));
        }
    }

    static void tanh(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }

    static void backpropTanh(float[] dY, float[] y, float[] dX, int from, int to) {
        for (int i = from; i < to; i++) {
            dX[i] = dY[i] * (1f - y[i] * y[i]);
        }
    }

    static void gelu(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            y[i] = (float) (v * gaussianCdf(v));
        }
    }

    static void backpropGelu(float[] dY, float[] x, float[] dX, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            double d = gaussianCdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
            dX[i] = (float) (dY[i] * d);
        }
    }

    static void swish(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = x[i] * sigmoid(x[i]);
        }
    }

    static void backpropSwish(float[] dY, float[] x, float[] y, float[] dX, int from, int to) {
        for (int i = from; i < to; i++) {
            float s = sigmoid(x[i]);
            dX[i] = dY[i] * (y[i] + s * (1f - y[i]));
        }
    }

    private static double gaussianCdf(double x) {
        return 0.5 * (1.0 + erf(INV_SQRT2 * x));
    }

    /** Thinc's erf: Abramowitz and Stegun 7.1.26, so GELU matches Thinc rather than the exact erf. */
    static double erf(double x) {
        double sign = Math.signum(x);
        double a = Math.abs(x);
        double t = 1.0 / (1.0 + 0.3275911 * a);
        double y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-a * a);
        return sign * y;
    }
}
