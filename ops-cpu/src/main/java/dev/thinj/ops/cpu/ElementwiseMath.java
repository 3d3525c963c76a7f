package dev.thinj.ops.cpu;

/**
 * Elementwise arithmetic over {@code [from, to)} of heap arrays. Each operation is its own counted
 * loop, which C2 vectorises; a shared per-element lambda would not be.
 */
final class ElementwiseMath {
    private ElementwiseMath() {
    }

    static void add(float[] a, float[] b, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = a[i] + b[i];
        }
    }

    static void sub(float[] a, float[] b, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = a[i] - b[i];
        }
    }

    static void mul(float[] a, float[] b, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = a[i] * b[i];
        }
    }

    static void addInPlace(float[] a, float[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] += b[i];
        }
    }

    static void mulInPlace(float[] a, float[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] *= b[i];
        }
    }

    static void scale(float[] d, float factor, int from, int to) {
        for (int i = from; i < to; i++) {
            d[i] *= factor;
        }
    }

    static void axpy(float alpha, float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] += alpha * x[i];
        }
    }

    /** {@code out = (g - t) * scale}, or {@code (g - t) * mask * scale} when a mask is given. */
    static void scaledDifference(float[] g, float[] t, float[] mask, float scale, float[] out, int from, int to) {
        if (mask == null) {
            for (int i = from; i < to; i++) {
                out[i] = (g[i] - t[i]) * scale;
            }
        } else {
            for (int i = from; i < to; i++) {
                out[i] = (g[i] - t[i]) * mask[i] * scale;
            }
        }
    }
}
