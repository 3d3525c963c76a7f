package dev.thinj.ops.batching;

import java.util.Iterator;

/**
 * One pass over {@link SizedBatches}. Not thread-safe: one consumer thread calls it. Closing it (or
 * exhausting it) ends the pass: the producer stops, unused batches are freed, and later calls to
 * {@link #hasNext()} return {@code false}.
 *
 * <p>A failure while making a batch is raised from {@link #next()} as a {@link BatchException} whose
 * cause is the original error, on this thread whichever thread made the batch; the pass is then over.
 *
 * @param <T> the type of a batch
 */
public interface BatchIterator<T> extends Iterator<T>, AutoCloseable {
    /** Ends the pass now. Idempotent. */
    @Override
    void close();

    /** @return the batches handed out so far in this pass */
    int taken();

    /**
     * The consumer's time inside {@link #next()} waiting for its batch: with {@code buffer = 1} the time
     * spent making it; with {@code buffer > 1} the time blocked on the producer. Divided by the pass's
     * time, it is the fraction of the step time the consumer waited for data.
     *
     * @return nanoseconds waited so far in this pass
     */
    long waitNanos();
}
