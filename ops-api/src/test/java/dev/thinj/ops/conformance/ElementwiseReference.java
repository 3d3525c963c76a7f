package dev.thinj.ops.conformance;


/**
 * Float64 references for elementwise arithmetic and whole-array sums ({@link dev.thinj.ops.ElementwiseKernels}), written from the kernels' Javadoc and Thinc 8.1.7. Plain loops, checkable
 * by eye; nothing modifies its arguments (an in-place kernel's reference returns the new values).
 */
public final class ElementwiseReference {
    private ElementwiseReference() {
    }


    /** The binary elementwise operations. */
    public enum Binary {
        /** {@code a + b} */
        ADD,
        /** {@code a - b} */
        SUB,
        /** {@code a * b} */
        MUL;

        double apply(double a, double b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
            };
        }
    }

    /**
     * @param op the operation
     * @param a any shape
     * @param b the same number of elements
     * @return {@code a op b} in {@code a}'s shape
     */
    public static HostArray binary(Binary op, HostArray a, HostArray b) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = op.apply(a.data()[i], b.data()[i]);
        }
        return new HostArray(r, a.shape().clone());
    }

    /**
     * @param a any shape
     * @param factor the scale
     * @return {@code a * factor}
     */
    public static HostArray scale(HostArray a, double factor) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.data()[i] * factor;
        }
        return new HostArray(r, a.shape().clone());
    }

    /**
     * @param alpha scale of {@code x}
     * @param x any shape
     * @param y the same number of elements
     * @return {@code y + alpha * x} in {@code y}'s shape
     */
    public static HostArray axpy(double alpha, HostArray x, HostArray y) {
        double[] r = new double[y.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = y.data()[i] + alpha * x.data()[i];
        }
        return new HostArray(r, y.shape().clone());
    }

    /**
     * @param x any shape
     * @return the sum of all elements (0 when empty)
     */
    public static double sum(HostArray x) {
        double s = 0;
        for (double v : x.data()) {
            s += v;
        }
        return s;
    }

    /**
     * @param x any shape
     * @return the sum of squares of all elements
     */
    public static double sumOfSquares(HostArray x) {
        double s = 0;
        for (double v : x.data()) {
            s += v * v;
        }
        return s;
    }
}
