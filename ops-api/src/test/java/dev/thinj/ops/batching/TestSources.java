package dev.thinj.ops.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Sources and thread counting shared by the batching tests. */
final class TestSources {
    private TestSources() {
    }

    /** @return the list 0, 1, ..., n - 1 */
    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    /**
     * A list source that runs {@code hook} before making batch {@code b} (the batch's first row tells
     * which batch it is only for unshuffled fixed sizes, so the hook gets a running count).
     */
    static BatchSource<List<Integer>> withHook(int n, IntConsumer hook) {
        BatchSource<List<Integer>> inner = BatchSource.of(range(n));
        return new BatchSource<>() {
            private int made;

            @Override
            public int length() {
                return n;
            }

            @Override
            public List<Integer> batch(BatchSlot slot, Rows rows) {
                hook.accept(made++);
                return inner.batch(slot, rows);
            }
        };
    }

    /** @return the live producer threads */
    static List<Thread> producers() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(ProducerFeed.THREAD_NAME)) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * How long a test waits for something that must happen before it fails. A hang guard only: on a
     * loaded machine (the stress script runs the suite beside CPU burners) threads and the Cleaner can
     * be late by seconds, so the bound is far above any normal wait and nothing asserts on time.
     */
    static final long PATIENCE_SECONDS = 60;

    /**
     * Waits until {@code condition} holds; fails the test with {@code what} if it still does not after
     * {@link #PATIENCE_SECONDS}.
     */
    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting (" + PATIENCE_SECONDS + " s) for " + what);
            }
            Thread.sleep(5);
        }
    }

    /**
     * Waits (bounded) until no producer thread is alive, collecting garbage so that abandoned
     * iterators are cleaned.
     *
     * @param gc whether to run the garbage collector while waiting
     * @return the producers still alive after the wait
     */
    static List<Thread> awaitNoProducers(boolean gc) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (System.nanoTime() < deadline) {
            if (producers().isEmpty()) {
                return List.of();
            }
            if (gc) {
                System.gc();
            }
            Thread.sleep(20);
        }
        return producers();
    }

    /** Sleeps through a latch, ignoring the interrupt the way a careless source might not. */
    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
