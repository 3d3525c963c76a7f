package dev.thinj.ops.cpu;

/**
 * Elementwise kernels that C2 leaves scalar on Java 17, in the JNI shim ({@code src/main/c}) with the
 * arrays pinned, vectorised by gcc: a bias added to every row and the column sums of rows (C2 cannot
 * rule out that the two arrays are one, so it does not vectorise the row loop: 24 us for 128 x 512 in
 * Java against 6 us for a flat add), ReLU's backward pass (a float select; 51 us in Java, 13 us
 * here) and dropout's mask (SplitMix64's 64-bit multiplies, which C2 does not vectorise without
 * AVX-512). Each gives the bits of its Java loop ({@link RowKernels}, {@link ActivationMath}; of two NaNs
 * added, either may come out) and runs that loop itself where the shim did not load or the arrays are
 * one, so the kernels call these and nothing else decides ({@code CriticalKernelsTest}).
 */
final class CriticalKernels {
    private CriticalKernels() {
    }

    /** @return whether the shim loaded (it holds these kernels beside the BLAS calls) */
    static boolean available() {
        return CriticalBlas.available();
    }

    /** {@link RowKernels#addBias}, vectorised where y and b are distinct arrays. */
    static void addBias(float[] y, float[] b, int n, int rowFrom, int rowTo) {
        if (available() && y != b) {
            addBias0(y, b, n, rowFrom, rowTo);
        } else {
            RowKernels.addBias(y, b, n, rowFrom, rowTo);
        }
    }

    /** {@link RowKernels#addColumnSums}, vectorised where x and out are distinct arrays. */
    static void addColumnSums(float[] x, float[] out, int n, int rowFrom, int rowTo) {
        if (available() && x != out) {
            addColumnSums0(x, out, n, rowFrom, rowTo);
        } else {
            RowKernels.addColumnSums(x, out, n, rowFrom, rowTo);
        }
    }

    /** {@link ActivationMath#backpropRelu}, vectorised where y is neither dY nor dX (dX may be dY). */
    static void backpropRelu(float[] dY, float[] y, float[] dX, int from, int to) {
        if (available() && y != dY && y != dX) {
            backpropRelu0(dY, y, dX, from, to);
        } else {
            ActivationMath.backpropRelu(dY, y, dX, from, to);
        }
    }

    /** {@link ActivationMath#dropoutMask}: the same SplitMix64 draws, four cells at a time. */
    static void dropoutMask(float[] m, long seed, int threshold, int keepBits, int from, int to) {
        if (available()) {
            dropoutMask0(m, seed, threshold, keepBits, from, to);
        } else {
            ActivationMath.dropoutMask(m, seed, threshold, keepBits, from, to);
        }
    }

    private static native void addBias0(float[] y, float[] b, int n, int rowFrom, int rowTo);

    private static native void addColumnSums0(float[] x, float[] out, int n, int rowFrom, int rowTo);

    private static native void backpropRelu0(float[] dY, float[] y, float[] dX, int from, int to);

    private static native void dropoutMask0(float[] m, long seed, int threshold, int keepBits, int from, int to);
}
