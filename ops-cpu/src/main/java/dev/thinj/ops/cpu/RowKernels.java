package dev.thinj.ops.cpu;

/**
 * Kernels that work row by row on row-major heap arrays of {@code n} columns: softmax, bias,
 * column sums, argmax, maxout and layer normalisation. Each takes a row range so callers can split
 * rows over threads.
 */
final class RowKernels {
    /** Thinc's epsilon added to the layer-norm variance. */
    static final float LAYER_NORM_EPS = 1e-8f;

    private RowKernels() {
    }

    static void softmax(float[] x, float[] y, int n, float temperature, int rowFrom, int rowTo) {
        float invT = 1f / temperature;
        boolean scale = temperature != 1f;
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float v = scale ? x[o + j] * invT : x[o + j];
                y[o + j] = v;
                max = Math.max(max, v);
            }
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                float e = (float) Math.exp(y[o + j] - max);
                y[o + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j < n; j++) {
                y[o + j] *= inv;
            }
        }
    }

    static void backpropSoftmax(float[] y, float[] dY, float[] dX, int n, float temperature, int rowFrom, int rowTo) {
        float invT = 1f / temperature;
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * n;
            float dot = 0f;
            for (int j = 0; j < n; j++) {
                float d = y[o + j] * (dY[o + j] * invT);
                dX[o + j] = d;
                dot += d;
            }
            for (int j = 0; j < n; j++) {
                dX[o + j] -= y[o + j] * dot;
            }
        }
    }

    static void addBias(float[] y, float[] b, int n, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * n;
            for (int j = 0; j < n; j++) {
                y[o + j] += b[j];
            }
        }
    }

    /** Column sums of rows {@code [rowFrom, rowTo)} added into {@code out}. */
    static void addColumnSums(float[] x, float[] out, int n, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * n;
            for (int j = 0; j < n; j++) {
                out[j] += x[o + j];
            }
        }
    }

    static void argmax(float[] x, int[] out, int n, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * n;
            int best = 0;
            float bestV = x[o];
            for (int j = 1; j < n; j++) {
                // Strictly greater: the first maximum wins ties, as NumPy's argmax.
                if (x[o + j] > bestV || (Float.isNaN(x[o + j]) && !Float.isNaN(bestV))) {
                    bestV = x[o + j];
                    best = j;
                }
            }
            out[r] = best;
        }
    }

    /** Maxout over groups of {@code pieces} consecutive values; a "row" here is one (b, o) group. */
    static void maxout(float[] x, float[] best, int[] which, int pieces, int groupFrom, int groupTo) {
        for (int g = groupFrom; g < groupTo; g++) {
            int o = g * pieces;
            int w = 0;
            float v = x[o];
            for (int p = 1; p < pieces; p++) {
                if (x[o + p] > v) {
                    v = x[o + p];
                    w = p;
                }
            }
            best[g] = v;
            which[g] = w;
        }
    }

    static void layerNorm(float[] x, float[] g, float[] b, float[] y, float[] mean, float[] var, int n,
            int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * n;
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += x[o + j];
            }
            float mu = (float) (s / n);
            double ss = 0;
            for (int j = 0; j < n; j++) {
                double d = x[o + j] - mu;
                ss += d * d;
            }
            float v = (float) (ss / n) + LAYER_NORM_EPS;
            mean[r] = mu;
            var[r] = v;
            float inv = (float) (1.0 / Math.sqrt(v));
            for (int j = 0; j < n; j++) {
                y[o + j] = (x[o + j] - mu) * inv * g[j] + b[j];
            }
        }
    }

    /**
     * Layer-norm backward for rows {@code [rowFrom, rowTo)}: writes dX and adds this range's share of
     * dG and db into the given (per-thread) accumulators.
     */
    static void backpropLayerNorm(float[] dY, float[] x, float[] g, float[] mean, float[] var, float[] dX,
            float[] dG, float[] dB, int n, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int o = r * n;
            float mu = mean[r];
            float v = var[r];
            float invStd = (float) (1.0 / Math.sqrt(v));
            double sumDy = 0;
            double sumDyDist = 0;
            for (int j = 0; j < n; j++) {
                float dist = x[o + j] - mu;
                float dy = dY[o + j];
                dG[j] += dy * dist * invStd;
                dB[j] += dy;
                float dyg = dy * g[j];
                sumDy += dyg;
                sumDyDist += dyg * dist;
            }
            float sDy = (float) sumDy;
            float sDyDist = (float) sumDyDist;
            float invVar = 1f / v;
            for (int j = 0; j < n; j++) {
                float dist = x[o + j] - mu;
                float dyg = dY[o + j] * g[j];
                float dxhat = n * dyg - sDy - dist * invVar * sDyDist;
                dX[o + j] = dxhat * invStd / n;
            }
        }
    }
}
