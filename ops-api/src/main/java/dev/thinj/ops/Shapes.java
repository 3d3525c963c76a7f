package dev.thinj.ops;

import java.util.Arrays;

/** Small helpers on shapes ({@code int[]}, outermost first) shared by every backend. */
public final class Shapes {
    /** The highest rank an array may have. */
    public static final int MAX_RANK = 4;

    private Shapes() {
    }

    /**
     * Checks a shape and returns its element count.
     *
     * @param where the kernel or method asking, for the error message
     * @param shape the shape to check (not modified)
     * @return the product of the dimensions
     * @throws ShapeException if the rank is not 1 to 4 or a dimension is negative
     */
    public static int checkedSize(String where, int... shape) {
        if (shape == null || shape.length < 1 || shape.length > MAX_RANK) {
            throw new ShapeException(where + ": rank must be 1 to " + MAX_RANK + ", got shape "
                    + (shape == null ? "null" : format(shape)));
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException(where + ": negative dimension in shape " + format(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new ShapeException(where + ": shape " + format(shape) + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    /**
     * @param shape a shape
     * @return the product of the dimensions
     */
    public static int size(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * @param shape a shape
     * @return it written as {@code (2, 3)}, as Thinc and NumPy print shapes
     */
    public static String format(int... shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    /**
     * Resolves a reshape target, allowing one {@code -1} dimension to be inferred.
     *
     * @param where the method asking, for the error message
     * @param from the current shape
     * @param to the requested shape (not modified)
     * @return the resolved shape, a new array
     */
    public static int[] reshaped(String where, int[] from, int... to) {
        int[] out = to.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1 && infer < 0) {
                infer = i;
            } else {
                known *= out[i];
            }
        }
        int n = size(from);
        if (infer >= 0 && known > 0 && n % known == 0) {
            out[infer] = (int) (n / known);
        }
        if (checkedSize(where, out) != n) {
            throw new ShapeException(where + ": cannot reshape " + format(from) + " to " + format(to));
        }
        return out;
    }

    /**
     * @param a a shape
     * @param b another shape
     * @return whether they are equal
     */
    public static boolean same(int[] a, int[] b) {
        return Arrays.equals(a, b);
    }

    /**
     * @param shape an array's shape
     * @param axis a dimension index; negative values count from the end as in NumPy
     * @return the extent of that dimension
     * @throws ShapeException if the axis is out of range
     */
    public static int dim(int[] shape, int axis) {
        int a = axis < 0 ? shape.length + axis : axis;
        if (a < 0 || a >= shape.length) {
            throw new ShapeException("dim: axis " + axis + " out of range for shape " + format(shape));
        }
        return shape[a];
    }

    /**
     * @param shape an array's shape
     * @param index one index per dimension
     * @return the row-major offset of the element
     * @throws ShapeException if the index count or an index is out of range
     */
    public static int flatIndex(int[] shape, int[] index) {
        if (index.length != shape.length) {
            throw new ShapeException("get: expected " + shape.length + " indices for shape " + format(shape)
                    + ", got " + index.length);
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new ShapeException("get: index " + index[d] + " out of range in dimension " + d + " of shape "
                        + format(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    /**
     * @param shape rows first
     * @return the elements in one row of the first dimension (the product of the other dimensions)
     */
    public static int rowWidth(int[] shape) {
        int w = 1;
        for (int d = 1; d < shape.length; d++) {
            w *= shape[d];
        }
        return w;
    }
}
