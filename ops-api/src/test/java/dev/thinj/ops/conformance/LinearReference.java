package dev.thinj.ops.conformance;


/**
 * Float64 references for matrix products and bias operations ({@link dev.thinj.ops.LinearKernels}), written from the kernels' Javadoc and Thinc 8.1.7. Plain loops, checkable
 * by eye; nothing modifies its arguments (an in-place kernel's reference returns the new values).
 */
public final class LinearReference {
    private LinearReference() {
    }


    /**
     * {@code alpha * op(a) @ op(b) + beta * out}; with {@code beta == 0} the old {@code out} is
     * ignored entirely, even where it holds NaN, as BLAS does.
     *
     * @param a 2-d
     * @param b 2-d
     * @param out 2-d of the result's shape, or {@code null} when {@code beta == 0}
     * @param transA transpose {@code a}
     * @param transB transpose {@code b}
     * @param alpha scale of the product
     * @param beta scale of {@code out}
     * @return the new values of {@code out}
     */
    public static HostArray gemm(HostArray a, HostArray b, HostArray out, boolean transA, boolean transB,
            double alpha, double beta) {
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int n = transB ? b.dim(0) : b.dim(1);
        double[] r = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a.at(p, i) : a.at(i, p);
                    double bv = transB ? b.at(j, p) : b.at(p, j);
                    s += av * bv;
                }
                r[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * out.data()[i * n + j]);
            }
        }
        return new HostArray(r, new int[] {m, n});
    }

    /**
     * @param x (batch, nI)
     * @param w (nO, nI)
     * @param b (nO)
     * @return {@code x @ w.T + b}
     */
    public static HostArray affine(HostArray x, HostArray w, HostArray b) {
        return addBias(gemm(x, w, null, false, true, 1, 0), b);
    }

    /**
     * @param y 2-d
     * @param bias 1-d of {@code y.dim(1)}
     * @return {@code y + bias} on every row
     */
    public static HostArray addBias(HostArray y, HostArray bias) {
        double[] r = y.data().clone();
        int n = y.dim(1);
        for (int i = 0; i < r.length; i++) {
            r[i] += bias.data()[i % n];
        }
        return new HostArray(r, y.shape().clone());
    }

    /**
     * @param x 2-d
     * @return the column sums, {@code x.sum(axis=0)}
     */
    public static HostArray sumRows(HostArray x) {
        int rows = x.dim(0);
        int n = x.dim(1);
        double[] r = new double[n];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                r[j] += x.at(i, j);
            }
        }
        return new HostArray(r, new int[] {n});
    }
}
