package dev.thinj.ops.batching;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code buffer = k > 1}: a daemon thread makes the pass's batches in order into a bounded queue of
 * {@code k - 1}, so that at most {@code k} batches exist ahead of the consumer (the one being made
 * included) and the consumer finds the next one ready.
 *
 * <p><b>Stopping.</b> Both sides wait in bounded slices and look at a closed flag between them, so
 * neither can wait for ever on a side that is gone. {@link #close()} sets the flag, drains the queue
 * (which also unblocks a producer waiting for room), gives the producer a moment to finish the batch
 * it is making, then interrupts it. Whichever of producer and consumer leaves last closes the
 * staging, so a slot is never retired or discarded after its staging was closed.
 *
 * <p><b>Failure.</b> An error while making a batch is queued in the batch's place and raised by
 * {@link #take(int)} on the consumer's thread; the producer stops there.
 */
final class ProducerFeed<T> implements Feed<T> {
    /** Producer threads are named {@code thinj-batch-producer-N}. */
    static final String THREAD_NAME = "thinj-batch-producer";
    private static final AtomicLong THREADS = new AtomicLong();
    /** One wait slice: how soon a waiting side notices that the other has closed or died. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long close() lets the producer finish its current batch before interrupting it. */
    private static final long GRACE_MILLIS = 200;
    /** How long close() waits for an interrupted producer; past it the producer cleans up on its own. */
    private static final long JOIN_MILLIS = 5_000;

    private final Pass<T> pass;
    private final BatchStaging staging;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger parties = new AtomicInteger(2);
    private volatile boolean closed;

    ProducerFeed(Pass<T> pass, BatchStaging staging, int buffer) {
        this.pass = pass;
        this.staging = staging;
        this.queue = new ArrayBlockingQueue<>(buffer - 1);
        this.thread = new Thread(this::produce, THREAD_NAME + "-" + THREADS.incrementAndGet());
        this.thread.setDaemon(true);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Pass.Staged<T> take(int b) {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
        while (true) {
            Object item;
            try {
                item = queue.poll(SLICE_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BatchException("interrupted while waiting for batch " + (b + 1) + " of " + pass.count(), e);
            }
            if (item == null) {
                if (closed) {
                    throw new IllegalStateException("the pass was closed while waiting for batch " + (b + 1));
                }
                if (thread.isAlive()) {
                    continue;
                }
                // Everything a dead thread queued is visible now; one last look.
                item = queue.poll();
                if (item == null) {
                    throw new BatchException("the batch producer stopped without making batch " + (b + 1) + " of "
                            + pass.count(), null);
                }
            }
            if (item instanceof Failed f) {
                throw f.error();
            }
            return (Pass.Staged<T>) item;
        }
    }

    private void produce() {
        try {
            for (int b = 0; b < pass.count() && !closed; b++) {
                Pass.Staged<T> item;
                try {
                    item = pass.make(staging, b);
                } catch (BatchException e) {
                    if (!closed) {
                        offer(new Failed(e));
                    }
                    return;
                }
                if (!offer(item)) {
                    item.slot().discard();
                    return;
                }
            }
        } finally {
            if (closed) {
                drain();
            }
            leave();
        }
    }

    /** Queues an item, waiting for room in slices; false if the pass was closed first. */
    private boolean offer(Object item) {
        try {
            while (!closed) {
                if (queue.offer(item, SLICE_NANOS, TimeUnit.NANOSECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            // Only close() interrupts us, after setting the flag.
        }
        return false;
    }

    /** Discards every batch still queued. Safe from both sides at once: each item is polled once. */
    private void drain() {
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof Pass.Staged<?> s) {
                s.slot().discard();
            }
        }
    }

    private void leave() {
        if (parties.decrementAndGet() == 0) {
            staging.close();
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        if (started.compareAndSet(false, true)) {
            // Never started: the producer's share of the staging ends here as well.
            leave();
        } else {
            drain();
            // A consumer closing because it was interrupted must still wait for the producer: set its
            // own interrupt aside for the joins and put it back afterwards.
            boolean interrupted = Thread.interrupted();
            try {
                thread.join(GRACE_MILLIS);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(JOIN_MILLIS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                thread.interrupt();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            drain();
        }
        leave();
    }

    /** A failure queued in a batch's place. */
    private record Failed(BatchException error) {
    }
}
