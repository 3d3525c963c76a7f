package dev.thinj.ops.batching;

import java.util.Spliterator;
import java.util.function.Consumer;

/**
 * A spliterator over one pass that starts the pass only when the first batch is asked for. Libraries
 * call {@code spliterator()} just to learn the size (progress bars do, next to {@code iterator()});
 * starting a pass there would draw a shuffle order, and so shift every later pass of a seeded run.
 */
final class PassSpliterator<T> implements Spliterator<T> {
    private final SizedBatches<T> batches;
    private BatchIterator<T> pass;
    private long remaining;

    PassSpliterator(SizedBatches<T> batches) {
        this.batches = batches;
        this.remaining = batches.size();
    }

    private BatchIterator<T> pass() {
        if (pass == null) {
            pass = batches.iterator();
        }
        return pass;
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
        BatchIterator<T> it = pass();
        if (!it.hasNext()) {
            return false;
        }
        T batch = it.next();
        remaining--;
        action.accept(batch);
        return true;
    }

    @Override
    public void forEachRemaining(Consumer<? super T> action) {
        try (BatchIterator<T> it = pass()) {
            while (it.hasNext()) {
                T batch = it.next();
                remaining--;
                action.accept(batch);
            }
        }
    }

    @Override
    public Spliterator<T> trySplit() {
        // Batches come in order from one producer; there is nothing to split.
        return null;
    }

    @Override
    public long estimateSize() {
        return remaining;
    }

    @Override
    public int characteristics() {
        return ORDERED | NONNULL | SIZED;
    }
}
