package dev.thinj.ops;

/** An int32 array of rank 1 to 4 owned by an {@link Ops}: labels, indices, lengths. */
public interface IntArray extends NdArray {
    /**
     * Copies the elements to the host, row-major (a synchronisation on asynchronous backends).
     *
     * @return a new host array of {@link #size()} elements
     */
    int[] toIntArray();

    /**
     * Reads one element (a host round trip: for tests and inspection).
     *
     * @param index one index per dimension
     * @return the element
     */
    int get(int... index);

    /**
     * A view of the same memory with another shape of equal size.
     *
     * @param shape the new shape, rank 1 to 4, with the same number of elements
     * @return the view
     */
    IntArray reshape(int... shape);
}
