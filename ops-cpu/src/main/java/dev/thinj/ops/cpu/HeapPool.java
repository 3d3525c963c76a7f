package dev.thinj.ops.cpu;

import java.util.ArrayDeque;

/**
 * Recycles the {@code float[]} of closed arrays. A training step that frees its temporaries (an
 * {@code ArrayScope} around the step, or layers closing what they no longer need) then gets the
 * same storage back in the next step instead of fresh heap: no zeroing of new pages by the kernel,
 * no young collections, and the same cache lines. Arrays nobody closes are left to the garbage
 * collector as before, so the pool is an optimisation, never a requirement.
 *
 * <p>Buffers are kept by exact length, up to {@link #limitBytes} in all; small arrays are not pooled
 * (the JVM allocates them from its thread-local buffer for next to nothing). A length is kept only
 * as often as it was ever out at once: storage given back that nobody will ask for (an input copied
 * in, a length taken once) goes to the collector instead of filling the pool, so the pool holds a
 * step's working set, not whatever passed through. Thread-safe: a batch producer thread takes
 * storage while the training thread gives some back.
 */
final class HeapPool {
    /** Arrays below this many floats are cheaper to allocate than to pool. */
    static final int MIN_FLOATS = 1024;
    /** System property: the most bytes the pool keeps (default 256 MiB; 0 turns pooling off). */
    static final String LIMIT_PROPERTY = "thinj.cpu.poolBytes";
    /** Distinct lengths kept: a model has a handful (batch x width of each layer, weights). */
    private static final int MAX_SIZES = 64;

    private final long limitBytes;
    private final int[] lengths = new int[MAX_SIZES];
    @SuppressWarnings("unchecked")
    private final ArrayDeque<float[]>[] free = new ArrayDeque[MAX_SIZES];
    /** Per length: buffers taken and not given back, and the most ever out at once. */
    private final int[] out = new int[MAX_SIZES];
    private final int[] peakOut = new int[MAX_SIZES];
    private int sizes;
    private long bytes;

    HeapPool(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /**
     * @return a pool with the limit of {@link #LIMIT_PROPERTY}; by default 256 MiB, or a quarter of
     *     the heap when that is less (a small {@code -Xmx} must leave room for the data)
     */
    static HeapPool fromSystem() {
        long byDefault = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4);
        return new HeapPool(Long.getLong(LIMIT_PROPERTY, byDefault));
    }

    /**
     * @param n the length
     * @return a buffer of exactly {@code n} floats whose contents are unspecified (old values)
     */
    float[] takeUninitialized(int n) {
        if (n >= MIN_FLOATS) {
            synchronized (this) {
                int s = demand(n);
                if (s >= 0 && !free[s].isEmpty()) {
                    bytes -= 4L * n;
                    return free[s].pop();
                }
            }
        }
        return new float[n];
    }

    /**
     * @param n the length
     * @return a buffer of exactly {@code n} zeros
     */
    float[] takeZeroed(int n) {
        if (n >= MIN_FLOATS) {
            synchronized (this) {
                int s = demand(n);
                if (s >= 0 && !free[s].isEmpty()) {
                    bytes -= 4L * n;
                    float[] a = free[s].pop();
                    java.util.Arrays.fill(a, 0f);
                    return a;
                }
            }
        }
        return new float[n];
    }

    /**
     * Takes back the storage of a closed array. The caller guarantees nothing reads or writes it
     * any more (only an array's owner gives, once, when it is closed).
     */
    void give(float[] a) {
        if (a.length < MIN_FLOATS) {
            return;
        }
        synchronized (this) {
            if (bytes + 4L * a.length > limitBytes) {
                return;  // full: the collector takes it
            }
            int s = slot(a.length);
            if (s < 0) {
                return;  // a length nobody takes
            }
            out[s] = Math.max(0, out[s] - 1);
            if (free[s].size() >= peakOut[s]) {
                return;  // more of this length than were ever out at once
            }
            free[s].push(a);
            bytes += 4L * a.length;
        }
    }

    /** @return the bytes held for reuse */
    synchronized long heldBytes() {
        return bytes;
    }

    /** Records that a buffer of {@code n} floats is taken; @return its slot, or -1 when all are used */
    private int demand(int n) {
        int s = slot(n);
        if (s < 0) {
            if (sizes == MAX_SIZES) {
                return -1;
            }
            s = sizes++;
            lengths[s] = n;
            free[s] = new ArrayDeque<>();
        }
        out[s]++;
        peakOut[s] = Math.max(peakOut[s], out[s]);
        return s;
    }

    private int slot(int n) {
        for (int s = 0; s < sizes; s++) {
            if (lengths[s] == n) {
                return s;
            }
        }
        return -1;
    }
}
