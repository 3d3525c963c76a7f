package dev.thinj.ops.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
     * Runs {@code body} over {@code [0, n)}, split into contiguous chunks when {@code n} is large.
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
        parts = Math.min(parts, n);
        Future<?>[] futures = new Future<?>[parts - 1];
        int chunk = (n + parts - 1) / parts;
        for (int p = 1; p < parts; p++) {
            int from = p * chunk;
            int to = Math.min(n, from + chunk);
            futures[p - 1] = from < to ? pool.submit(() -> body.run(from, to)) : null;
        }
        body.run(0, Math.min(n, chunk));
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            if (f == null) {
                continue;
            }
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (failure == null) {
                    failure = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while waiting for a kernel chunk", e);
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
