package dev.thinj.ops.batching;

import java.lang.ref.Cleaner;
import java.util.NoSuchElementException;

/**
 * The iterator of one pass: asks its {@link Feed} for each batch, acquires it, retires the previous
 * one, and ends the pass when exhausted, closed, failed, or garbage collected (a {@link Cleaner} runs
 * the same close, so an abandoned {@code for} loop does not keep a producer alive).
 */
final class PassIterator<T> implements BatchIterator<T> {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "thinj-batch-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final int count;
    private final Feed<T> feed;
    private final Ending ending;
    private final Cleaner.Cleanable cleanable;
    private int taken;
    private long waitNanos;

    PassIterator(int count, Feed<T> feed) {
        this.count = count;
        this.feed = feed;
        this.ending = new Ending(feed);
        this.cleanable = CLEANER.register(this, ending);
    }

    @Override
    public boolean hasNext() {
        if (ending.done) {
            return false;
        }
        if (taken < count) {
            return true;
        }
        close();
        return false;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the pass is over (" + taken + " of " + count + " batches taken)");
        }
        // Asking for the next batch means the step on the previous one has been issued.
        ending.retireCurrent();
        long start = System.nanoTime();
        Pass.Staged<T> staged;
        try {
            staged = feed.take(taken);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        } finally {
            waitNanos += System.nanoTime() - start;
        }
        taken++;
        staged.slot().acquire();
        ending.current = staged.slot();
        return staged.value();
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public int taken() {
        return taken;
    }

    @Override
    public long waitNanos() {
        return waitNanos;
    }

    /**
     * What ending the pass does; it must not refer to the iterator, or the Cleaner could never run it.
     */
    private static final class Ending implements Runnable {
        private final Feed<?> feed;
        private volatile BatchSlot current;
        private volatile boolean done;

        Ending(Feed<?> feed) {
            this.feed = feed;
        }

        void retireCurrent() {
            BatchSlot c = current;
            current = null;
            if (c != null) {
                c.retire();
            }
        }

        @Override
        public void run() {
            done = true;
            try {
                retireCurrent();
            } finally {
                feed.close();
            }
        }
    }
}
