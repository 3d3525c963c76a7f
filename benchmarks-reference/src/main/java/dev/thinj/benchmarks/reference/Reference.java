package dev.thinj.benchmarks.reference;

/**
 * Plain-Java, double-precision definitions of what each kernel benchmark computes. The tests of
 * {@code benchmarks} (thinj's side) and {@code benchmarks-nd4j} (ND4J's) both check against this one
 * class, so the race compares the same work. It depends on nothing, so it can sit on either module's
 * class path (they load different JavaCPP versions).
 */
public final class Reference {
    private Reference() {
    }

    /**
     * @return {@code op(a) · op(b)}, row-major, where a is stored (aRows, aCols) and b (bRows, bCols)
     */
    public static double[] gemm(float[] a, int aRows, int aCols, boolean transA, float[] b, int bRows, int bCols,
            boolean transB) {
        int m = transA ? aCols : aRows;
        int k = transA ? aRows : aCols;
        int n = transB ? bRows : bCols;
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * aCols + i] : a[i * aCols + p];
                    double bv = transB ? b[j * bCols + p] : b[p * bCols + j];
                    sum += av * bv;
                }
                out[i * n + j] = sum;
            }
        }
        return out;
    }

    public static double[] addBias(float[] x, int rows, int cols, float[] bias) {
        double[] out = new double[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (double) x[i * cols + j] + bias[j];
            }
        }
        return out;
    }

    public static double[] relu(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.max(x[i], 0);
        }
        return out;
    }

    public static double[] reluBackward(float[] dy, float[] x) {
        double[] out = new double[dy.length];
        for (int i = 0; i < dy.length; i++) {
            out[i] = x[i] > 0 ? dy[i] : 0;
        }
        return out;
    }

    public static double[] softmax(float[] x, int rows, int cols) {
        double[] out = new double[x.length];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[i * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = Math.exp(x[i * cols + j] - max);
                sum += out[i * cols + j];
            }
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] /= sum;
            }
        }
        return out;
    }

    public static double[] sigmoid(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = 1 / (1 + Math.exp(-x[i]));
        }
        return out;
    }

    public static double[] tanh(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.tanh(x[i]);
        }
        return out;
    }

    /** The exact GELU, {@code x * Phi(x)}, with erf from its Taylor series (|x| below 2 here). */
    public static double[] gelu(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * 0.5 * (1 + erf(x[i] / Math.sqrt(2)));
        }
        return out;
    }

    public static double erf(double z) {
        double term = z;
        double sum = z;
        for (int n = 1; n < 40; n++) {
            term *= -z * z / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    /** Rows normalised to zero mean and unit (biased) variance, then {@code * gain + bias}. */
    public static double[] layerNorm(float[] x, int rows, int cols, float[] gain, float[] bias) {
        double[] out = new double[x.length];
        for (int i = 0; i < rows; i++) {
            double mean = 0;
            for (int j = 0; j < cols; j++) {
                mean += x[i * cols + j];
            }
            mean /= cols;
            double var = 0;
            for (int j = 0; j < cols; j++) {
                double d = x[i * cols + j] - mean;
                var += d * d;
            }
            var /= cols;
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (x[i * cols + j] - mean) / Math.sqrt(var) * gain[j] + bias[j];
            }
        }
        return out;
    }

    public static double[] columnSums(float[] x, int rows, int cols) {
        double[] out = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j] += x[i * cols + j];
            }
        }
        return out;
    }

    public static int[] argmax(float[] x, int rows, int cols) {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 1; j < cols; j++) {
                if (x[i * cols + j] > x[i * cols + out[i]]) {
                    out[i] = j;
                }
            }
        }
        return out;
    }

    /** The weights after one Adam step whose learning rate already holds any bias correction. */
    public static double[] adam(float[] w, float[] g, float[] m1, float[] m2, double beta1, double beta2, double eps,
            double learnRate) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double m = beta1 * m1[i] + (1 - beta1) * g[i];
            double v = beta2 * m2[i] + (1 - beta2) * g[i] * g[i];
            out[i] = w[i] - learnRate * m / (Math.sqrt(v) + eps);
        }
        return out;
    }

    public static double[] sgd(float[] w, float[] g, double learnRate) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] - learnRate * g[i];
        }
        return out;
    }

    public static double[] scaledDifference(double[] guesses, float[] truths, double scale) {
        double[] out = new double[guesses.length];
        for (int i = 0; i < guesses.length; i++) {
            out[i] = (guesses[i] - truths[i]) * scale;
        }
        return out;
    }

    /**
     * @return the largest of {@code |got - want| / (1 + |want|)}, so a check reads "agrees to within"
     */
    public static double maxError(float[] got, double[] want) {
        if (got.length != want.length) {
            throw new AssertionError("length " + got.length + ", expected " + want.length);
        }
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
        }
        return worst;
    }

    /** @return one number for all the operands, to pin that both modules make the same ones */
    public static long checksum(float[]... arrays) {
        long sum = 0;
        for (float[] a : arrays) {
            sum = 31 * sum + java.util.Arrays.hashCode(a);
        }
        return sum;
    }
}
