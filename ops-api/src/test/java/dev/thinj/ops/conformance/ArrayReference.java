package dev.thinj.ops.conformance;

import dev.thinj.ops.Shapes;
import java.util.Arrays;
import java.util.List;

/**
 * Float64 references for creating, copying, slicing and gathering arrays ({@link dev.thinj.ops.ArrayKernels}), written from the kernels' Javadoc and Thinc 8.1.7. Plain loops, checkable
 * by eye; nothing modifies its arguments (an in-place kernel's reference returns the new values).
 */
public final class ArrayReference {
    private ArrayReference() {
    }


    /**
     * @param shape dimensions
     * @param value the fill value
     * @return a new array of {@code value}
     */
    public static HostArray fill(int[] shape, double value) {
        double[] d = new double[Shapes.size(shape)];
        Arrays.fill(d, value);
        return new HostArray(d, shape.clone());
    }

    /**
     * @param src host values
     * @param offset where to start reading
     * @param shape the destination's shape
     * @return {@code src[offset, offset + size)} in that shape
     */
    public static HostArray copyFromHost(float[] src, int offset, int[] shape) {
        return HostArray.of(Arrays.copyOfRange(src, offset, offset + Shapes.size(shape)), shape);
    }

    /**
     * @param x rank 1 or more
     * @param start first row
     * @param end row after the last
     * @return rows {@code [start, end)} of the first dimension
     */
    public static HostArray sliceRows(HostArray x, int start, int end) {
        int rowSize = rowSize(x);
        int[] shape = x.shape().clone();
        shape[0] = end - start;
        return new HostArray(Arrays.copyOfRange(x.data(), start * rowSize, end * rowSize), shape);
    }

    /**
     * @param x rank 1 or more
     * @param rows row indices
     * @return {@code x[rows]}
     */
    public static HostArray gatherRows(HostArray x, int[] rows) {
        int rowSize = rowSize(x);
        int[] shape = x.shape().clone();
        shape[0] = rows.length;
        double[] out = new double[rows.length * rowSize];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x.data(), rows[i] * rowSize, out, i * rowSize, rowSize);
        }
        return new HostArray(out, shape);
    }

    /**
     * @param parts 2-d arrays with equal row counts
     * @return NumPy's {@code hstack(parts)}
     */
    public static HostArray concatColumns(List<HostArray> parts) {
        int rows = parts.get(0).dim(0);
        int cols = 0;
        for (HostArray p : parts) {
            cols += p.dim(1);
        }
        double[] out = new double[rows * cols];
        int offset = 0;
        for (HostArray p : parts) {
            int w = p.dim(1);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < w; c++) {
                    out[r * cols + offset + c] = p.at(r, c);
                }
            }
            offset += w;
        }
        return new HostArray(out, new int[] {rows, cols});
    }

    /**
     * @param x 2-d
     * @param start first column
     * @param end column after the last
     * @return {@code x[:, start:end]}
     */
    public static HostArray sliceColumns(HostArray x, int start, int end) {
        int rows = x.dim(0);
        int w = end - start;
        double[] out = new double[rows * w];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < w; c++) {
                out[r * w + c] = x.at(r, start + c);
            }
        }
        return new HostArray(out, new int[] {rows, w});
    }

    /**
     * @param x rank 1 or more
     * @return the number of elements in one row of the first dimension
     */
    static int rowSize(HostArray x) {
        int n = 1;
        for (int i = 1; i < x.rank(); i++) {
            n *= x.shape()[i];
        }
        return n;
    }
}
