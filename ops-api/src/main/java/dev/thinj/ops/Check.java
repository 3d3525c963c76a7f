package dev.thinj.ops;

import java.util.List;

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
        if (!sameShape(a, b)) {
            throw new ShapeException(kernel + ": '" + nameA + "' and '" + nameB + "' must have the same shape, got "
                    + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()));
        }
    }

    /** Compared dimension by dimension: {@code shape()} would copy both shapes on every kernel call. */
    private static boolean sameShape(NdArray a, NdArray b) {
        int rank = a.rank();
        if (rank != b.rank()) {
            return false;
        }
        for (int axis = 0; axis < rank; axis++) {
            if (a.dim(axis) != b.dim(axis)) {
                return false;
            }
        }
        return true;
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

    /**
     * {@code concatColumns}' checks, part by part: usable on {@code ops}, 2-d, as many rows as the first.
     *
     * @return {@code {rows, total columns}}
     * @throws IllegalArgumentException if no part is given
     */
    public static int[] concatColumns(Ops ops, List<FloatArray> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("concatColumns: no arrays given");
        }
        int rows = -1;
        int cols = 0;
        for (int p = 0; p < parts.size(); p++) {
            FloatArray a = parts.get(p);
            usable(ops, "concatColumns", "parts[" + p + "]", a);
            rank("concatColumns", "parts[" + p + "]", a, 2);
            if (rows >= 0 && a.dim(0) != rows) {
                throw new ShapeException("concatColumns: parts[" + p + "] has " + a.dim(0) + " rows, parts[0] has " + rows
                        + " (shape " + Shapes.format(a.shape()) + ")");
            }
            rows = a.dim(0);
            cols += a.dim(1);
        }
        return new int[] {rows, cols};
    }

    /**
     * {@code oneHot}'s checks of its options (Thinc's {@code to_categorical}).
     *
     * @return the value of the cells off the gold class: 0, or {@code labelSmoothing / (nClasses - 1)}
     */
    public static float oneHotOffValue(int nClasses, float labelSmoothing) {
        if (labelSmoothing < 0f) {
            throw new IllegalArgumentException("oneHot: label smoothing must be >= 0, got " + labelSmoothing);
        }
        if (nClasses < 1) {
            throw new IllegalArgumentException("oneHot: nClasses must be at least 1, got " + nClasses);
        }
        if (labelSmoothing == 0f) {
            return 0f;
        }
        if (nClasses < 2) {
            throw new IllegalArgumentException(
                    "oneHot: nClasses must be greater than 1 when label smoothing is enabled, got " + nClasses);
        }
        float maxSmooth = (nClasses - 1f) / nClasses;
        if (labelSmoothing >= maxSmooth) {
            throw new IllegalArgumentException("oneHot: for " + nClasses + " classes label smoothing must be less than "
                    + maxSmooth + ", got " + labelSmoothing);
        }
        return labelSmoothing / (nClasses - 1);
    }

    /**
     * A row range {@code [start, end)} within the first dimension of {@code shape}.
     *
     * @throws ShapeException naming the kernel, the range and the shape
     */
    public static void rowRange(String kernel, int[] shape, int start, int end) {
        if (start < 0 || end > shape[0] || start > end) {
            throw new ShapeException(kernel + ": rows [" + start + ", " + end + ") out of range for shape "
                    + Shapes.format(shape));
        }
    }
}
