package dev.thinj.ops.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The CPU backend's one thread pool for elementwise kernels, sized once. Small arrays run on the
 * calling thread: below {@link #GRAIN} elements per thread, handing work over costs more than it
 * saves. BLAS runs its own threads, but never at the same time as these (kernels are synchronous).
 */
final class Parallel {
    /**
     * Work units per thread below which a kernel stays serial. Handing a chunk to a parked pool thread
     * costs ~15-20 us here, more than a memory-bound pass over 64K floats (relu on 128x512: 3.6 us
     * serial, 22 us split in two: SmallKernelBenchmark), so only heavy work is split.
     */
    static final int GRAIN = 1 << 18;

    /** Chunks per thread that splits: small enough that the caller never waits long for a helper's last one. */
    static final int CHUNKS_PER_THREAD = 8;

    private static final int PENDING = 0;
    private static final int CLAIMED = 1;
    private static final int WITHDRAWN = 2;

    /** Relative cost of an element for a memory-bound kernel (add, mul, relu, axpy). */
    static final int CHEAP = 1;

    /** Relative cost of an element for a kernel that calls exp or tanh (sigmoid, softmax, gelu). */
    static final int TRANSCENDENTAL = 16;

    /** A kernel body over the half-open element range {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        if (this.threads > 1) {
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(this.threads - 1, r -> {
                Thread t = new Thread(r, "thinj-cpu-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.pool = null;
        }
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into contiguous chunks when {@code n} is large. The
     * chunks are taken from a shared counter by the caller and the pool's threads alike, so a helper
     * that wakes late costs the caller nothing: the caller takes the chunks the helper did not, and a
     * helper that has not started when the chunks run out is withdrawn rather than waited for. (With a
     * fixed half each, a training step's caller spent more time waiting for the pool's thread to wake,
     * on a core OpenBLAS's worker was leaving, than computing its own half: wall profile, dropout mask
     * and Adam on the Fashion-MNIST MLP.) Chunk boundaries depend only on {@code n} and the thread
     * count, and every body writes disjoint elements, so results never depend on who ran a chunk.
     *
     * @param n number of elements (or rows)
     * @param costPerItem relative work per item (1 for an element; a row's width for row kernels)
     * @param body the work
     */
    void forRange(int n, int costPerItem, Range body) {
        long work = (long) n * Math.max(1, costPerItem);
        int parts = (int) Math.min(threads, work / GRAIN);
        // A closed backend (pool shut down) still computes, serially, rather than failing mid-kernel.
        if (parts <= 1 || pool == null || n < 2 || pool.isShutdown()) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(n, (long) parts * CHUNKS_PER_THREAD);
        long chunk = (n + (long) chunks - 1) / chunks;
        AtomicInteger next = new AtomicInteger();
        Runnable share = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                long from = c * chunk;
                if (from < n) {
                    body.run((int) from, (int) Math.min(n, from + chunk));
                }
            }
        };
        // A helper runs only if it claims its hand-over before the caller withdraws it (FutureTask.cancel
        // would not do: it also succeeds while the task is running).
        Future<?>[] helpers = new Future<?>[parts - 1];
        AtomicIntegerArray claims = new AtomicIntegerArray(parts - 1);  // all PENDING (0)
        for (int p = 0; p < helpers.length; p++) {
            int helper = p;
            helpers[p] = pool.submit(() -> {
                if (claims.compareAndSet(helper, PENDING, CLAIMED)) {
                    share.run();
                }
            });
        }
        RuntimeException failure = null;
        try {
            share.run();
        } catch (RuntimeException e) {
            next.set(chunks);  // no more chunks for anyone: the kernel has failed
            failure = e;
        }
        for (int p = 0; p < helpers.length; p++) {
            if (claims.compareAndSet(p, PENDING, WITHDRAWN)) {
                continue;  // never started: the caller ran its chunks, and it will find nothing to do
            }
            try {
                helpers[p].get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (failure == null) {
                    failure = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = new IllegalStateException("interrupted while waiting for a kernel chunk", e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    void shutdown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
