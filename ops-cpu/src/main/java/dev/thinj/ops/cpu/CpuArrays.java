package dev.thinj.ops.cpu;

import dev.thinj.ops.ArrayKernels;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.HostArrays;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.Arrays;
import java.util.List;

/**
 * Creating arrays from host data, copies, fills, and row and column slicing and gathering.
 */
final class CpuArrays implements ArrayKernels {
    private final CpuContext ctx;
    private final Parallel parallel;

    CpuArrays(CpuContext ctx) {
        this.ctx = ctx;
        this.parallel = ctx.parallel();
    }

    @Override
    public FloatArray alloc(int... shape) {
        return ctx.newFloats("alloc", shape);
    }

    @Override
    public FloatArray empty(int... shape) {
        return ctx.wrap(ctx.empty(Shapes.checkedSize("empty", shape)), shape.clone());
    }

    @Override
    public FloatArray asArray(float[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        if (Shapes.checkedSize("asArray", s) != data.length) {
            throw new ShapeException("asArray: " + data.length + " values do not fill shape " + Shapes.format(s));
        }
        // A copy in pooled storage: a training loop that uploads each batch reuses the last one's.
        float[] copy = ctx.empty(data.length);
        System.arraycopy(data, 0, copy, 0, data.length);
        return ctx.wrap(copy, s);
    }

    @Override
    public FloatArray asArray(float[][] rows) {
        return ctx.wrap(HostArrays.flatten(rows), new int[] {rows.length, rows.length == 0 ? 0 : rows[0].length});
    }

    @Override
    public FloatArray asArray(float[][][] data) {
        return ctx.wrap(HostArrays.flatten(data), new int[] {data.length, data.length == 0 ? 0 : data[0].length,
                data.length == 0 || data[0].length == 0 ? 0 : data[0][0].length});
    }

    @Override
    public FloatArray asArray(FloatArray other) {
        if (other == null) {
            throw new IllegalArgumentException("asArray: argument is null");
        }
        return ctx.wrap(other.toFloatArray(), other.shape());
    }

    @Override
    public IntArray allocInts(int... shape) {
        return ctx.newInts("allocInts", shape);
    }

    @Override
    public IntArray asInts(int[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        if (Shapes.checkedSize("asInts", s) != data.length) {
            throw new ShapeException("asInts: " + data.length + " values do not fill shape " + Shapes.format(s));
        }
        return ctx.wrapInts(data.clone(), s);
    }

    @Override
    public IntArray asInts(int[][] rows) {
        return ctx.wrapInts(HostArrays.flatten(rows), new int[] {rows.length, rows.length == 0 ? 0 : rows[0].length});
    }

    @Override
    public IntArray asInts(IntArray other) {
        if (other == null) {
            throw new IllegalArgumentException("asInts: argument is null");
        }
        return ctx.wrapInts(other.toIntArray(), other.shape());
    }

    @Override
    public FloatArray copy(FloatArray x) {
        float[] d = ctx.f("copy", "x", x);
        float[] out = ctx.empty(d.length);
        System.arraycopy(d, 0, out, 0, d.length);
        return ctx.wrap(out, CpuContext.shapeOf(x));
    }

    @Override
    public void copyInto(FloatArray dst, FloatArray src) {
        float[] d = ctx.f("copyInto", "dst", dst);
        float[] s = ctx.f("copyInto", "src", src);
        Check.sameSize("copyInto", "dst", dst, "src", src);
        System.arraycopy(s, 0, d, 0, s.length);
    }

    @Override
    public void copyFromHost(FloatArray dst, float[] src, int srcOffset) {
        float[] d = ctx.f("copyFromHost", "dst", dst);
        if (srcOffset < 0 || (long) srcOffset + d.length > src.length) {
            throw new ShapeException("copyFromHost: need " + d.length + " values from offset " + srcOffset
                    + " but the host array has " + src.length);
        }
        System.arraycopy(src, srcOffset, d, 0, d.length);
    }

    @Override
    public void copyFromHost(IntArray dst, int[] src, int srcOffset) {
        int[] d = ctx.i("copyFromHost", "dst", dst);
        if (srcOffset < 0 || (long) srcOffset + d.length > src.length) {
            throw new ShapeException("copyFromHost: need " + d.length + " values from offset " + srcOffset
                    + " but the host array has " + src.length);
        }
        System.arraycopy(src, srcOffset, d, 0, d.length);
    }

    @Override
    public void fill(FloatArray x, float value) {
        Arrays.fill(ctx.f("fill", "x", x), value);
    }

    @Override
    public FloatArray sliceRows(FloatArray x, int start, int end) {
        float[] d = ctx.f("sliceRows", "x", x);
        int[] shape = x.shape();
        int row = Shapes.rowWidth(shape);
        Check.rowRange("sliceRows", shape, start, end);
        shape[0] = end - start;
        float[] out = ctx.empty((end - start) * row);
        System.arraycopy(d, start * row, out, 0, out.length);
        return ctx.wrap(out, shape);
    }

    @Override
    public IntArray sliceRows(IntArray x, int start, int end) {
        int[] d = ctx.i("sliceRows", "x", x);
        int[] shape = x.shape();
        int row = Shapes.rowWidth(shape);
        Check.rowRange("sliceRows", shape, start, end);
        shape[0] = end - start;
        return ctx.wrapInts(Arrays.copyOfRange(d, start * row, end * row), shape);
    }

    @Override
    public FloatArray gatherRows(FloatArray x, IntArray rows) {
        float[] d = ctx.f("gatherRows", "x", x);
        int[] idx = indexVector("gatherRows", rows, x.dim(0));
        int[] shape = x.shape();
        int w = Shapes.rowWidth(shape);
        shape[0] = idx.length;
        float[] out = ctx.empty(Shapes.checkedSize("gatherRows", shape));
        parallel.forRange(idx.length, w, (from, to) -> {
            for (int r = from; r < to; r++) {
                System.arraycopy(d, idx[r] * w, out, r * w, w);
            }
        });
        return ctx.wrap(out, shape);
    }

    @Override
    public IntArray gatherRows(IntArray x, IntArray rows) {
        int[] d = ctx.i("gatherRows", "x", x);
        int[] idx = indexVector("gatherRows", rows, x.dim(0));
        int[] shape = x.shape();
        int w = Shapes.rowWidth(shape);
        shape[0] = idx.length;
        int[] out = new int[Shapes.checkedSize("gatherRows", shape)];
        for (int r = 0; r < idx.length; r++) {
            System.arraycopy(d, idx[r] * w, out, r * w, w);
        }
        return ctx.wrapInts(out, shape);
    }

    @Override
    public FloatArray concatColumns(List<FloatArray> parts) {
        int[] size = Check.concatColumns(ctx.ops(), parts);
        int rows = size[0];
        int cols = size[1];
        float[] out = ctx.empty(Shapes.checkedSize("concatColumns", rows, cols));
        int offset = 0;
        for (FloatArray a : parts) {
            float[] d = ((CpuFloatArray) a).data();
            int w = a.dim(1);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(d, r * w, out, r * cols + offset, w);
            }
            offset += w;
        }
        return ctx.wrap(out, new int[] {rows, cols});
    }

    @Override
    public FloatArray sliceColumns(FloatArray x, int start, int end) {
        float[] d = ctx.f("sliceColumns", "x", x);
        Check.rank("sliceColumns", "x", x, 2);
        int rows = x.dim(0);
        int cols = x.dim(1);
        if (start < 0 || end > cols || start > end) {
            throw new ShapeException("sliceColumns: columns [" + start + ", " + end + ") out of range for shape "
                    + Shapes.format(x.shape()));
        }
        int w = end - start;
        float[] out = ctx.empty(rows * w);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(d, r * cols + start, out, r * w, w);
        }
        return ctx.wrap(out, new int[] {rows, w});
    }

    private int[] indexVector(String kernel, IntArray rows, int limit) {
        int[] idx = ctx.i(kernel, "rows", rows);
        Check.rank(kernel, "rows", rows, 1);
        for (int r = 0; r < idx.length; r++) {
            if (idx[r] < 0 || idx[r] >= limit) {
                throw new ShapeException(kernel + ": row index " + idx[r] + " at position " + r + " is outside [0, " + limit
                        + ")");
            }
        }
        return idx;
    }
}
