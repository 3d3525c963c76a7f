package dev.thinj.ops.batching;

/**
 * Hands a pass's batches to its iterator in order: made on demand ({@link InlineFeed}) or by a
 * producer thread ahead of time ({@link ProducerFeed}). Owns the pass's staging and closes it.
 */
interface Feed<T> {
    /**
     * Consumer thread. Called once per batch, in order, while the pass is open.
     *
     * @param b the batch's index
     * @return the batch
     * @throws BatchException if making it failed
     */
    Pass.Staged<T> take(int b);

    /** Stops making batches, frees those not handed out, then closes the staging. Idempotent; any thread. */
    void close();
}
