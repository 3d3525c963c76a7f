package dev.thinj.ops.batching;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/** {@link SizedBatches} over one plan and source: every {@link #iterator()} is a new pass. */
final class Minibatches<T> implements SizedBatches<T> {
    private final Supplier<? extends BatchStaging> staging;
    private final BatchPlan plan;
    private final BatchSource<T> source;
    private final Shuffler shuffler;
    private final int buffer;

    Minibatches(Supplier<? extends BatchStaging> staging, BatchPlan plan, BatchSource<T> source, BatchOptions options) {
        this.staging = staging;
        this.plan = plan;
        this.source = source;
        long seed = options.seed().orElseGet(() -> new SplittableRandom().nextLong());
        this.shuffler = new Shuffler(plan.length(), options.shuffle(), seed);
        this.buffer = options.buffer();
    }

    @Override
    public int size() {
        return plan.count();
    }

    @Override
    public BatchIterator<T> iterator() {
        Pass<T> pass = new Pass<>(plan, shuffler.nextPass(), source);
        BatchStaging s = staging.get();
        Feed<T> feed = buffer == 1 ? new InlineFeed<>(pass, s) : new ProducerFeed<>(pass, s, buffer);
        return new PassIterator<>(pass.count(), feed);
    }

    @Override
    public String toString() {
        return "SizedBatches[" + size() + " batches of " + plan.length() + " rows, buffer " + buffer + "]";
    }
}
