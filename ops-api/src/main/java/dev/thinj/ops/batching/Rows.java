package dev.thinj.ops.batching;

import java.util.Arrays;

/**
 * The rows one batch takes from its source: positions {@code [from, to)} of the pass's order. The
 * order is a permutation of the source's rows when shuffling, or the identity, in which case the rows
 * are one contiguous range and a source can copy them in one piece.
 *
 * <p>Immutable; the order array is shared with the pass and must not be modified.
 */
public final class Rows {
    private final int[] order;
    private final int from;
    private final int to;

    Rows(int[] order, int from, int to) {
        this.order = order;
        this.from = from;
        this.to = to;
    }

    /**
     * @param from first row, inclusive
     * @param to last row, exclusive
     * @return the contiguous rows {@code [from, to)}
     */
    public static Rows range(int from, int to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("Rows.range: bad range [" + from + ", " + to + ")");
        }
        return new Rows(null, from, to);
    }

    /**
     * @param rows row indices, in batch order (copied)
     * @return those rows
     */
    public static Rows of(int... rows) {
        return new Rows(rows.clone(), 0, rows.length);
    }

    /** @return the number of rows in the batch */
    public int count() {
        return to - from;
    }

    /**
     * @param i a position in the batch, {@code [0, count())}
     * @return the source row at that position
     */
    public int row(int i) {
        return order == null ? from + i : order[from + i];
    }

    /** @return whether the rows are one ascending contiguous range, starting at {@link #first()} */
    public boolean isContiguous() {
        return order == null;
    }

    /** @return the first source row of a contiguous batch (for a shuffled batch, {@code row(0)}) */
    public int first() {
        return order == null ? from : (count() == 0 ? 0 : order[from]);
    }

    /** @return the source rows in batch order, as a new array */
    public int[] toArray() {
        if (order == null) {
            int[] r = new int[count()];
            Arrays.setAll(r, i -> from + i);
            return r;
        }
        return Arrays.copyOfRange(order, from, to);
    }

    @Override
    public String toString() {
        return order == null ? "Rows[" + from + ", " + to + ")" : "Rows" + Arrays.toString(toArray());
    }
}
