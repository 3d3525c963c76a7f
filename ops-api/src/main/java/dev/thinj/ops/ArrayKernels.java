package dev.thinj.ops;

import java.util.List;

/**
 * Creating arrays, copying them, and moving rows and columns. Every array a kernel returns is new
 * and owned by the caller unless the method says it works in place.
 */
public interface ArrayKernels {
    /**
     * @param shape rank 1 to 4
     * @return a new zero-filled float array
     */
    FloatArray alloc(int... shape);

    /**
     * Thinc's {@code alloc(shape, zeros=False)}, numpy's {@code empty}: a new array whose contents are
     * unspecified, for a result that is about to be overwritten in full (a product with beta 0). A
     * backend may hand out recycled memory without clearing it; the default clears it.
     *
     * @param shape rank 1 to 4
     * @return a new float array of that shape, contents unspecified
     */
    default FloatArray empty(int... shape) {
        return alloc(shape);
    }

    /**
     * Copies host data into a new array.
     *
     * @param data row-major values (not modified); its length must equal the shape's size
     * @param shape rank 1 to 4; if omitted the array is 1-d of {@code data.length}
     * @return the new array
     */
    FloatArray asArray(float[] data, int... shape);

    /**
     * @param rows equal-length rows (not modified)
     * @return a new 2-d array of shape (rows, columns)
     */
    FloatArray asArray(float[][] rows);

    /**
     * @param data a rectangular 3-d host array (not modified)
     * @return a new 3-d array
     */
    FloatArray asArray(float[][][] data);

    /**
     * Copies an array of any backend into this one ({@code ops.asArray(other)} is how arrays cross
     * backends).
     *
     * @param other the source (not modified)
     * @return a new array of this backend with the same shape and values
     */
    FloatArray asArray(FloatArray other);

    /**
     * @param shape rank 1 to 4
     * @return a new zero-filled int array
     */
    IntArray allocInts(int... shape);

    /**
     * @param data row-major values (not modified)
     * @param shape rank 1 to 4; if omitted the array is 1-d
     * @return a new int array
     */
    IntArray asInts(int[] data, int... shape);

    /**
     * @param rows equal-length rows (not modified)
     * @return a new 2-d int array
     */
    IntArray asInts(int[][] rows);

    /**
     * @param other an int array of any backend (not modified)
     * @return a copy owned by this backend
     */
    IntArray asInts(IntArray other);

    /**
     * @param like an array whose shape to use (not modified)
     * @return a new zero-filled array of the same shape
     */
    default FloatArray like(FloatArray like) {
        return alloc(like.shape());
    }

    /**
     * @param x the source (not modified)
     * @return a new array with the same shape and values
     */
    FloatArray copy(FloatArray x);

    /**
     * Copies {@code src} into {@code dst}; both must have the same number of elements.
     *
     * @param dst modified
     * @param src not modified
     */
    void copyInto(FloatArray dst, FloatArray src);

    /**
     * Overwrites {@code dst} with {@code dst.size()} values from a host array.
     *
     * @param dst modified
     * @param src host values (not modified)
     * @param srcOffset where in {@code src} to start reading
     */
    void copyFromHost(FloatArray dst, float[] src, int srcOffset);

    /**
     * Overwrites {@code dst} with {@code dst.size()} values from a host array.
     *
     * @param dst modified
     * @param src host values (not modified)
     * @param srcOffset where in {@code src} to start reading
     */
    void copyFromHost(IntArray dst, int[] src, int srcOffset);

    /**
     * @param x modified: every element set to {@code value}
     * @param value the value
     */
    void fill(FloatArray x, float value);

    /**
     * @param x rank 1 or more (not modified)
     * @param start first row, inclusive
     * @param end last row, exclusive
     * @return a new contiguous array holding rows {@code [start, end)} of the first dimension
     */
    FloatArray sliceRows(FloatArray x, int start, int end);

    /**
     * @param x rank 1 or more (not modified)
     * @param start first row, inclusive
     * @param end last row, exclusive
     * @return a new contiguous array of rows {@code [start, end)}
     */
    IntArray sliceRows(IntArray x, int start, int end);

    /**
     * Gathers rows along the first dimension, as NumPy's {@code x[rows]}.
     *
     * @param x rank 1 or more (not modified)
     * @param rows 1-d row indices, each in {@code [0, x.dim(0))} (not modified)
     * @return a new array of {@code rows.size()} rows
     */
    FloatArray gatherRows(FloatArray x, IntArray rows);

    /**
     * @param x rank 1 or more (not modified)
     * @param rows 1-d row indices (not modified)
     * @return a new array of the gathered rows
     */
    IntArray gatherRows(IntArray x, IntArray rows);

    /**
     * Joins 2-d arrays side by side, as NumPy's {@code hstack}.
     *
     * @param parts 2-d arrays with equal row counts (not modified)
     * @return a new array whose columns are the parts' columns in order
     */
    FloatArray concatColumns(List<FloatArray> parts);

    /**
     * @param x a 2-d array (not modified)
     * @param start first column, inclusive
     * @param end last column, exclusive
     * @return a new array of columns {@code [start, end)}
     */
    FloatArray sliceColumns(FloatArray x, int start, int end);
}
