package dev.thinj.ops.cuda;

import dev.thinj.ops.ArrayKernels;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.HostArrays;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.cuda.device.Device.Kernel;
import java.util.Arrays;
import java.util.List;

/**
 * Creating arrays, copying them, and moving rows and columns ({@code native/arrays.cu}). Host data
 * is flattened on the host and uploaded in one copy; contiguous row ranges are device-to-device
 * copies; gathers and column blocks are kernels that move 4-byte words, shared by float and int
 * arrays. Row indices are checked on the host from the index array's kept host values, so a gather
 * of host-made indices never waits for the device.
 */
final class CudaArrays implements ArrayKernels {
    private final CudaContext ctx;
    private final Kernel fill;
    private final Kernel gatherRows;
    private final Kernel copyColumns;

    CudaArrays(CudaContext ctx) {
        this.ctx = ctx;
        this.fill = ctx.kernel("thinj_fill");
        this.gatherRows = ctx.kernel("thinj_gather_rows");
        this.copyColumns = ctx.kernel("thinj_copy_columns");
    }

    // ---- creation ------------------------------------------------------------------------------

    @Override
    public FloatArray alloc(int... shape) {
        return ctx.zeros("alloc", shape);
    }

    /** Pool memory without the memset: the caller overwrites it in full. */
    @Override
    public FloatArray empty(int... shape) {
        return ctx.newFloats("empty", shape);
    }

    @Override
    public FloatArray asArray(float[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        if (Shapes.checkedSize("asArray", s) != data.length) {
            throw new ShapeException("asArray: " + data.length + " values do not fill shape " + Shapes.format(s));
        }
        return ctx.upload("asArray", data, 0, s);
    }

    @Override
    public FloatArray asArray(float[][] rows) {
        return ctx.upload("asArray", HostArrays.flatten(rows), 0, new int[] {rows.length, rows.length == 0 ? 0 : rows[0].length});
    }

    @Override
    public FloatArray asArray(float[][][] data) {
        return ctx.upload("asArray", HostArrays.flatten(data), 0, new int[] {data.length, data.length == 0 ? 0 : data[0].length,
                data.length == 0 || data[0].length == 0 ? 0 : data[0][0].length});
    }

    @Override
    public FloatArray asArray(FloatArray other) {
        if (other == null) {
            throw new IllegalArgumentException("asArray: argument is null");
        }
        if (isOurs(other)) {
            return copy("asArray", "other", other);
        }
        // Another backend's array (or another CudaOps's): through the host, as the CPU backend does.
        return ctx.upload("asArray", other.toFloatArray(), 0, other.shape());
    }

    @Override
    public IntArray allocInts(int... shape) {
        int[] s = shape.clone();
        int size = Shapes.checkedSize("allocInts", s);
        CudaIntArray a = ctx.newInts("allocInts", new int[size], s);  // zeros, known on the host too
        ctx.device().memset(a.address(), 0, 4L * size, ctx.stream());
        return a;
    }

    @Override
    public IntArray asInts(int[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        if (Shapes.checkedSize("asInts", s) != data.length) {
            throw new ShapeException("asInts: " + data.length + " values do not fill shape " + Shapes.format(s));
        }
        return ctx.upload("asInts", data, 0, s);
    }

    @Override
    public IntArray asInts(int[][] rows) {
        return ctx.upload("asInts", HostArrays.flatten(rows), 0, new int[] {rows.length, rows.length == 0 ? 0 : rows[0].length});
    }

    @Override
    public IntArray asInts(IntArray other) {
        if (other == null) {
            throw new IllegalArgumentException("asInts: argument is null");
        }
        if (isOurs(other)) {
            CudaIntArray src = ctx.i("asInts", "other", other);
            int[] host = src.knownHostValues();
            CudaIntArray out = ctx.newInts("asInts", host == null ? null : host.clone(), src.shapeRef());
            deviceCopy(out.address(), src.address(), src.size());
            return out;
        }
        return ctx.upload("asInts", other.toIntArray(), 0, other.shape());
    }

    // ---- copies --------------------------------------------------------------------------------

    @Override
    public FloatArray copy(FloatArray x) {
        return copy("copy", "x", x);
    }

    @Override
    public void copyInto(FloatArray dst, FloatArray src) {
        long d = ctx.f("copyInto", "dst", dst);
        long s = ctx.f("copyInto", "src", src);
        Check.sameSize("copyInto", "dst", dst, "src", src);
        if (d != s) {
            deviceCopy(d, s, src.size());
        }
    }

    @Override
    public void copyFromHost(FloatArray dst, float[] src, int srcOffset) {
        long d = ctx.f("copyFromHost", "dst", dst);
        checkHostRange(dst.size(), src.length, srcOffset);
        if (dst.size() > 0) {
            ctx.device().upload(d, src, srcOffset, dst.size(), ctx.stream());
        }
    }

    @Override
    public void copyFromHost(IntArray dst, int[] src, int srcOffset) {
        CudaIntArray d = ctx.i("copyFromHost", "dst", dst);
        checkHostRange(d.size(), src.length, srcOffset);
        // A view shares its base's values in the same order, so its values are the base's too.
        int[] host = Arrays.copyOfRange(src, srcOffset, srcOffset + d.size());
        if (d.size() > 0) {
            ctx.device().upload(d.address(), host, 0, host.length, ctx.stream());
        }
        d.setHostValues(host);
    }

    @Override
    public void fill(FloatArray x, float value) {
        long px = ctx.f("fill", "x", x);
        ctx.launch(fill, x.size(), ctx.args().ptr(px).f32(value).i64(x.size()));
    }

    // ---- rows ----------------------------------------------------------------------------------

    @Override
    public FloatArray sliceRows(FloatArray x, int start, int end) {
        long px = ctx.f("sliceRows", "x", x);
        int[] shape = x.shape();
        int row = Shapes.rowWidth(shape);
        Check.rowRange("sliceRows", shape, start, end);
        shape[0] = end - start;
        CudaFloatArray out = ctx.newFloats("sliceRows", shape);
        deviceCopy(out.address(), px + 4L * start * row, out.size());
        return out;
    }

    @Override
    public IntArray sliceRows(IntArray x, int start, int end) {
        CudaIntArray src = ctx.i("sliceRows", "x", x);
        int[] shape = x.shape();
        int row = Shapes.rowWidth(shape);
        Check.rowRange("sliceRows", shape, start, end);
        shape[0] = end - start;
        int[] known = src.knownHostValues();
        int[] host = known == null ? null : Arrays.copyOfRange(known, start * row, end * row);
        CudaIntArray out = ctx.newInts("sliceRows", host, shape);
        deviceCopy(out.address(), src.address() + 4L * start * row, out.size());
        return out;
    }

    @Override
    public FloatArray gatherRows(FloatArray x, IntArray rows) {
        long px = ctx.f("gatherRows", "x", x);
        CudaIntArray idx = indexVector("gatherRows", rows, x.dim(0));
        int[] shape = x.shape();
        int w = Shapes.rowWidth(shape);
        shape[0] = idx.size();
        CudaFloatArray out = ctx.newFloats("gatherRows", shape);
        launchGather(px, idx, out.address(), w, out.size());
        return out;
    }

    @Override
    public IntArray gatherRows(IntArray x, IntArray rows) {
        CudaIntArray src = ctx.i("gatherRows", "x", x);
        CudaIntArray idx = indexVector("gatherRows", rows, x.dim(0));
        int[] shape = x.shape();
        int w = Shapes.rowWidth(shape);
        shape[0] = idx.size();
        int size = Shapes.checkedSize("gatherRows", shape);
        int[] known = src.knownHostValues();
        int[] host = null;
        if (known != null) {
            // Keep the result's values on the host too, so it can index later kernels without a download.
            int[] r = idx.hostValues();
            host = new int[size];
            for (int i = 0; i < r.length; i++) {
                System.arraycopy(known, r[i] * w, host, i * w, w);
            }
        }
        CudaIntArray out = ctx.newInts("gatherRows", host, shape);
        launchGather(src.address(), idx, out.address(), w, size);
        return out;
    }

    private void launchGather(long src, CudaIntArray idx, long dst, int width, int size) {
        ctx.launch(gatherRows, size, ctx.args().ptr(src).ptr(idx.address()).ptr(dst).i32(width).i64(size));
    }

    // ---- columns -------------------------------------------------------------------------------

    @Override
    public FloatArray concatColumns(List<FloatArray> parts) {
        int[] size = Check.concatColumns(ctx.ops(), parts);
        int rows = size[0];
        int cols = size[1];
        CudaFloatArray out = ctx.newFloats("concatColumns", rows, cols);
        int offset = 0;
        for (FloatArray a : parts) {
            int w = a.dim(1);
            copyColumns(((CudaFloatArray) a).address(), w, 0, out.address(), cols, offset, rows, w);
            offset += w;
        }
        return out;
    }

    @Override
    public FloatArray sliceColumns(FloatArray x, int start, int end) {
        long px = ctx.f("sliceColumns", "x", x);
        Check.rank("sliceColumns", "x", x, 2);
        int rows = x.dim(0);
        int cols = x.dim(1);
        if (start < 0 || end > cols || start > end) {
            throw new ShapeException("sliceColumns: columns [" + start + ", " + end + ") out of range for shape "
                    + Shapes.format(x.shape()));
        }
        int w = end - start;
        CudaFloatArray out = ctx.newFloats("sliceColumns", rows, w);
        copyColumns(px, cols, start, out.address(), w, 0, rows, w);
        return out;
    }

    /** dst[r, dstStart + c] = src[r, srcStart + c] for {@code rows} rows of {@code width} columns. */
    private void copyColumns(long src, int srcCols, int srcStart, long dst, int dstCols, int dstStart, int rows,
            int width) {
        long n = (long) rows * width;
        ctx.launch(copyColumns, n, ctx.args().ptr(src).i32(srcCols).i32(srcStart).ptr(dst).i32(dstCols)
                .i32(dstStart).i32(width).i64(n));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Whether an array belongs to this backend instance (then it is copied on the device). */
    private boolean isOurs(Object a) {
        return a instanceof CudaArray c && c.cuda().context() == ctx;
    }

    private CudaFloatArray copy(String kernel, String name, FloatArray x) {
        long px = ctx.f(kernel, name, x);
        CudaFloatArray out = ctx.newFloats(kernel, x.shape());
        deviceCopy(out.address(), px, x.size());
        return out;
    }

    /** Enqueues a copy of {@code count} 4-byte elements; nothing for an empty array. */
    private void deviceCopy(long dst, long src, int count) {
        if (count > 0) {
            ctx.device().copy(dst, src, 4L * count, ctx.stream());
        }
    }

    private static void checkHostRange(int size, int hostLength, int srcOffset) {
        if (srcOffset < 0 || (long) srcOffset + size > hostLength) {
            throw new ShapeException("copyFromHost: need " + size + " values from offset " + srcOffset
                    + " but the host array has " + hostLength);
        }
    }

    /**
     * Checks a 1-d index array against {@code [0, limit)} on the host: from its kept host values, or
     * one download (cached in the array) when it was computed on the device.
     */
    private CudaIntArray indexVector(String kernel, IntArray rows, int limit) {
        CudaIntArray idx = ctx.i(kernel, "rows", rows);
        Check.rank(kernel, "rows", rows, 1);
        int[] v = idx.hostValues();
        for (int r = 0; r < v.length; r++) {
            if (v[r] < 0 || v[r] >= limit) {
                throw new ShapeException(kernel + ": row index " + v[r] + " at position " + r + " is outside [0, " + limit
                        + ")");
            }
        }
        return idx;
    }
}
