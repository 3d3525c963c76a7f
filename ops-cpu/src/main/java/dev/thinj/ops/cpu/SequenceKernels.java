package dev.thinj.ops.cpu;

import dev.thinj.ops.ShapeException;

/**
 * Thinc's sequence reductions on row-major heap arrays: rows of consecutive sequences reduce to one
 * row each. Validation mirrors Thinc's errors (negative lengths, lengths running past the rows).
 */
final class SequenceKernels {
    private SequenceKernels() {
    }

    /** Checks lengths as Thinc does and returns their sum. */
    static int checkLengths(String kernel, int[] lengths, int rows, boolean allowEmpty) {
        long total = 0;
        for (int len : lengths) {
            if (len < 0 || (!allowEmpty && len == 0)) {
                throw new ShapeException(kernel + ": all sequence lengths must be " + (allowEmpty ? ">= 0" : "> 0")
                        + ", got " + len);
            }
            total += len;
        }
        if (rows >= 0 && total > rows) {
            throw new ShapeException(kernel + ": lengths sum to " + total + ", more than the " + rows + " rows of X");
        }
        return (int) total;
    }

    static void reduceSum(float[] x, int[] lengths, float[] y, int n, boolean mean) {
        int start = 0;
        for (int s = 0; s < lengths.length; s++) {
            int len = lengths[s];
            int o = s * n;
            for (int r = start; r < start + len; r++) {
                for (int j = 0; j < n; j++) {
                    y[o + j] += x[r * n + j];
                }
            }
            if (mean && len > 0) {
                float inv = 1f / len;
                for (int j = 0; j < n; j++) {
                    y[o + j] *= inv;
                }
            }
            start += len;
        }
    }

    static void backpropReduceSum(float[] dY, int[] lengths, float[] dX, int n, boolean mean) {
        int start = 0;
        for (int s = 0; s < lengths.length; s++) {
            int len = lengths[s];
            for (int r = start; r < start + len; r++) {
                for (int j = 0; j < n; j++) {
                    dX[r * n + j] = mean ? dY[s * n + j] / len : dY[s * n + j];
                }
            }
            start += len;
        }
    }

    static void reduceMax(float[] x, int[] lengths, float[] y, int[] which, int n) {
        int start = 0;
        for (int s = 0; s < lengths.length; s++) {
            int len = lengths[s];
            int o = s * n;
            for (int j = 0; j < n; j++) {
                y[o + j] = x[start * n + j];
                which[o + j] = 0;
            }
            for (int r = 1; r < len; r++) {
                for (int j = 0; j < n; j++) {
                    float v = x[(start + r) * n + j];
                    if (v > y[o + j]) {
                        y[o + j] = v;
                        which[o + j] = r;
                    }
                }
            }
            start += len;
        }
    }

    static void backpropReduceMax(float[] dY, int[] which, int[] lengths, float[] dX, int n) {
        int start = 0;
        for (int s = 0; s < lengths.length; s++) {
            int len = lengths[s];
            for (int j = 0; j < n; j++) {
                int w = which[s * n + j];
                if (w < 0 || w >= len) {
                    throw new ShapeException("backpropReduceMax: which[" + s + ", " + j + "] = " + w
                            + " is outside its sequence of length " + len);
                }
                dX[(start + w) * n + j] = dY[s * n + j];
            }
            start += len;
        }
    }
}
