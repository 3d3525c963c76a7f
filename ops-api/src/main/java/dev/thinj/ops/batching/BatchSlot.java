package dev.thinj.ops.batching;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;

/**
 * One batch on its way from the producer to the consumer: the arrays a {@link BatchSource} gathers
 * into it, and the synchronisation points of its hand-over. See {@link BatchStaging} for the call
 * order and who may recycle what.
 *
 * <p>Every {@code gather} returns a new contiguous array of {@link #ops()} holding the given rows of
 * the source in batch order: shape {@code (rows.count(), rest of the source's shape)}.
 */
public interface BatchSlot {
    /** @return the backend whose arrays the batch is made of */
    Ops ops();

    /**
     * Gathers rows of a host array. Producer thread.
     *
     * @param data row-major host values (not modified)
     * @param shape the host array's shape, rows first
     * @param rows the rows to take
     * @return the batch's array
     */
    FloatArray gather(float[] data, int[] shape, Rows rows);

    /**
     * Gathers rows of a host int array. Producer thread.
     *
     * @param data row-major host values (not modified)
     * @param shape the host array's shape, rows first
     * @param rows the rows to take
     * @return the batch's array
     */
    IntArray gather(int[] data, int[] shape, Rows rows);

    /**
     * Gathers rows of a backend array, of this or another backend. Producer thread.
     *
     * @param data the source (not modified; must not be modified while batches are produced)
     * @param rows the rows to take
     * @return the batch's array
     */
    FloatArray gather(FloatArray data, Rows rows);

    /**
     * Gathers rows of a backend int array. Producer thread.
     *
     * @param data the source (not modified)
     * @param rows the rows to take
     * @return the batch's array
     */
    IntArray gather(IntArray data, Rows rows);

    /** Every array of the batch has been gathered (a GPU staging records its copy event). Producer thread. */
    void ready();

    /** The batch is about to be handed to the consumer (a GPU staging makes compute wait on the copy). */
    void acquire();

    /** The consumer has issued its step on this batch and moved on; the staging may recycle later. */
    void retire();

    /** The batch will never be handed out: free its arrays now. */
    void discard();
}
