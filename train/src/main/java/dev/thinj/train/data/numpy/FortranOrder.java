package dev.thinj.train.data.numpy;

/**
 * Maps Fortran (column-major) order to C (row-major) order for an array of any rank, seen as a
 * matrix of {@code rows} (the first axis) by {@code width} (the other axes flattened): in Fortran
 * order that matrix is stored column by column, and its column index is the Fortran-order index of
 * the other axes, which {@link #columns} relates to the C-order feature index.
 */
final class FortranOrder {
    private FortranOrder() {
    }

    /**
     * @param shape an array's shape
     * @return for each feature index in C order (every axis after the first, the last fastest), the
     *     column it is stored in, in Fortran order (the second axis fastest)
     */
    static int[] columns(long[] shape) {
        int rank = shape.length;
        int width = 1;
        for (int a = 1; a < rank; a++) {
            width *= (int) shape[a];
        }
        int[] out = new int[width];
        int[] index = new int[Math.max(0, rank - 1)];
        for (int f = 0; f < width; f++) {
            // The Fortran index of the multi-index: the first of the other axes varies fastest.
            int column = 0;
            for (int a = rank - 1; a >= 1; a--) {
                column = column * (int) shape[a] + index[a - 1];
            }
            out[f] = column;
            // Next multi-index in C order: the last axis varies fastest.
            for (int a = rank - 1; a >= 1; a--) {
                if (++index[a - 1] < shape[a]) {
                    break;
                }
                index[a - 1] = 0;
            }
        }
        return out;
    }

    /**
     * @param fortran the elements in Fortran order (not modified)
     * @param shape the array's shape
     * @return the elements in C order
     */
    static float[] toC(float[] fortran, long[] shape) {
        if (shape.length < 2) {
            return fortran;
        }
        int rows = (int) shape[0];
        int[] columns = columns(shape);
        int width = columns.length;
        float[] out = new float[fortran.length];
        for (int f = 0; f < width; f++) {
            int from = columns[f] * rows;
            for (int i = 0; i < rows; i++) {
                out[i * width + f] = fortran[from + i];
            }
        }
        return out;
    }
}
