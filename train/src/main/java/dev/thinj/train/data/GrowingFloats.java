package dev.thinj.train.data;

import java.util.Arrays;

/**
 * A float array that grows as rows are appended, so that readers parse values straight into
 * primitive storage (no boxed per-row lists). It grows by half its size, and refuses with a
 * {@link DataException} rather than overflow when the values would not fit one Java array.
 */
public final class GrowingFloats {
    /** The most values one array may hold (the JVM's limit, less a margin). */
    public static final int MAX_VALUES = Integer.MAX_VALUE - 16;

    private float[] values;
    private int size;

    /** @param initialCapacity values to hold before the first growth */
    public GrowingFloats(int initialCapacity) {
        values = new float[Math.max(16, initialCapacity)];
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
        ensure(n, source);
        System.arraycopy(src, from, values, size, n);
        size += n;
    }

    /**
     * Appends one value.
     *
     * @param v the value
     * @param source what is being read, for the message when it does not fit
     * @throws DataException if the array would exceed {@link #MAX_VALUES}
     */
    public void add(float v, String source) {
        ensure(1, source);
        values[size++] = v;
    }

    /** @return the number of values appended */
    public int size() {
        return size;
    }

    /** @return the values appended, in an array of exactly {@link #size()} (the storage when it fits) */
    public float[] toArray() {
        return values.length == size ? values : Arrays.copyOf(values, size);
    }

    private void ensure(int more, String source) {
        if ((long) size + more <= values.length) {
            return;
        }
        long needed = (long) size + more;
        if (needed > MAX_VALUES) {
            throw new DataException(source + ": more than " + MAX_VALUES
                    + " values in all, too many for one array; split the file");
        }
        long grown = Math.max(needed, values.length + (values.length >> 1));
        values = Arrays.copyOf(values, (int) Math.min(grown, MAX_VALUES));
    }
}
