package dev.thinj.ops;

/**
 * Elementwise arithmetic and whole-array reductions. Operands of binary kernels must have the same
 * number of elements (shapes are compared by size so that a (n) array can meet a (1, n) one).
 */
public interface ElementwiseKernels {
    /**
     * @param a not modified
     * @param b not modified
     * @return a new array {@code a + b}
     */
    FloatArray add(FloatArray a, FloatArray b);

    /**
     * @param a not modified
     * @param b not modified
     * @return a new array {@code a - b}
     */
    FloatArray sub(FloatArray a, FloatArray b);

    /**
     * @param a not modified
     * @param b not modified
     * @return a new array {@code a * b}
     */
    FloatArray mul(FloatArray a, FloatArray b);

    /**
     * @param a modified: {@code a += b}
     * @param b not modified
     */
    void addInPlace(FloatArray a, FloatArray b);

    /**
     * @param a modified: {@code a *= b}
     * @param b not modified
     */
    void mulInPlace(FloatArray a, FloatArray b);

    /**
     * @param a not modified
     * @param factor the scale
     * @return a new array {@code a * factor}
     */
    FloatArray scale(FloatArray a, float factor);

    /**
     * @param a modified: {@code a *= factor}
     * @param factor the scale
     */
    void scaleInPlace(FloatArray a, float factor);

    /**
     * BLAS's axpy: {@code y += alpha * x}.
     *
     * @param alpha the scale of {@code x}
     * @param x not modified
     * @param y modified
     */
    void axpy(float alpha, FloatArray x, FloatArray y);

    /**
     * @param x not modified
     * @return a new one-element array holding the sum of all elements (0 for an empty array)
     */
    FloatArray sum(FloatArray x);

    /**
     * @param x not modified
     * @return a new one-element array holding the sum of squares of all elements
     */
    FloatArray sumOfSquares(FloatArray x);
}
