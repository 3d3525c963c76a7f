package dev.thinj.ops;

/**
 * The counter-based generator behind {@link ActivationKernels#dropoutMask}: draw {@code i} under key
 * {@code seed} is a pure function of both (SplitMix64's finaliser), so a backend can compute any
 * element independently, in any order, on any device, and get the same bits.
 */
public final class CounterRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private CounterRandom() {
    }

    /**
     * @param seed the key
     * @param index the counter
     * @return 64 well-mixed bits
     */
    public static long bits(long seed, long index) {
        long z = seed + (index + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param seed the key
     * @param index the counter
     * @return a float uniform in [0, 1) with 24 random bits
     */
    public static float uniform(long seed, long index) {
        return (bits(seed, index) >>> 40) * 0x1.0p-24f;
    }
}
