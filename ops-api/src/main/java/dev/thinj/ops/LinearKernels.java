package dev.thinj.ops;

/**
 * Matrix products and the bias operations that go with them. The forms that allocate their result
 * ({@code gemm(a, b)}, {@code affine}, {@code sumRows(x)}) are {@link Ops}' defaults over these.
 */
public interface LinearKernels {
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
}
