package dev.thinj.ops.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU backend's one set of threads: they run the elementwise kernels and, split into blocks, the
 * matrix products ({@link Blas}), so nothing else competes for the cores between two kernels. Small
 * arrays run on the calling thread: below {@link #GRAIN} elements per thread, handing work over costs
 * more than it saves.
 *
 * <p>Each helper thread has a one-job mailbox. A kernel posts its job to every helper whose mailbox is
 * empty, then takes chunks from the job's shared counter itself; a helper that picks the job up takes
 * chunks from the same counter. A helper that has not picked the job up when the chunks run out is
 * withdrawn rather than waited for, so a helper that wakes late, or is busy with another caller's
 * kernel, costs the caller nothing. An idle helper parks at once: spinning up to 20, 25, 50 or
 * 100 us for the next kernel made neither the training step (MlpStepBenchmark, 2 cores: -2% at best)
 * nor the epoch faster in alternating A/B runs, the spinning thread holding a core the batch producer
 * and the JIT wanted.
 *
 * <p>A training step allocates nothing here: the job object is reused, and kernels ask {@link #splits}
 * before writing their body as a lambda, so the serial path (most of a step's kernels at batch 128)
 * calls the loop directly (MlpStepBenchmark, -prof gc: 3,462 B/op before, 910 after, with the scope
 * and the products' blocks also reused).
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
    private final Helper[] helpers;
    private volatile boolean shutdown;
    /** A finished job, reused by the next kernel that splits: a training step allocates none. */
    private final AtomicReference<Job> spareJob = new AtomicReference<>();

    Parallel(int threads) {
        this.threads = Math.max(1, threads);
        this.helpers = new Helper[this.threads - 1];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Helper("thinj-cpu-" + (i + 1));
        }
        for (Helper h : helpers) {
            h.thread.start();
        }
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into contiguous chunks when {@code n} is large. The
     * chunks are taken from a shared counter by the caller and the helpers alike (see the class
     * comment). Chunk boundaries depend only on {@code n} and the thread count, and every body writes
     * disjoint elements, so results never depend on who ran a chunk.
     *
     * @param n number of elements (or rows)
     * @param costPerItem relative work per item (1 for an element; a row's width for row kernels)
     * @param body the work
     */
    void forRange(int n, int costPerItem, Range body) {
        if (!splits(n, costPerItem)) {
            body.run(0, n);
            return;
        }
        int parts = parts(n, costPerItem);
        Job job = spareJob.getAndSet(null);
        if (job == null) {
            job = new Job();
        }
        job.reset(body, n, (int) Math.min(n, (long) parts * CHUNKS_PER_THREAD));
        for (int i = 0, posted = 0; i < helpers.length && posted < parts - 1; i++) {
            if (helpers[i].post(job)) {
                posted++;
            }
        }
        try {
            job.share();
        } catch (RuntimeException | Error e) {
            job.stop(e);
        }
        for (Helper h : helpers) {
            h.withdraw(job);  // never picked up: nothing left for it, and nobody waits for it
        }
        job.awaitHelpers();
        Throwable t = job.failure;
        // Every helper that took it has finished with it, and the others were withdrawn: free to reuse.
        job.reset(null, 0, 0);
        spareJob.set(job);
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /**
     * Whether {@link #forRange} would split this work over the pool. A kernel that runs every
     * training step asks first and calls its body directly when not: a capturing lambda is allocated
     * where it is written, even on the path that only calls it, so the serial path then allocates nothing.
     *
     * @param n number of elements (or rows)
     * @param costPerItem relative work per item, as for {@link #forRange}
     * @return true when the work is large enough to hand chunks to the pool's threads
     */
    boolean splits(int n, int costPerItem) {
        // A closed backend still computes, serially, rather than failing mid-kernel.
        return parts(n, costPerItem) > 1 && n >= 2 && !shutdown;
    }

    private int parts(int n, int costPerItem) {
        long work = (long) n * Math.max(1, costPerItem);
        return (int) Math.min(threads, work / GRAIN);
    }

    void shutdown() {
        shutdown = true;
        for (Helper h : helpers) {
            LockSupport.unpark(h.thread);
        }
    }

    /**
     * One kernel's chunks, shared by its caller and the helpers that picked it up. The counters are
     * fields updated through VarHandles; the object is reused from call to call ({@code spareJob}).
     * A helper sees a job's fields through the mailbox's compare-and-set that handed it over.
     */
    private static final class Job {
        private static final VarHandle NEXT;
        private static final VarHandle ACTIVE;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                NEXT = lookup.findVarHandle(Job.class, "next", int.class);
                ACTIVE = lookup.findVarHandle(Job.class, "active", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private Range body;
        private int n;
        private int chunks;
        private long chunk;
        /** The next chunk to hand out. */
        private volatile int next;
        /** Helpers the job was posted to that have neither finished with it nor been withdrawn. */
        private volatile int active;
        private volatile Throwable failure;

        /** Readies the job for a new kernel (body null: idle, holding no kernel's arrays). */
        void reset(Range body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.chunk = chunks == 0 ? 0 : (n + (long) chunks - 1) / chunks;
            this.failure = null;
            this.next = 0;
        }

        void share() {
            for (int c = (int) NEXT.getAndAdd(this, 1); c < chunks; c = (int) NEXT.getAndAdd(this, 1)) {
                long from = c * chunk;
                if (from < n) {
                    body.run((int) from, (int) Math.min(n, from + chunk));
                }
            }
        }

        /** Records the first failure and hands out no more chunks. */
        void stop(Throwable t) {
            next = chunks;
            if (failure == null) {
                failure = t;
            }
        }

        /** Counts a helper in (+1: posted to it) or out (-1: it finished, or the post was taken back). */
        void countHelper(int delta) {
            ACTIVE.getAndAdd(this, delta);
        }

        void awaitHelpers() {
            // A helper that picked the job up is running a chunk or about to see none is left: short.
            for (int spins = 0; active > 0; spins++) {
                if (spins < 10_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();  // the helper was descheduled mid-chunk: give it the core
                }
            }
        }
    }

    /** A pool thread and its one-job mailbox. */
    private final class Helper implements Runnable {
        private final AtomicReference<Job> mailbox = new AtomicReference<>();
        private final Thread thread;
        private volatile boolean parked;

        Helper(String name) {
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        /** @return whether the job was posted (false: a job of another caller waits here already) */
        boolean post(Job job) {
            // Counted before the helper can see it, so the caller never misses a helper that took it.
            job.countHelper(1);
            if (!mailbox.compareAndSet(null, job)) {
                job.countHelper(-1);
                return false;
            }
            if (parked) {
                LockSupport.unpark(thread);
            }
            return true;
        }

        /** Takes back a job the helper has not picked up. */
        void withdraw(Job job) {
            if (mailbox.compareAndSet(job, null)) {
                job.countHelper(-1);
            }
        }

        @Override
        public void run() {
            while (!shutdown) {
                Job job = await();
                if (job == null) {
                    continue;
                }
                try {
                    job.share();
                } catch (RuntimeException | Error e) {
                    job.stop(e);
                } finally {
                    job.countHelper(-1);
                }
            }
        }

        /** @return the job this helper picked up, or null (shut down, or woken without one) */
        private Job await() {
            Job job = mailbox.get();
            if (job != null) {
                return mailbox.compareAndSet(job, null) ? job : null;
            }
            // Parked is set before the last look, and a poster reads it after posting: no lost wake-up.
            parked = true;
            if (mailbox.get() == null && !shutdown) {
                LockSupport.park(this);
            }
            parked = false;
            return null;
        }
    }
}
