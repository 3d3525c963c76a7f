package dev.thinj.ops.batching;

import java.util.SplittableRandom;

/**
 * The row order of each pass. Unshuffled, the identity (represented as {@code null}); shuffled, as
 * Thinc does, the previous pass's order shuffled again by one generator seeded once, so the sequence
 * of orders is reproducible from the seed. Each pass gets its own array, because a producer may still
 * be reading the previous one.
 */
final class Shuffler {
    private final SplittableRandom random;
    private int[] order;

    /**
     * @param length rows
     * @param shuffle whether to shuffle
     * @param seed the generator's seed
     */
    Shuffler(int length, boolean shuffle, long seed) {
        if (shuffle) {
            this.random = new SplittableRandom(seed);
            this.order = new int[length];
            for (int i = 0; i < length; i++) {
                order[i] = i;
            }
        } else {
            this.random = null;
            this.order = null;
        }
    }

    /** @return the next pass's order, or {@code null} for the identity */
    synchronized int[] nextPass() {
        if (random == null) {
            return null;
        }
        int[] next = order.clone();
        // Fisher-Yates, as numpy.random.shuffle.
        for (int i = next.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = next[i];
            next[i] = next[j];
            next[j] = t;
        }
        order = next;
        return next;
    }
}
