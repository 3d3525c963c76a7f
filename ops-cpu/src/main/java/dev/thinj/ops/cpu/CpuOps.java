package dev.thinj.ops.cpu;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.Check;
import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.CounterRandom;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.HostArrays;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.NumericException;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.batching.BatchStaging;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU backend. Arrays are heap {@code float[]}/{@code int[]}; GEMM goes to OpenBLAS; everything
 * else is plain Java loops, split over {@link #threads()} threads when an array is large. Kernels run
 * synchronously, so {@link #synchronize()} has nothing to wait for.
 *
 * <p>Each public method checks its arguments (owner, closed, shapes) and then calls a static kernel in
 * {@link Activations}, {@link RowKernels}, {@link SequenceKernels}, {@link OptimizerMath} or
 * {@link LossMath}. Create it through {@code Ops.get("cpu")}.
 */
public final class CpuOps implements Ops {
    private final Parallel parallel;

    CpuOps(int threads) {
        this.parallel = new Parallel(threads);
        Blas.setThreads(parallel.threads());
    }

    /** @return the threads used by both the elementwise kernels and OpenBLAS */
    public int threads() {
        return parallel.threads();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean isGpu() {
        return false;
    }

    @Override
    public String description() {
        return "CPU: OpenBLAS (Bytedeco) GEMM via " + CriticalBlas.status() + ", heap float32 arrays, " + threads() + " thread" + (threads() == 1 ? "" : "s")
                + ", OPENBLAS_CORETYPE=" + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(auto)");
    }

    @Override
    public void synchronize() {
        // Every kernel has finished when it returns.
    }

    @Override
    public void close() {
        parallel.shutdown();
    }

    /** Gathers batch rows straight into the arrays the kernels read (see {@link CpuBatchStaging}). */
    @Override
    public BatchStaging batchStaging() {
        return new CpuBatchStaging(this);
    }

    @Override
    public String toString() {
        return "CpuOps[" + threads() + " threads]";
    }

    // ---- creation ----------------------------------------------------------------------------

    private CpuFloatArray wrap(float[] data, int[] shape) {
        return ArrayScope.track(new CpuFloatArray(this, data, shape));
    }

    private CpuIntArray wrapInts(int[] data, int[] shape) {
        return ArrayScope.track(new CpuIntArray(this, data, shape));
    }

    private CpuFloatArray newFloats(String kernel, int... shape) {
        return wrap(new float[Shapes.checkedSize(kernel, shape)], shape.clone());
    }

    private CpuIntArray newInts(String kernel, int... shape) {
        return wrapInts(new int[Shapes.checkedSize(kernel, shape)], shape.clone());
    }

    @Override
    public FloatArray alloc(int... shape) {
        return newFloats("alloc", shape);
    }

    @Override
    public FloatArray asArray(float[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        if (Shapes.checkedSize("asArray", s) != data.length) {
            throw new ShapeException("asArray: " + data.length + " values do not fill shape " + Shapes.format(s));
        }
        return wrap(data.clone(), s);
    }

    @Override
    public FloatArray asArray(float[][] rows) {
        return wrap(HostArrays.flatten(rows), new int[] {rows.length, rows.length == 0 ? 0 : rows[0].length});
    }

    @Override
    public FloatArray asArray(float[][][] data) {
        return wrap(HostArrays.flatten(data), new int[] {data.length, data.length == 0 ? 0 : data[0].length,
                data.length == 0 || data[0].length == 0 ? 0 : data[0][0].length});
    }

    @Override
    public FloatArray asArray(FloatArray other) {
        if (other == null) {
            throw new IllegalArgumentException("asArray: argument is null");
        }
        return wrap(other.toFloatArray(), other.shape());
    }

    @Override
    public IntArray allocInts(int... shape) {
        return newInts("allocInts", shape);
    }

    @Override
    public IntArray asInts(int[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        if (Shapes.checkedSize("asInts", s) != data.length) {
            throw new ShapeException("asInts: " + data.length + " values do not fill shape " + Shapes.format(s));
        }
        return wrapInts(data.clone(), s);
    }

    @Override
    public IntArray asInts(int[][] rows) {
        return wrapInts(HostArrays.flatten(rows), new int[] {rows.length, rows.length == 0 ? 0 : rows[0].length});
    }

    @Override
    public IntArray asInts(IntArray other) {
        if (other == null) {
            throw new IllegalArgumentException("asInts: argument is null");
        }
        return wrapInts(other.toIntArray(), other.shape());
    }

    @Override
    public FloatArray copy(FloatArray x) {
        return wrap(f("copy", "x", x).clone(), x.shape());
    }

    @Override
    public void copyInto(FloatArray dst, FloatArray src) {
        float[] d = f("copyInto", "dst", dst);
        float[] s = f("copyInto", "src", src);
        Check.sameSize("copyInto", "dst", dst, "src", src);
        System.arraycopy(s, 0, d, 0, s.length);
    }

    @Override
    public void copyFromHost(FloatArray dst, float[] src, int srcOffset) {
        float[] d = f("copyFromHost", "dst", dst);
        if (srcOffset < 0 || (long) srcOffset + d.length > src.length) {
            throw new ShapeException("copyFromHost: need " + d.length + " values from offset " + srcOffset
                    + " but the host array has " + src.length);
        }
        System.arraycopy(src, srcOffset, d, 0, d.length);
    }

    @Override
    public void copyFromHost(IntArray dst, int[] src, int srcOffset) {
        int[] d = i("copyFromHost", "dst", dst);
        if (srcOffset < 0 || (long) srcOffset + d.length > src.length) {
            throw new ShapeException("copyFromHost: need " + d.length + " values from offset " + srcOffset
                    + " but the host array has " + src.length);
        }
        System.arraycopy(src, srcOffset, d, 0, d.length);
    }

    @Override
    public void fill(FloatArray x, float value) {
        Arrays.fill(f("fill", "x", x), value);
    }

    @Override
    public FloatArray sliceRows(FloatArray x, int start, int end) {
        float[] d = f("sliceRows", "x", x);
        int[] shape = x.shape();
        int row = rowWidth(shape);
        checkRowRange("sliceRows", shape, start, end);
        shape[0] = end - start;
        return wrap(Arrays.copyOfRange(d, start * row, end * row), shape);
    }

    @Override
    public IntArray sliceRows(IntArray x, int start, int end) {
        int[] d = i("sliceRows", "x", x);
        int[] shape = x.shape();
        int row = rowWidth(shape);
        checkRowRange("sliceRows", shape, start, end);
        shape[0] = end - start;
        return wrapInts(Arrays.copyOfRange(d, start * row, end * row), shape);
    }

    @Override
    public FloatArray gatherRows(FloatArray x, IntArray rows) {
        float[] d = f("gatherRows", "x", x);
        int[] idx = indexVector("gatherRows", rows, x.dim(0));
        int[] shape = x.shape();
        int w = rowWidth(shape);
        shape[0] = idx.length;
        float[] out = new float[Shapes.checkedSize("gatherRows", shape)];
        parallel.forRange(idx.length, w, (from, to) -> {
            for (int r = from; r < to; r++) {
                System.arraycopy(d, idx[r] * w, out, r * w, w);
            }
        });
        return wrap(out, shape);
    }

    @Override
    public IntArray gatherRows(IntArray x, IntArray rows) {
        int[] d = i("gatherRows", "x", x);
        int[] idx = indexVector("gatherRows", rows, x.dim(0));
        int[] shape = x.shape();
        int w = rowWidth(shape);
        shape[0] = idx.length;
        int[] out = new int[Shapes.checkedSize("gatherRows", shape)];
        for (int r = 0; r < idx.length; r++) {
            System.arraycopy(d, idx[r] * w, out, r * w, w);
        }
        return wrapInts(out, shape);
    }

    @Override
    public FloatArray concatColumns(List<FloatArray> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("concatColumns: no arrays given");
        }
        int rows = -1;
        int cols = 0;
        for (int p = 0; p < parts.size(); p++) {
            FloatArray a = parts.get(p);
            f("concatColumns", "parts[" + p + "]", a);
            Check.rank("concatColumns", "parts[" + p + "]", a, 2);
            if (rows >= 0 && a.dim(0) != rows) {
                throw new ShapeException("concatColumns: parts[" + p + "] has " + a.dim(0) + " rows, parts[0] has " + rows
                        + " (shape " + Shapes.format(a.shape()) + ")");
            }
            rows = a.dim(0);
            cols += a.dim(1);
        }
        float[] out = new float[Shapes.checkedSize("concatColumns", rows, cols)];
        int offset = 0;
        for (FloatArray a : parts) {
            float[] d = ((CpuFloatArray) a).data();
            int w = a.dim(1);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(d, r * w, out, r * cols + offset, w);
            }
            offset += w;
        }
        return wrap(out, new int[] {rows, cols});
    }

    @Override
    public FloatArray sliceColumns(FloatArray x, int start, int end) {
        float[] d = f("sliceColumns", "x", x);
        Check.rank("sliceColumns", "x", x, 2);
        int rows = x.dim(0);
        int cols = x.dim(1);
        if (start < 0 || end > cols || start > end) {
            throw new ShapeException("sliceColumns: columns [" + start + ", " + end + ") out of range for shape "
                    + Shapes.format(x.shape()));
        }
        int w = end - start;
        float[] out = new float[rows * w];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(d, r * cols + start, out, r * w, w);
        }
        return wrap(out, new int[] {rows, w});
    }

    // ---- linear algebra ----------------------------------------------------------------------

    @Override
    public void gemm(FloatArray a, FloatArray b, FloatArray out, boolean transA, boolean transB, float alpha,
            float beta) {
        float[] ad = f("gemm", "a", a);
        float[] bd = f("gemm", "b", b);
        float[] cd = f("gemm", "out", out);
        int k = Check.gemm(a, b, out, transA, transB);
        int m = out.dim(0);
        int n = out.dim(1);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // An empty inner product is zero; BLAS implementations disagree on this corner.
            if (beta == 0f) {
                Arrays.fill(cd, 0f);
            } else {
                scale(cd, beta);
            }
            return;
        }
        Blas.sgemm(transA, transB, m, n, k, alpha, ad, bd, beta, cd);
    }

    @Override
    public void addBias(FloatArray y, FloatArray bias) {
        float[] yd = f("addBias", "y", y);
        float[] bd = f("addBias", "bias", bias);
        Check.rank("addBias", "y", y, 2);
        int n = y.dim(1);
        if (bias.size() != n) {
            throw new ShapeException("addBias: bias must have " + n + " elements for y of shape " + Shapes.format(y.shape())
                    + ", got shape " + Shapes.format(bias.shape()));
        }
        parallel.forRange(y.dim(0), n, (from, to) -> RowKernels.addBias(yd, bd, n, from, to));
    }

    @Override
    public void sumRows(FloatArray x, FloatArray out, boolean accumulate) {
        float[] xd = f("sumRows", "x", x);
        float[] od = f("sumRows", "out", out);
        Check.rank("sumRows", "x", x, 2);
        int n = x.dim(1);
        if (out.size() != n) {
            throw new ShapeException("sumRows: out must have " + n + " elements for x of shape " + Shapes.format(x.shape())
                    + ", got shape " + Shapes.format(out.shape()));
        }
        if (!accumulate) {
            Arrays.fill(od, 0f);
        }
        RowKernels.addColumnSums(xd, od, n, 0, x.dim(0));
    }

    // ---- elementwise -------------------------------------------------------------------------

    @Override
    public FloatArray add(FloatArray a, FloatArray b) {
        float[] ad = f("add", "a", a);
        float[] bd = f("add", "b", b);
        Check.sameSize("add", "a", a, "b", b);
        float[] out = new float[ad.length];
        parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ad[i] + bd[i];
            }
        });
        return wrap(out, a.shape());
    }

    @Override
    public FloatArray sub(FloatArray a, FloatArray b) {
        float[] ad = f("sub", "a", a);
        float[] bd = f("sub", "b", b);
        Check.sameSize("sub", "a", a, "b", b);
        float[] out = new float[ad.length];
        parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ad[i] - bd[i];
            }
        });
        return wrap(out, a.shape());
    }

    @Override
    public FloatArray mul(FloatArray a, FloatArray b) {
        float[] ad = f("mul", "a", a);
        float[] bd = f("mul", "b", b);
        Check.sameSize("mul", "a", a, "b", b);
        float[] out = new float[ad.length];
        parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ad[i] * bd[i];
            }
        });
        return wrap(out, a.shape());
    }

    @Override
    public void addInPlace(FloatArray a, FloatArray b) {
        float[] ad = f("addInPlace", "a", a);
        float[] bd = f("addInPlace", "b", b);
        Check.sameSize("addInPlace", "a", a, "b", b);
        parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                ad[i] += bd[i];
            }
        });
    }

    @Override
    public void mulInPlace(FloatArray a, FloatArray b) {
        float[] ad = f("mulInPlace", "a", a);
        float[] bd = f("mulInPlace", "b", b);
        Check.sameSize("mulInPlace", "a", a, "b", b);
        parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                ad[i] *= bd[i];
            }
        });
    }

    @Override
    public FloatArray scale(FloatArray a, float factor) {
        float[] out = f("scale", "a", a).clone();
        scale(out, factor);
        return wrap(out, a.shape());
    }

    @Override
    public void scaleInPlace(FloatArray a, float factor) {
        scale(f("scaleInPlace", "a", a), factor);
    }

    private void scale(float[] d, float factor) {
        parallel.forRange(d.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                d[i] *= factor;
            }
        });
    }

    @Override
    public void axpy(float alpha, FloatArray x, FloatArray y) {
        float[] xd = f("axpy", "x", x);
        float[] yd = f("axpy", "y", y);
        Check.sameSize("axpy", "x", x, "y", y);
        parallel.forRange(xd.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                yd[i] += alpha * xd[i];
            }
        });
    }

    @Override
    public FloatArray sum(FloatArray x) {
        float[] d = f("sum", "x", x);
        return wrap(new float[] {(float) OptimizerMath.sum(d, 0, d.length)}, new int[] {1});
    }

    @Override
    public FloatArray sumOfSquares(FloatArray x) {
        float[] d = f("sumOfSquares", "x", x);
        return wrap(new float[] {(float) OptimizerMath.sumOfSquares(d, 0, d.length)}, new int[] {1});
    }

    // ---- activations -------------------------------------------------------------------------

    /** Output storage for an elementwise kernel: the input itself when in place, else a new array. */
    private float[] target(float[] in, boolean inplace) {
        return inplace ? in : new float[in.length];
    }

    private FloatArray result(FloatArray in, float[] out, boolean inplace) {
        return inplace ? in : wrap(out, in.shape());
    }

    @Override
    public FloatArray relu(FloatArray x, boolean inplace) {
        float[] xd = f("relu", "x", x);
        float[] y = target(xd, inplace);
        parallel.forRange(xd.length, Parallel.CHEAP, (from, to) -> Activations.relu(xd, y, from, to));
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropRelu(FloatArray dY, FloatArray y, boolean inplace) {
        float[] dyd = f("backpropRelu", "dY", dY);
        float[] yd = f("backpropRelu", "y", y);
        Check.sameShape("backpropRelu", "dY", dY, "y", y);
        float[] dx = target(dyd, inplace);
        parallel.forRange(dyd.length, Parallel.CHEAP, (from, to) -> Activations.backpropRelu(dyd, yd, dx, from, to));
        return result(dY, dx, inplace);
    }

    @Override
    public FloatArray sigmoid(FloatArray x, boolean inplace) {
        float[] xd = f("sigmoid", "x", x);
        float[] y = target(xd, inplace);
        parallel.forRange(xd.length, Parallel.TRANSCENDENTAL, (from, to) -> Activations.sigmoid(xd, y, from, to));
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropSigmoid(FloatArray dY, FloatArray y, boolean inplace) {
        float[] dyd = f("backpropSigmoid", "dY", dY);
        float[] yd = f("backpropSigmoid", "y", y);
        Check.sameShape("backpropSigmoid", "dY", dY, "y", y);
        float[] dx = target(dyd, inplace);
        parallel.forRange(dyd.length, Parallel.CHEAP, (from, to) -> Activations.backpropSigmoid(dyd, yd, dx, from, to));
        return result(dY, dx, inplace);
    }

    @Override
    public FloatArray tanh(FloatArray x, boolean inplace) {
        float[] xd = f("tanh", "x", x);
        float[] y = target(xd, inplace);
        parallel.forRange(xd.length, Parallel.TRANSCENDENTAL, (from, to) -> Activations.tanh(xd, y, from, to));
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropTanh(FloatArray dY, FloatArray y, boolean inplace) {
        float[] dyd = f("backpropTanh", "dY", dY);
        float[] yd = f("backpropTanh", "y", y);
        Check.sameShape("backpropTanh", "dY", dY, "y", y);
        float[] dx = target(dyd, inplace);
        parallel.forRange(dyd.length, Parallel.CHEAP, (from, to) -> Activations.backpropTanh(dyd, yd, dx, from, to));
        return result(dY, dx, inplace);
    }

    @Override
    public FloatArray gelu(FloatArray x, boolean inplace) {
        float[] xd = f("gelu", "x", x);
        float[] y = target(xd, inplace);
        parallel.forRange(xd.length, Parallel.TRANSCENDENTAL, (from, to) -> Activations.gelu(xd, y, from, to));
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropGelu(FloatArray dY, FloatArray x, boolean inplace) {
        float[] dyd = f("backpropGelu", "dY", dY);
        float[] xd = f("backpropGelu", "x", x);
        Check.sameShape("backpropGelu", "dY", dY, "x", x);
        float[] dx = target(dyd, inplace);
        parallel.forRange(dyd.length, Parallel.TRANSCENDENTAL, (from, to) -> Activations.backpropGelu(dyd, xd, dx, from, to));
        return result(dY, dx, inplace);
    }

    @Override
    public FloatArray swish(FloatArray x, boolean inplace) {
        float[] xd = f("swish", "x", x);
        float[] y = target(xd, inplace);
        parallel.forRange(xd.length, Parallel.TRANSCENDENTAL, (from, to) -> Activations.swish(xd, y, from, to));
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropSwish(FloatArray dY, FloatArray x, FloatArray y, boolean inplace) {
        float[] dyd = f("backpropSwish", "dY", dY);
        float[] xd = f("backpropSwish", "x", x);
        float[] yd = f("backpropSwish", "y", y);
        Check.sameShape("backpropSwish", "dY", dY, "x", x);
        Check.sameShape("backpropSwish", "dY", dY, "y", y);
        float[] dx = target(dyd, inplace);
        parallel.forRange(dyd.length, Parallel.TRANSCENDENTAL, (from, to) -> Activations.backpropSwish(dyd, xd, yd, dx, from, to));
        return result(dY, dx, inplace);
    }

    @Override
    public FloatArray softmax(FloatArray x, float temperature, boolean inplace) {
        float[] xd = f("softmax", "x", x);
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("softmax: temperature must be a positive number, got " + temperature);
        }
        int n = x.dim(-1);
        int rows = n == 0 ? 0 : xd.length / n;
        float[] y = target(xd, inplace);
        parallel.forRange(rows, n * Parallel.TRANSCENDENTAL, (from, to) -> RowKernels.softmax(xd, y, n, temperature, from, to));
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropSoftmax(FloatArray y, FloatArray dY, float temperature) {
        float[] yd = f("backpropSoftmax", "y", y);
        float[] dyd = f("backpropSoftmax", "dY", dY);
        Check.sameShape("backpropSoftmax", "y", y, "dY", dY);
        if (!(temperature > 0f)) {
            throw new IllegalArgumentException("backpropSoftmax: temperature must be positive, got " + temperature);
        }
        int n = y.dim(-1);
        int rows = n == 0 ? 0 : yd.length / n;
        float[] dx = new float[yd.length];
        parallel.forRange(rows, n, (from, to) -> RowKernels.backpropSoftmax(yd, dyd, dx, n, temperature, from, to));
        return wrap(dx, y.shape());
    }

    @Override
    public MaxResult maxout(FloatArray x) {
        float[] xd = f("maxout", "x", x);
        Check.rank("maxout", "x", x, 3);
        int b = x.dim(0);
        int o = x.dim(1);
        int p = x.dim(2);
        if (p < 1 && b * o > 0) {
            throw new ShapeException("maxout: need at least one piece, got shape " + Shapes.format(x.shape()));
        }
        float[] best = new float[b * o];
        int[] which = new int[b * o];
        parallel.forRange(b * o, p, (from, to) -> RowKernels.maxout(xd, best, which, p, from, to));
        return new MaxResult(wrap(best, new int[] {b, o}), wrapInts(which, new int[] {b, o}));
    }

    @Override
    public FloatArray backpropMaxout(FloatArray dY, IntArray which, int pieces) {
        float[] dyd = f("backpropMaxout", "dY", dY);
        int[] wd = i("backpropMaxout", "which", which);
        Check.rank("backpropMaxout", "dY", dY, 2);
        Check.sameShape("backpropMaxout", "dY", dY, "which", which);
        float[] dx = new float[Shapes.checkedSize("backpropMaxout", dY.dim(0), dY.dim(1), pieces)];
        for (int g = 0; g < wd.length; g++) {
            int w = wd[g];
            if (w < 0 || w >= pieces) {
                throw new ShapeException("backpropMaxout: which has piece index " + w + " outside [0, " + pieces + ")");
            }
            dx[g * pieces + w] = dyd[g];
        }
        return wrap(dx, new int[] {dY.dim(0), dY.dim(1), pieces});
    }

    @Override
    public IntArray argmax(FloatArray x) {
        float[] xd = f("argmax", "x", x);
        if (x.rank() > 2) {
            throw new ShapeException("argmax: expected a 1-d or 2-d array, got shape " + Shapes.format(x.shape()));
        }
        int n = x.dim(-1);
        int rows = x.rank() == 1 ? 1 : x.dim(0);
        if (n == 0 && rows > 0) {
            throw new ShapeException("argmax: cannot take the argmax of empty rows, shape " + Shapes.format(x.shape()));
        }
        int[] out = new int[rows];
        parallel.forRange(rows, n, (from, to) -> RowKernels.argmax(xd, out, n, from, to));
        return wrapInts(out, new int[] {rows});
    }

    @Override
    public FloatArray dropoutMask(float rate, long seed, int... shape) {
        if (Float.isNaN(rate)) {
            throw new IllegalArgumentException("dropoutMask: rate must be a number in [0, 1], got NaN");
        }
        float[] m = new float[Shapes.checkedSize("dropoutMask", shape)];
        if (rate <= 0f) {
            Arrays.fill(m, 1f);
        } else if (rate < 1f) {  // rate >= 1 keeps the zeros, as Thinc
            float keep = (float) (1.0 / (1.0 - rate));
            float r = rate;
            parallel.forRange(m.length, 8, (from, to) -> {
                for (int i = from; i < to; i++) {
                    m[i] = CounterRandom.uniform(seed, i) >= r ? keep : 0f;
                }
            });
        }
        return wrap(m, shape.clone());
    }

    // ---- normalisation -----------------------------------------------------------------------

    @Override
    public LayerNormResult layerNorm(FloatArray x, FloatArray gain, FloatArray bias) {
        float[] xd = f("layerNorm", "x", x);
        float[] gd = f("layerNorm", "gain", gain);
        float[] bd = f("layerNorm", "bias", bias);
        Check.rank("layerNorm", "x", x, 2);
        int rows = x.dim(0);
        int n = x.dim(1);
        checkVector("layerNorm", "gain", gain, n, x);
        checkVector("layerNorm", "bias", bias, n, x);
        float[] y = new float[xd.length];
        float[] mean = new float[rows];
        float[] var = new float[rows];
        parallel.forRange(rows, n * 3, (from, to) -> RowKernels.layerNorm(xd, gd, bd, y, mean, var, n, from, to));
        return new LayerNormResult(wrap(y, x.shape()), wrap(mean, new int[] {rows}), wrap(var, new int[] {rows}));
    }

    @Override
    public FloatArray backpropLayerNorm(FloatArray dY, FloatArray x, FloatArray gain, LayerNormResult forward,
            FloatArray dGain, FloatArray dBias) {
        float[] dyd = f("backpropLayerNorm", "dY", dY);
        float[] xd = f("backpropLayerNorm", "x", x);
        float[] gd = f("backpropLayerNorm", "gain", gain);
        float[] md = f("backpropLayerNorm", "forward.mean", forward.mean());
        float[] vd = f("backpropLayerNorm", "forward.variance", forward.variance());
        float[] dgd = f("backpropLayerNorm", "dGain", dGain);
        float[] dbd = f("backpropLayerNorm", "dBias", dBias);
        Check.rank("backpropLayerNorm", "x", x, 2);
        Check.sameShape("backpropLayerNorm", "dY", dY, "x", x);
        int rows = x.dim(0);
        int n = x.dim(1);
        checkVector("backpropLayerNorm", "gain", gain, n, x);
        checkVector("backpropLayerNorm", "dGain", dGain, n, x);
        checkVector("backpropLayerNorm", "dBias", dBias, n, x);
        if (md.length != rows || vd.length != rows) {
            throw new ShapeException("backpropLayerNorm: forward mean/variance have " + md.length + " rows, x has " + rows);
        }
        float[] dx = new float[xd.length];
        RowKernels.backpropLayerNorm(dyd, xd, gd, md, vd, dx, dgd, dbd, n, 0, rows);
        return wrap(dx, x.shape());
    }

    // ---- sequence reductions -----------------------------------------------------------------

    @Override
    public FloatArray reduceSum(FloatArray x, IntArray lengths) {
        return reduceSumOrMean("reduceSum", x, lengths, false);
    }

    @Override
    public FloatArray reduceMean(FloatArray x, IntArray lengths) {
        return reduceSumOrMean("reduceMean", x, lengths, true);
    }

    private FloatArray reduceSumOrMean(String kernel, FloatArray x, IntArray lengths, boolean mean) {
        float[] xd = f(kernel, "x", x);
        int[] ld = i(kernel, "lengths", lengths);
        Check.rank(kernel, "x", x, 2);
        Check.rank(kernel, "lengths", lengths, 1);
        SequenceKernels.checkLengths(kernel, ld, x.dim(0), true);
        int n = x.dim(1);
        float[] y = new float[ld.length * n];
        SequenceKernels.reduceSum(xd, ld, y, n, mean);
        return wrap(y, new int[] {ld.length, n});
    }

    @Override
    public FloatArray backpropReduceSum(FloatArray dY, IntArray lengths) {
        return backpropSumOrMean("backpropReduceSum", dY, lengths, false);
    }

    @Override
    public FloatArray backpropReduceMean(FloatArray dY, IntArray lengths) {
        return backpropSumOrMean("backpropReduceMean", dY, lengths, true);
    }

    private FloatArray backpropSumOrMean(String kernel, FloatArray dY, IntArray lengths, boolean mean) {
        float[] dyd = f(kernel, "dY", dY);
        int[] ld = i(kernel, "lengths", lengths);
        Check.rank(kernel, "dY", dY, 2);
        Check.rank(kernel, "lengths", lengths, 1);
        Check.dim(kernel, "dY", dY, 0, ld.length);
        int total = SequenceKernels.checkLengths(kernel, ld, -1, true);
        int n = dY.dim(1);
        float[] dx = new float[Shapes.checkedSize(kernel, total, n)];
        SequenceKernels.backpropReduceSum(dyd, ld, dx, n, mean);
        return wrap(dx, new int[] {total, n});
    }

    @Override
    public MaxResult reduceMax(FloatArray x, IntArray lengths) {
        float[] xd = f("reduceMax", "x", x);
        int[] ld = i("reduceMax", "lengths", lengths);
        Check.rank("reduceMax", "x", x, 2);
        Check.rank("reduceMax", "lengths", lengths, 1);
        SequenceKernels.checkLengths("reduceMax", ld, x.dim(0), false);
        int n = x.dim(1);
        float[] y = new float[ld.length * n];
        int[] which = new int[ld.length * n];
        SequenceKernels.reduceMax(xd, ld, y, which, n);
        return new MaxResult(wrap(y, new int[] {ld.length, n}), wrapInts(which, new int[] {ld.length, n}));
    }

    @Override
    public FloatArray backpropReduceMax(FloatArray dY, IntArray which, IntArray lengths) {
        float[] dyd = f("backpropReduceMax", "dY", dY);
        int[] wd = i("backpropReduceMax", "which", which);
        int[] ld = i("backpropReduceMax", "lengths", lengths);
        Check.rank("backpropReduceMax", "dY", dY, 2);
        Check.sameShape("backpropReduceMax", "dY", dY, "which", which);
        Check.dim("backpropReduceMax", "dY", dY, 0, ld.length);
        int total = SequenceKernels.checkLengths("backpropReduceMax", ld, -1, false);
        int n = dY.dim(1);
        float[] dx = new float[Shapes.checkedSize("backpropReduceMax", total, n)];
        SequenceKernels.backpropReduceMax(dyd, wd, ld, dx, n);
        return wrap(dx, new int[] {total, n});
    }

    // ---- optimizers --------------------------------------------------------------------------

    @Override
    public void adam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1,
            float beta2, float eps, float learnRate, float modRate) {
        float[] w = f("adam", "weights", weights);
        float[] g = f("adam", "gradient", gradient);
        float[] m1 = f("adam", "mom1", mom1);
        float[] m2 = f("adam", "mom2", mom2);
        Check.sameSize("adam", "weights", weights, "gradient", gradient);
        Check.sameSize("adam", "weights", weights, "mom1", mom1);
        Check.sameSize("adam", "weights", weights, "mom2", mom2);
        parallel.forRange(w.length, 2,
                (from, to) -> OptimizerMath.adam(w, g, m1, m2, beta1, beta2, eps, learnRate, modRate, from, to));
    }

    @Override
    public void radam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1,
            float beta2, float eps, float stepSize, boolean rectified) {
        float[] w = f("radam", "weights", weights);
        float[] g = f("radam", "gradient", gradient);
        float[] m1 = f("radam", "mom1", mom1);
        float[] m2 = f("radam", "mom2", mom2);
        Check.sameSize("radam", "weights", weights, "gradient", gradient);
        Check.sameSize("radam", "weights", weights, "mom1", mom1);
        Check.sameSize("radam", "weights", weights, "mom2", mom2);
        parallel.forRange(w.length, 2,
                (from, to) -> OptimizerMath.radam(w, g, m1, m2, beta1, beta2, eps, stepSize, rectified, from, to));
    }

    @Override
    public void sgd(FloatArray weights, FloatArray gradient, float learnRate) {
        float[] w = f("sgd", "weights", weights);
        float[] g = f("sgd", "gradient", gradient);
        Check.sameSize("sgd", "weights", weights, "gradient", gradient);
        parallel.forRange(w.length, Parallel.CHEAP, (from, to) -> OptimizerMath.sgd(w, g, learnRate, from, to));
    }

    @Override
    public void updateAverages(FloatArray ema, FloatArray weights, int t, double maxDecay) {
        float[] e = f("updateAverages", "ema", ema);
        float[] w = f("updateAverages", "weights", weights);
        Check.sameSize("updateAverages", "ema", ema, "weights", weights);
        double decay = Math.min((1.0 + t) / (10.0 + t), maxDecay);
        float k = (float) (1.0 - decay);
        parallel.forRange(e.length, Parallel.CHEAP, (from, to) -> OptimizerMath.updateAverages(e, w, k, from, to));
    }

    @Override
    public void clipGradient(FloatArray gradient, float threshold) {
        float[] g = f("clipGradient", "gradient", gradient);
        double norm = Math.sqrt(OptimizerMath.sumOfSquares(g, 0, g.length));
        if (Double.isNaN(norm)) {
            throw new NumericException("clipGradient: the gradient's L2 norm is NaN (shape "
                    + Shapes.format(gradient.shape()) + "); a NaN or infinite value reached the optimizer");
        }
        // A zero norm has nothing to rescale (Thinc would divide by it when threshold is 0).
        if (norm >= threshold && norm > 0) {
            scale(g, (float) (threshold / norm));
        }
    }

    // ---- losses ------------------------------------------------------------------------------

    @Override
    public FloatArray oneHot(IntArray labels, int nClasses, float labelSmoothing) {
        int[] ld = i("oneHot", "labels", labels);
        Check.rank("oneHot", "labels", labels, 1);
        if (labelSmoothing < 0f) {
            throw new IllegalArgumentException("oneHot: label smoothing must be >= 0, got " + labelSmoothing);
        }
        if (nClasses < 1) {
            throw new IllegalArgumentException("oneHot: nClasses must be at least 1, got " + nClasses);
        }
        float nongold = 0f;
        if (labelSmoothing > 0f) {
            if (nClasses < 2) {
                throw new IllegalArgumentException(
                        "oneHot: nClasses must be greater than 1 when label smoothing is enabled, got " + nClasses);
            }
            float maxSmooth = (nClasses - 1f) / nClasses;
            if (labelSmoothing >= maxSmooth) {
                throw new IllegalArgumentException("oneHot: for " + nClasses + " classes label smoothing must be less than "
                        + maxSmooth + ", got " + labelSmoothing);
            }
            nongold = labelSmoothing / (nClasses - 1);
        }
        float gold = 1f - labelSmoothing;
        float[] out = new float[Shapes.checkedSize("oneHot", ld.length, nClasses)];
        Arrays.fill(out, nongold);
        for (int r = 0; r < ld.length; r++) {
            if (ld[r] < 0 || ld[r] >= nClasses) {
                throw new ShapeException("oneHot: label " + ld[r] + " at row " + r + " is outside [0, " + nClasses + ")");
            }
            out[r * nClasses + ld[r]] = gold;
        }
        return wrap(out, new int[] {ld.length, nClasses});
    }

    @Override
    public FloatArray scaledDifference(FloatArray guesses, FloatArray truths, FloatArray mask, float scale) {
        float[] g = f("scaledDifference", "guesses", guesses);
        float[] t = f("scaledDifference", "truths", truths);
        Check.sameShape("scaledDifference", "guesses", guesses, "truths", truths);
        float[] m = null;
        if (mask != null) {
            m = f("scaledDifference", "mask", mask);
            Check.sameShape("scaledDifference", "guesses", guesses, "mask", mask);
        }
        float[] out = new float[g.length];
        float[] md = m;
        parallel.forRange(g.length, Parallel.CHEAP, (from, to) -> {
            if (md == null) {
                for (int i = from; i < to; i++) {
                    out[i] = (g[i] - t[i]) * scale;
                }
            } else {
                for (int i = from; i < to; i++) {
                    out[i] = (g[i] - t[i]) * md[i] * scale;
                }
            }
        });
        return wrap(out, guesses.shape());
    }

    @Override
    public boolean allInRange(FloatArray x, float low, float high) {
        float[] d = f("allInRange", "x", x);
        for (float v : d) {
            if (!(v >= low && v <= high)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CosineDistanceResult cosineDistance(FloatArray guesses, FloatArray truths, boolean ignoreZeros, float scale) {
        float[] g = f("cosineDistance", "guesses", guesses);
        float[] t = f("cosineDistance", "truths", truths);
        Check.rank("cosineDistance", "guesses", guesses, 2);
        Check.sameShape("cosineDistance", "guesses", guesses, "truths", truths);
        int n = guesses.dim(1);
        float[] grad = new float[g.length];
        double loss = LossMath.cosine(g, t, grad, n, ignoreZeros, scale, 0, guesses.dim(0));
        return new CosineDistanceResult(wrap(grad, guesses.shape()), wrap(new float[] {(float) loss}, new int[] {1}));
    }

    // ---- argument access ---------------------------------------------------------------------

    /** Checks a float argument belongs to this backend and is open, and returns its storage. */
    private float[] f(String kernel, String name, FloatArray a) {
        Check.usable(this, kernel, name, a);
        return ((CpuFloatArray) a).data();
    }

    private int[] i(String kernel, String name, IntArray a) {
        Check.usable(this, kernel, name, a);
        return ((CpuIntArray) a).data();
    }

    private static int rowWidth(int[] shape) {
        int w = 1;
        for (int d = 1; d < shape.length; d++) {
            w *= shape[d];
        }
        return w;
    }

    private static void checkRowRange(String kernel, int[] shape, int start, int end) {
        if (start < 0 || end > shape[0] || start > end) {
            throw new ShapeException(kernel + ": rows [" + start + ", " + end + ") out of range for shape "
                    + Shapes.format(shape));
        }
    }

    private int[] indexVector(String kernel, IntArray rows, int limit) {
        int[] idx = i(kernel, "rows", rows);
        Check.rank(kernel, "rows", rows, 1);
        for (int r = 0; r < idx.length; r++) {
            if (idx[r] < 0 || idx[r] >= limit) {
                throw new ShapeException(kernel + ": row index " + idx[r] + " at position " + r + " is outside [0, " + limit
                        + ")");
            }
        }
        return idx;
    }

    private static void checkVector(String kernel, String name, FloatArray v, int n, FloatArray x) {
        if (v.size() != n) {
            throw new ShapeException(kernel + ": '" + name + "' must have " + n + " elements for x of shape "
                    + Shapes.format(x.shape()) + ", got shape " + Shapes.format(v.shape()));
        }
    }
}
