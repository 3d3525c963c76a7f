package dev.thinj.ops.batching;

/**
 * What one pass needs to make its batches: the plan, this pass's order, the source. Makes batch
 * {@code b} into a fresh slot, which is discarded if making it fails.
 */
record Pass<T>(BatchPlan plan, int[] order, BatchSource<T> source) {
    /** @return the number of batches */
    int count() {
        return plan.count();
    }

    /**
     * @param staging where the batch is staged
     * @param b the batch's index
     * @return the batch, ready for acquisition
     * @throws BatchException naming the batch, with the original error as its cause
     */
    Staged<T> make(BatchStaging staging, int b) {
        BatchSlot slot = null;
        try {
            slot = staging.open();
            int from = plan.start(b);
            T value = source.batch(slot, new Rows(order, from, from + plan.rows(b)));
            slot.ready();
            return new Staged<>(value, slot);
        } catch (Throwable e) {
            if (slot != null) {
                try {
                    slot.discard();
                } catch (RuntimeException again) {
                    e.addSuppressed(again);
                }
            }
            throw failure(b, e);
        }
    }

    /**
     * @param b the batch's index
     * @param e what went wrong
     * @return the exception the consumer sees
     */
    BatchException failure(int b, Throwable e) {
        if (e instanceof BatchException be) {
            return be;
        }
        return new BatchException("making batch " + (b + 1) + " of " + count() + " failed: " + e, e);
    }

    /** A made batch and the slot that staged it. */
    record Staged<T>(T value, BatchSlot slot) {
    }
}
