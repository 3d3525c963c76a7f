package dev.thinj.benchmarks.nd4j;

import java.util.SplittableRandom;

/**
 * The host values both sides of the kernel race start from: a copy of {@code KernelBenchmark.Operands}
 * in module {@code benchmarks} (this module cannot depend on thinj's, whose JavaCPP differs). The
 * tests of both modules pin the same checksums, so the two copies cannot drift apart unnoticed.
 *
 * @param x (batch, width) uniform in [-1, 1)
 * @param xTransposed x transposed, (width, batch)
 * @param dy (batch, width) uniform in [-1, 1)
 * @param w (width, width) uniform in [-1, 1)
 * @param bias width values uniform in [-1, 1)
 * @param gain width values uniform in [0.5, 1.5)
 * @param oneHot (batch, width), row i one-hot at a uniform class
 * @param secondMoment (batch, width) uniform in [0.01, 1.01)
 */
record Operands(float[] x, float[] xTransposed, float[] dy, float[] w, float[] bias, float[] gain,
        float[] oneHot, float[] secondMoment) {

    static Operands make(int batch, int width) {
        SplittableRandom r = new SplittableRandom(42);
        float[] x = uniform(r, batch * width);
        float[] xT = new float[x.length];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < width; j++) {
                xT[j * batch + i] = x[i * width + j];
            }
        }
        float[] dy = uniform(r, batch * width);
        float[] w = uniform(r, width * width);
        float[] bias = uniform(r, width);
        float[] gain = uniform(r, width);
        for (int j = 0; j < width; j++) {
            gain[j] = 1f + gain[j] / 2;
        }
        float[] oneHot = new float[batch * width];
        for (int i = 0; i < batch; i++) {
            oneHot[i * width + r.nextInt(width)] = 1f;
        }
        float[] second = uniform(r, batch * width);
        for (int i = 0; i < second.length; i++) {
            second[i] = Math.abs(second[i]) + 0.01f;
        }
        return new Operands(x, xT, dy, w, bias, gain, oneHot, second);
    }

    /**
     * @param random the generator
     * @param size how many values
     * @return values uniform in [-1, 1), as {@code GemmBenchmark.uniform} in module {@code benchmarks}
     */
    static float[] uniform(SplittableRandom random, int size) {
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return data;
    }
}
