package dev.thinj.ops;

/**
 * Argument checks shared by backends, so every kernel reports bad input the same way: the kernel's
 * name, the argument, the shape seen and the shape expected.
 */
public final class Check {
    private Check() {
    }

    /**
     * @param ops the backend running the kernel
     * @param kernel the kernel's name
     * @param name the argument's name
     * @param array the argument
     * @throws ArrayStateException if it is null, closed, or owned by another backend
     */
    public static void usable(Ops ops, String kernel, String name, NdArray array) {
        if (array == null) {
            throw new IllegalArgumentException(kernel + ": argument '" + name + "' is null");
        }
        if (array.ops() != ops) {
            throw new ArrayStateException(kernel + ": argument '" + name + "' belongs to backend '" + array.ops().name()
                    + "', not '" + ops.name() + "'; copy it across with ops.asArray(array) first");
        }
        if (array.isClosed()) {
            throw new ArrayStateException(kernel + ": argument '" + name + "' was used after close()");
        }
    }

    /**
     * @param kernel the kernel's name
     * @param name the argument's name
     * @param array the argument
     * @param rank the rank required
     */
    public static void rank(String kernel, String name, NdArray array, int rank) {
        if (array.rank() != rank) {
            throw new ShapeException(kernel + ": '" + name + "' must be " + rank + "-d, got shape "
                    + Shapes.format(array.shape()));
        }
    }

    /**
     * @param kernel the kernel's name
     * @param nameA the first argument's name
     * @param a the first argument
     * @param nameB the second argument's name
     * @param b the second argument
     */
    public static void sameShape(String kernel, String nameA, NdArray a, String nameB, NdArray b) {
        if (!Shapes.same(a.shape(), b.shape())) {
            throw new ShapeException(kernel + ": '" + nameA + "' and '" + nameB + "' must have the same shape, got "
                    + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()));
        }
    }

    /**
     * @param kernel the kernel's name
     * @param nameA the first argument's name
     * @param a the first argument
     * @param nameB the second argument's name
     * @param b the second argument
     */
    public static void sameSize(String kernel, String nameA, NdArray a, String nameB, NdArray b) {
        if (a.size() != b.size()) {
            throw new ShapeException(kernel + ": '" + nameA + "' and '" + nameB + "' must have the same number of elements, got "
                    + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()));
        }
    }

    /**
     * @param kernel the kernel's name
     * @param name the argument's name
     * @param array the argument
     * @param axis the dimension
     * @param expected its required extent
     */
    public static void dim(String kernel, String name, NdArray array, int axis, int expected) {
        if (array.dim(axis) != expected) {
            throw new ShapeException(kernel + ": '" + name + "' must have " + expected + " in dimension " + axis
                    + ", got shape " + Shapes.format(array.shape()));
        }
    }

    /**
     * Checks the operands of {@code out = alpha * op(a) * op(b) + beta * out}.
     *
     * @param a 2-d
     * @param b 2-d
     * @param out 2-d
     * @param transA whether {@code op(a)} is {@code a}'s transpose
     * @param transB whether {@code op(b)} is {@code b}'s transpose
     * @return the inner dimension {@code k} (the rows of {@code op(b)})
     * @throws ShapeException naming the shapes when the inner dimensions or {@code out}'s shape disagree
     */
    public static int gemm(FloatArray a, FloatArray b, FloatArray out, boolean transA, boolean transB) {
        rank("gemm", "a", a, 2);
        rank("gemm", "b", b, 2);
        rank("gemm", "out", out, 2);
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new ShapeException("gemm: inner dimensions differ: op(a) is (" + m + ", " + k + ") and op(b) is (" + kb
                    + ", " + n + ") from shapes " + Shapes.format(a.shape()) + (transA ? "^T" : "") + " and "
                    + Shapes.format(b.shape()) + (transB ? "^T" : ""));
        }
        if (out.dim(0) != m || out.dim(1) != n) {
            throw new ShapeException("gemm: out must have shape " + Shapes.format(m, n) + ", got "
                    + Shapes.format(out.shape()));
        }
        return k;
    }
}
