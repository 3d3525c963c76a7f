package dev.thinj.ops.batching;

/**
 * The backend hook of the batching pipeline: how the arrays of a batch are allocated, filled, handed
 * to the consumer and recycled. {@code Ops.batchStaging()} returns one per iteration (per pass); the
 * default, {@link DefaultBatchStaging}, works for any backend through its public kernels, and a backend
 * overrides it to stage more directly (the CPU backend gathers rows straight into the arrays its
 * kernels read; a CUDA backend copies from pinned host memory on a copy stream).
 *
 * <p><b>Call order.</b> For each batch:
 * <ol>
 *   <li>producer thread: {@link #open()} a slot, fill it through the slot's {@code gather} methods
 *       (one call per array of the batch), then {@link BatchSlot#ready()};</li>
 *   <li>consumer thread, just before the batch is returned by {@code next()}:
 *       {@link BatchSlot#acquire()};</li>
 *   <li>consumer thread, when it asks for the following batch (its step on this batch has been
 *       issued) or ends the iteration: {@link BatchSlot#retire()};</li>
 *   <li>instead of 2 and 3, for a batch produced but never handed out (the iteration was stopped):
 *       {@link BatchSlot#discard()}, on either thread.</li>
 * </ol>
 * and {@link #close()} once, after the producer has stopped and every slot was retired or discarded.
 * With {@code buffer = 1} both roles are the calling thread. Slots may be open, ready and acquired
 * concurrently (at most {@code buffer + 1} at once), each on one thread at a time.
 *
 * <p><b>Memory.</b> An array of a batch belongs to the consumer once acquired; a staging must never
 * write to it again. A staging that recycles memory (a pool of pinned host buffers, of device slots)
 * may reuse what it gave a batch only after that batch's {@code retire()} <em>and</em> after the work
 * issued before {@code retire()} has finished: a GPU staging records an event on the compute stream in
 * {@code retire()} and reuses the slot once the event has fired, never on a guess. Since
 * {@code retire()} also runs when a pass ends early (closed, or its iterator collected while the
 * consumer may still hold the last batch), a recycling staging closes the arrays it handed out before
 * reusing their memory, so that a late use fails with {@code ArrayStateException} instead of reading
 * another batch. The default and CPU stagings allocate fresh arrays for every batch and recycle
 * nothing: on the heap that costs less than a step's first kernel and leaves nothing to race.
 */
public interface BatchStaging extends AutoCloseable {
    /**
     * Starts a batch. Producer thread.
     *
     * @return a slot to fill
     */
    BatchSlot open();

    /** Frees what the staging holds (pools, streams, events). Called once, after the last slot ended. */
    @Override
    void close();
}
