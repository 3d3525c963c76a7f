package dev.thinj.ops;

/**
 * What every backend array shares: an owning {@link Ops}, a row-major shape of rank 1 to 4, and
 * deterministic release of its memory.
 *
 * <p>Arrays are created only through their {@link Ops} ({@code alloc}, {@code asArray},
 * {@code asInts}, ...), never with {@code new}, so model code never knows whether the memory is on
 * the heap, off-heap or on a GPU. Passing an array to a kernel of another backend, or using it after
 * {@link #close()}, raises {@link ArrayStateException}.
 */
public interface NdArray extends AutoCloseable {
    /** @return the backend that owns this array's memory */
    Ops ops();

    /** @return a copy of the shape, outermost dimension first */
    int[] shape();

    /** @return the number of dimensions, 1 to 4 */
    int rank();

    /**
     * @param axis a dimension index; negative values count from the end as in NumPy
     * @return the extent of that dimension
     */
    int dim(int axis);

    /** @return the number of elements (the product of the shape; 0 for an empty batch) */
    int size();

    /** @return whether {@link #close()} has released this array's memory */
    boolean isClosed();

    /**
     * Frees the backend memory now (device memory at once). Closing twice is harmless; any later use
     * raises {@link ArrayStateException}. A view made by {@code reshape} shares its base's memory:
     * closing the view frees nothing, closing the base invalidates the view.
     */
    @Override
    void close();
}
