package dev.thinj.ops;

/** Matrix products and the bias operations that go with them. */
public interface LinearKernels extends ArrayKernels {
    /**
     * General matrix multiply: {@code out = alpha * op(a) @ op(b) + beta * out}, where {@code op}
     * transposes when its flag is set. {@code beta = 1} accumulates into {@code out}, which is how
     * gradients are added without a temporary.
     *
     * @param a 2-d (not modified)
     * @param b 2-d (not modified)
     * @param out 2-d of shape (rows of op(a), columns of op(b)) (modified)
     * @param transA use {@code a}'s transpose
     * @param transB use {@code b}'s transpose
     * @param alpha scale of the product
     * @param beta scale of the previous {@code out}; 0 ignores its contents (even NaN)
     */
    void gemm(FloatArray a, FloatArray b, FloatArray out, boolean transA, boolean transB, float alpha, float beta);

    /**
     * Thinc's {@code gemm(x, y, out=out, trans1, trans2)}: {@code out = op(a) @ op(b)}.
     *
     * @param a 2-d (not modified)
     * @param b 2-d (not modified)
     * @param out overwritten with the product (modified)
     * @param transA use {@code a}'s transpose
     * @param transB use {@code b}'s transpose
     * @return {@code out}
     */
    default FloatArray gemm(FloatArray a, FloatArray b, FloatArray out, boolean transA, boolean transB) {
        gemm(a, b, out, transA, transB, 1f, 0f);
        return out;
    }

    /**
     * @param a 2-d (not modified)
     * @param b 2-d (not modified)
     * @param transA use {@code a}'s transpose
     * @param transB use {@code b}'s transpose
     * @return a new array {@code op(a) @ op(b)}
     */
    default FloatArray gemm(FloatArray a, FloatArray b, boolean transA, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new ShapeException("gemm: expected 2-d arrays, got " + Shapes.format(a.shape()) + " and "
                    + Shapes.format(b.shape()));
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        FloatArray out = alloc(m, n);
        gemm(a, b, out, transA, transB, 1f, 0f);
        return out;
    }

    /**
     * @param a 2-d (not modified)
     * @param b 2-d (not modified)
     * @return a new array {@code a @ b}
     */
    default FloatArray gemm(FloatArray a, FloatArray b) {
        return gemm(a, b, false, false);
    }

    /**
     * Thinc's {@code affine}: {@code Y = X @ W.T + b}.
     *
     * @param x inputs (batch, nI) (not modified)
     * @param w weights (nO, nI) (not modified)
     * @param b bias (nO) (not modified)
     * @return a new (batch, nO) array
     */
    default FloatArray affine(FloatArray x, FloatArray w, FloatArray b) {
        FloatArray y = gemm(x, w, false, true);
        addBias(y, b);
        return y;
    }

    /**
     * Adds a vector to every row: {@code y[i, :] += bias}.
     *
     * @param y 2-d (modified)
     * @param bias 1-d of {@code y.dim(1)} elements (not modified)
     */
    void addBias(FloatArray y, FloatArray bias);

    /**
     * Column sums of a 2-d array, the bias gradient {@code dY.sum(axis=0)}.
     *
     * @param x 2-d (not modified)
     * @param out 1-d of {@code x.dim(1)} elements (modified)
     * @param accumulate add into {@code out} instead of overwriting it
     */
    void sumRows(FloatArray x, FloatArray out, boolean accumulate);

    /**
     * @param x 2-d (not modified)
     * @return a new 1-d array of column sums
     */
    default FloatArray sumRows(FloatArray x) {
        if (x.rank() != 2) {
            throw new ShapeException("sumRows: expected a 2-d array, got " + Shapes.format(x.shape()));
        }
        FloatArray out = alloc(x.dim(1));
        sumRows(x, out, false);
        return out;
    }
}
