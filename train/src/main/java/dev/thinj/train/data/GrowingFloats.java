package dev.thinj.train.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A float array that grows as rows are appended, so that readers parse values straight into
 * primitive storage (no boxed per-row lists). It fills fixed-size blocks rather than doubling one
 * array, so growing never copies: reading n values allocates n for the blocks and n for
 * {@link #toArray()}, where doubling would allocate about 3n before that. It refuses with a
 * {@link DataException} rather than overflow when the values would not fit one Java array.
 */
public final class GrowingFloats {
    /** The most values one array may hold (the JVM's limit, less a margin). */
    public static final int MAX_VALUES = Integer.MAX_VALUE - 16;

    private static final int MAX_BLOCK = 1 << 20;

    private final List<float[]> full = new ArrayList<>();
    private float[] block;
    private int used;
    private long size;

    /** @param initialCapacity values to hold in the first block (later blocks hold up to 2^20) */
    public GrowingFloats(int initialCapacity) {
        block = new float[Math.max(16, Math.min(initialCapacity, MAX_BLOCK))];
    }

    /**
     * Appends values, growing when needed.
     *
     * @param src the values (not modified)
     * @param from the first to append
     * @param n how many
     * @param source what is being read, for the message when it does not fit
     * @throws DataException if the array would exceed {@link #MAX_VALUES}
     */
    public void append(float[] src, int from, int n, String source) {
        check(n, source);
        while (n > 0) {
            if (used == block.length) {
                nextBlock();
            }
            int k = Math.min(n, block.length - used);
            System.arraycopy(src, from, block, used, k);
            used += k;
            from += k;
            n -= k;
            size += k;
        }
    }

    /**
     * Appends one value.
     *
     * @param v the value
     * @param source what is being read, for the message when it does not fit
     * @throws DataException if the array would exceed {@link #MAX_VALUES}
     */
    public void add(float v, String source) {
        check(1, source);
        if (used == block.length) {
            nextBlock();
        }
        block[used++] = v;
        size++;
    }

    /** @return the number of values appended */
    public int size() {
        return (int) size;
    }

    /** @return the values appended, in a new array of exactly {@link #size()} */
    public float[] toArray() {
        float[] out = new float[(int) size];
        int at = 0;
        for (float[] b : full) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        System.arraycopy(block, 0, out, at, used);
        return out;
    }

    private void nextBlock() {
        full.add(block);
        block = new float[MAX_BLOCK];
        used = 0;
    }

    private void check(int more, String source) {
        if (size + more > MAX_VALUES) {
            throw new DataException(source + ": more than " + MAX_VALUES
                    + " values in all, too many for one array; split the file");
        }
    }
}
