package dev.thinj.model;

import java.util.SplittableRandom;

/**
 * Where layers get their seeds: each layer draws one when it is built and derives its weight
 * initialisation and dropout masks from it. {@link #fix(long)} makes model building reproducible on
 * this thread, as Thinc's {@code fix_random_seed}; without it, seeds come from a random source.
 */
public final class RandomSeeds {
    private static final ThreadLocal<SplittableRandom> SOURCE = ThreadLocal.withInitial(SplittableRandom::new);

    private RandomSeeds() {
    }

    /**
     * Restarts this thread's seed sequence.
     *
     * @param seed the sequence's seed
     */
    public static void fix(long seed) {
        SOURCE.set(new SplittableRandom(seed));
    }

    /** @return the next seed for a new layer on this thread */
    public static long next() {
        return SOURCE.get().nextLong();
    }
}
