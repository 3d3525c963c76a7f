package dev.thinj.ops.conformance;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.Shapes;
import java.util.Arrays;

/**
 * A row-major host array of doubles with its shape: what the {@code *Reference} classes compute on, and what
 * the suite compares a backend's output with. Values made by {@link RandomArrays} are exactly
 * representable as floats, so the backend and the reference see the same inputs.
 *
 * @param data the elements, row-major (shared, not copied)
 * @param shape the dimensions, outermost first (shared, not copied)
 */
public record HostArray(double[] data, int[] shape) {
    /**
     * Checks that the data fills the shape.
     *
     * @param data the elements
     * @param shape the dimensions
     */
    public HostArray {
        if (data.length != Shapes.size(shape)) {
            throw new IllegalArgumentException("HostArray: " + data.length + " values for shape " + Shapes.format(shape));
        }
    }

    /**
     * @param shape the dimensions
     * @return a zero-filled array
     */
    public static HostArray zeros(int... shape) {
        return new HostArray(new double[Shapes.size(shape)], shape.clone());
    }

    /**
     * @param values float values (not modified)
     * @param shape the dimensions
     * @return the values widened to double
     */
    public static HostArray of(float[] values, int... shape) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new HostArray(d, shape.clone());
    }

    /**
     * @param array a backend array (read, not modified)
     * @return its elements and shape on the host
     */
    public static HostArray of(FloatArray array) {
        return of(array.toFloatArray(), array.shape());
    }

    /**
     * @param ops the backend to copy into
     * @return a new backend array with these values rounded to float
     */
    public FloatArray upload(Ops ops) {
        return ops.asArray(toFloats(), shape.clone());
    }

    /**
     * @param ops the backend to copy into
     * @return a new backend int array with these values truncated to int
     */
    public IntArray uploadInts(Ops ops) {
        return ops.asInts(toInts(), shape.clone());
    }

    /** @return the values rounded to float */
    public float[] toFloats() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return f;
    }

    /** @return the values truncated to int */
    public int[] toInts() {
        int[] r = new int[data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (int) data[i];
        }
        return r;
    }

    /** @return the values rounded to float and widened back, as a backend would store them */
    public HostArray roundedToFloat() {
        return of(toFloats(), shape);
    }

    /** @return the number of elements */
    public int size() {
        return data.length;
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /**
     * @param axis a dimension; negative counts from the end
     * @return its extent
     */
    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** @return the extent of the last dimension */
    public int lastDim() {
        return shape[shape.length - 1];
    }

    /** @return the number of rows when the last dimension is the row (size / last dimension) */
    public int outerSize() {
        int last = lastDim();
        return last == 0 ? Shapes.size(Arrays.copyOf(shape, shape.length - 1)) : data.length / last;
    }

    /**
     * @param row a row index of a 2-d array
     * @param col a column index
     * @return the element
     */
    public double at(int row, int col) {
        return data[row * shape[1] + col];
    }

    /** @return a deep copy */
    public HostArray copy() {
        return new HostArray(data.clone(), shape.clone());
    }

    /** @return the elements' absolute values, for error scales of sums */
    public HostArray abs() {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.abs(data[i]);
        }
        return new HostArray(d, shape.clone());
    }

    @Override
    public String toString() {
        return "HostArray" + Shapes.format(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostArray h && Arrays.equals(data, h.data) && Arrays.equals(shape, h.shape);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Arrays.hashCode(shape);
    }
}
