package dev.thinj.ops;

/** A float32 array of rank 1 to 4 owned by an {@link Ops}. */
public interface FloatArray extends NdArray {
    /**
     * Copies the elements to the host, row-major. On an asynchronous backend this waits for the
     * kernels that write this array; it is never needed inside a training step.
     *
     * @return a new host array of {@link #size()} elements
     */
    float[] toFloatArray();

    /**
     * Reads one element (a host round trip: for tests and inspection, not for loops).
     *
     * @param index one index per dimension
     * @return the element
     */
    float get(int... index);

    /**
     * Reads the single element of a one-element array, such as a loss value.
     *
     * @return the element
     * @throws ShapeException if the array does not hold exactly one element
     */
    default float item() {
        if (size() != 1) {
            throw new ShapeException("item(): expected an array of one element, got shape " + Shapes.format(shape()));
        }
        return toFloatArray()[0];
    }

    /**
     * A view of the same memory with another shape of equal size. Writing through either is seen by
     * both.
     *
     * @param shape the new shape, rank 1 to 4, with the same number of elements
     * @return the view
     */
    FloatArray reshape(int... shape);
}
