package dev.thinj.ops.batching;

import java.util.OptionalLong;

/**
 * How {@code minibatch} and {@code multibatch} iterate: shuffling (and its seed) and buffering.
 * Immutable; each {@code with}-method returns a copy.
 *
 * <pre>{@code
 * BatchOptions opts = BatchOptions.defaults().shuffle(true).seed(0).buffer(4);
 * }</pre>
 *
 * @param shuffle whether every pass visits the rows in a new random order (Thinc's {@code shuffle})
 * @param seed the seed of the shuffling generator; empty for a random one. The generator is seeded
 *     once per {@code minibatch} call and draws one permutation per pass, so pass {@code k} of two
 *     calls with the same seed visits the same rows in the same order
 * @param buffer {@code 1}: batches are made on the calling thread, in {@code next()}; {@code k > 1}: a
 *     background producer makes up to {@code k} batches ahead (the one being made included)
 */
public record BatchOptions(boolean shuffle, OptionalLong seed, int buffer) {
    /** Checks the values. */
    public BatchOptions {
        if (seed == null) {
            throw new IllegalArgumentException("seed is null; use OptionalLong.empty() for a random seed");
        }
        if (buffer < 1) {
            throw new IllegalArgumentException("buffer must be at least 1, got " + buffer);
        }
    }

    /** @return Thinc's defaults: no shuffling, {@code buffer = 1} */
    public static BatchOptions defaults() {
        return new BatchOptions(false, OptionalLong.empty(), 1);
    }

    /**
     * @param on whether to shuffle every pass
     * @return a copy with that setting
     */
    public BatchOptions shuffle(boolean on) {
        return new BatchOptions(on, seed, buffer);
    }

    /**
     * @param value the shuffling seed
     * @return a copy with that seed
     */
    public BatchOptions seed(long value) {
        return new BatchOptions(shuffle, OptionalLong.of(value), buffer);
    }

    /**
     * @param batches how many batches may be made ahead, at least 1
     * @return a copy with that buffer
     */
    public BatchOptions buffer(int batches) {
        return new BatchOptions(shuffle, seed, batches);
    }
}
