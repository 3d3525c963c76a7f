package dev.thinj.ops;

/**
 * Flattening of nested host arrays into row-major values, with the shape checks every backend's
 * {@code asArray}/{@code asInts} make, so that all backends reject ragged input with the same message.
 */
public final class HostArrays {
    private HostArrays() {
    }

    /**
     * @param rows equal-length rows
     * @return the values row-major, shape {@code (rows.length, rows[0].length)}
     * @throws ShapeException naming the first row whose length differs
     */
    public static float[] flatten(float[][] rows) {
        return flatten("asArray", rows);
    }

    /**
     * @param what the caller, which starts any error message
     * @param rows equal-length rows
     * @return the values row-major, shape {@code (rows.length, rows[0].length)}
     * @throws ShapeException naming the first row whose length differs
     */
    public static float[] flatten(String what, float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] d = new float[Shapes.checkedSize(what, rows.length, cols)];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new ShapeException(what + ": row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[r], 0, d, r * cols, cols);
        }
        return d;
    }

    /**
     * @param data a box of equal extents
     * @return the values row-major, shape {@code (data.length, data[0].length, data[0][0].length)}
     * @throws ShapeException naming the first ragged place
     */
    public static float[] flatten(float[][][] data) {
        int d1 = data.length == 0 ? 0 : data[0].length;
        int d2 = d1 == 0 ? 0 : data[0][0].length;
        float[] d = new float[Shapes.checkedSize("asArray", data.length, d1, d2)];
        for (int i = 0; i < data.length; i++) {
            if (data[i].length != d1) {
                throw new ShapeException("asArray: data[" + i + "] has " + data[i].length + " rows, data[0] has " + d1);
            }
            for (int j = 0; j < d1; j++) {
                if (data[i][j].length != d2) {
                    throw new ShapeException("asArray: data[" + i + "][" + j + "] has " + data[i][j].length
                            + " values, data[0][0] has " + d2);
                }
                System.arraycopy(data[i][j], 0, d, (i * d1 + j) * d2, d2);
            }
        }
        return d;
    }

    /**
     * @param rows equal-length rows
     * @return the values row-major, shape {@code (rows.length, rows[0].length)}
     * @throws ShapeException naming the first row whose length differs
     */
    public static int[] flatten(int[][] rows) {
        return flatten("asInts", rows);
    }

    /**
     * @param what the caller, which starts any error message
     * @param rows equal-length rows
     * @return the values row-major, shape {@code (rows.length, rows[0].length)}
     * @throws ShapeException naming the first row whose length differs
     */
    public static int[] flatten(String what, int[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        int[] d = new int[Shapes.checkedSize(what, rows.length, cols)];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new ShapeException(what + ": row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[r], 0, d, r * cols, cols);
        }
        return d;
    }
}
