package dev.thinj.ops.batching;

import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
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

    // ---- the row arithmetic every staging shares -------------------------------------------------

    /**
     * @param what the source, for messages
     * @param length the host array's length
     * @param shape its shape, rows first
     * @return elements per row
     */
    public static int rowWidth(String what, int length, int[] shape) {
        int size = Shapes.checkedSize("minibatch", shape);
        if (size != length) {
            throw new ShapeException("minibatch: " + what + " of " + length + " values does not fill shape "
                    + Shapes.format(shape));
        }
        return Shapes.rowWidth(shape);
    }

    /**
     * @param shape the source's shape, rows first
     * @param rows the batch's rows
     * @return the batch's shape
     */
    public static int[] batchShape(int[] shape, Rows rows) {
        int[] out = shape.clone();
        out[0] = rows.count();
        return out;
    }

    /**
     * @param row a source row
     * @param shape the source's shape
     * @return the row, checked to be within the source
     */
    public static int checkRow(int row, int[] shape) {
        if (row < 0 || row >= shape[0]) {
            throw new IndexOutOfBoundsException("minibatch: row " + row + " outside a source of " + shape[0] + " rows");
        }
        return row;
    }

    /**
     * Copies the given rows of a row-major host array into a new array, bounds-checked.
     *
     * @param src the source values
     * @param shape the source's shape, rows first
     * @param width values per row
     * @param rows the rows to take
     * @return the rows in batch order
     */
    public static float[] gatherRows(float[] src, int[] shape, int width, Rows rows) {
        return gatherRows(src, shape, width, rows, new float[Math.multiplyExact(rows.count(), width)]);
    }

    /**
     * {@link #gatherRows(float[], int[], int, Rows)} into a given array, such as recycled storage.
     *
     * @param out at least {@code rows.count() * width} values, overwritten from index 0
     * @return {@code out}
     */
    public static float[] gatherRows(float[] src, int[] shape, int width, Rows rows, float[] out) {
        int n = rows.count();
        if (rows.isContiguous()) {
            checkRange(rows, shape);
            System.arraycopy(src, rows.first() * width, out, 0, n * width);
        } else {
            for (int i = 0; i < n; i++) {
                System.arraycopy(src, checkRow(rows.row(i), shape) * width, out, i * width, width);
            }
        }
        return out;
    }

    /** Int variant of {@link #gatherRows(float[], int[], int, Rows)}. */
    public static int[] gatherRows(int[] src, int[] shape, int width, Rows rows) {
        int n = rows.count();
        int[] out = new int[Math.multiplyExact(n, width)];
        if (rows.isContiguous()) {
            checkRange(rows, shape);
            System.arraycopy(src, rows.first() * width, out, 0, n * width);
        } else {
            for (int i = 0; i < n; i++) {
                System.arraycopy(src, checkRow(rows.row(i), shape) * width, out, i * width, width);
            }
        }
        return out;
    }

    /**
     * @param rows a contiguous run of rows
     * @param shape the source's shape
     * @throws IndexOutOfBoundsException if the run leaves the source
     */
    public static void checkRange(Rows rows, int[] shape) {
        if (rows.count() > 0) {
            checkRow(rows.first(), shape);
            checkRow(rows.first() + rows.count() - 1, shape);
        }
    }

    @Override
    public String toString() {
        return order == null ? "Rows[" + from + ", " + to + ")" : "Rows" + Arrays.toString(toArray());
    }
}
