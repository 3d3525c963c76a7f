package dev.thinj.ops.cuda;

import dev.thinj.ops.ReductionKernels;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.cuda.device.Device.Kernel;

/**
 * Thinc's sequence reductions ({@code native/reductions.cu}). The lengths are checked and turned into
 * row offsets (prefix sums) on the host, from the host copy an int array made from host data keeps,
 * so a reduction costs no device round trip; the offsets travel to the device as a small int array,
 * released once the kernel is enqueued (the pool reuses it only after the stream has run it).
 */
final class CudaReductions implements ReductionKernels {
    /**
     * Fault code {@code thinj_backprop_reduce_max} writes when a device-made {@code which} names a row
     * outside its sequence; {@link CudaContext} reports it as a {@link ShapeException}.
     */
    static final int FAULT_REDUCE_MAX_ROW = 3;

    private final CudaContext ctx;
    private final Kernel reduceSum;
    private final Kernel backpropReduceSum;
    private final Kernel reduceMax;
    private final Kernel backpropReduceMax;

    CudaReductions(CudaContext ctx) {
        this.ctx = ctx;
        this.reduceSum = ctx.kernel("thinj_reduce_sum");
        this.backpropReduceSum = ctx.kernel("thinj_backprop_reduce_sum");
        this.reduceMax = ctx.kernel("thinj_reduce_max");
        this.backpropReduceMax = ctx.kernel("thinj_backprop_reduce_max");
    }

    @Override
    public FloatArray reduceSum(FloatArray x, IntArray lengths) {
        return reduceSumOrMean("reduceSum", x, lengths, false);
    }

    @Override
    public FloatArray reduceMean(FloatArray x, IntArray lengths) {
        return reduceSumOrMean("reduceMean", x, lengths, true);
    }

    @Override
    public FloatArray backpropReduceSum(FloatArray dY, IntArray lengths) {
        return backpropSumOrMean("backpropReduceSum", dY, lengths, false);
    }

    @Override
    public FloatArray backpropReduceMean(FloatArray dY, IntArray lengths) {
        return backpropSumOrMean("backpropReduceMean", dY, lengths, true);
    }

    private FloatArray reduceSumOrMean(String kernel, FloatArray x, IntArray lengths, boolean mean) {
        long px = ctx.f(kernel, "x", x);
        int[] ld = ctx.i(kernel, "lengths", lengths).hostValues();
        Check.rank(kernel, "x", x, 2);
        Check.rank(kernel, "lengths", lengths, 1);
        int[] offsets = offsets(kernel, ld, x.dim(0), true);
        int n = x.dim(1);
        CudaFloatArray y = ctx.newFloats(kernel, ld.length, n);
        try (CudaIntArray off = ctx.upload(kernel, offsets, 0, new int[] {offsets.length})) {
            ctx.launch(reduceSum, y.size(), ctx.args().ptr(px).ptr(off.address()).ptr(y.address()).i32(ld.length).i32(n)
                    .i32(mean ? 1 : 0));
        }
        return y;
    }

    private FloatArray backpropSumOrMean(String kernel, FloatArray dY, IntArray lengths, boolean mean) {
        long pdy = ctx.f(kernel, "dY", dY);
        int[] ld = ctx.i(kernel, "lengths", lengths).hostValues();
        Check.rank(kernel, "dY", dY, 2);
        Check.rank(kernel, "lengths", lengths, 1);
        Check.dim(kernel, "dY", dY, 0, ld.length);
        int[] offsets = offsets(kernel, ld, -1, true);
        int total = offsets[ld.length];
        int n = dY.dim(1);
        CudaFloatArray dX = ctx.newFloats(kernel, total, n);
        try (CudaIntArray off = ctx.upload(kernel, offsets, 0, new int[] {offsets.length})) {
            ctx.launch(backpropReduceSum, dX.size(), ctx.args().ptr(pdy).ptr(off.address()).ptr(dX.address())
                    .i32(ld.length).i32(n).i64(dX.size()).i32(mean ? 1 : 0));
        }
        return dX;
    }

    @Override
    public MaxResult reduceMax(FloatArray x, IntArray lengths) {
        long px = ctx.f("reduceMax", "x", x);
        int[] ld = ctx.i("reduceMax", "lengths", lengths).hostValues();
        Check.rank("reduceMax", "x", x, 2);
        Check.rank("reduceMax", "lengths", lengths, 1);
        int[] offsets = offsets("reduceMax", ld, x.dim(0), false);
        int n = x.dim(1);
        CudaFloatArray y = ctx.newFloats("reduceMax", ld.length, n);
        CudaIntArray which = ctx.newInts("reduceMax", null, ld.length, n);
        try (CudaIntArray off = ctx.upload("reduceMax", offsets, 0, new int[] {offsets.length})) {
            ctx.launch(reduceMax, y.size(), ctx.args().ptr(px).ptr(off.address()).ptr(y.address()).ptr(which.address())
                    .i32(ld.length).i32(n));
        }
        return new MaxResult(y, which);
    }

    @Override
    public FloatArray backpropReduceMax(FloatArray dY, IntArray which, IntArray lengths) {
        long pdy = ctx.f("backpropReduceMax", "dY", dY);
        CudaIntArray w = ctx.i("backpropReduceMax", "which", which);
        int[] ld = ctx.i("backpropReduceMax", "lengths", lengths).hostValues();
        Check.rank("backpropReduceMax", "dY", dY, 2);
        Check.sameShape("backpropReduceMax", "dY", dY, "which", which);
        Check.dim("backpropReduceMax", "dY", dY, 0, ld.length);
        int[] offsets = offsets("backpropReduceMax", ld, -1, false);
        int n = dY.dim(1);
        // A `which` whose values the host knows (made from host data, or already read) is checked here,
        // as the CPU does; one reduceMax made on the device is checked by the kernel instead, so the
        // backward pass does not wait for the device (a bad row is reported at the next synchronisation).
        int[] wd = w.knownHostValues();
        if (wd != null) {
            for (int s = 0; s < ld.length; s++) {
                for (int j = 0; j < n; j++) {
                    int r = wd[s * n + j];
                    if (r < 0 || r >= ld[s]) {
                        throw new ShapeException("backpropReduceMax: which[" + s + ", " + j + "] = " + r
                                + " is outside its sequence of length " + ld[s]);
                    }
                }
            }
        }
        CudaFloatArray dX = ctx.zeros("backpropReduceMax", offsets[ld.length], n);
        try (CudaIntArray off = ctx.upload("backpropReduceMax", offsets, 0, new int[] {offsets.length})) {
            ctx.launch(backpropReduceMax, (long) ld.length * n, ctx.args().ptr(pdy).ptr(w.address())
                    .ptr(off.address()).ptr(dX.address()).i32(ld.length).i32(n).ptr(ctx.faultFlag())
                    .i32(FAULT_REDUCE_MAX_ROW));
        }
        return dX;
    }

    /**
     * Checks lengths as Thinc does (ops-cpu's SequenceKernels.checkLengths, same messages) and returns
     * the row offsets: {@code offsets[s]} is the first row of sequence {@code s}, the last entry the total.
     *
     * @param rows the rows available, or -1 when the lengths define them (backward passes)
     */
    private static int[] offsets(String kernel, int[] lengths, int rows, boolean allowEmpty) {
        int[] offsets = new int[lengths.length + 1];
        long total = 0;
        for (int s = 0; s < lengths.length; s++) {
            int len = lengths[s];
            if (len < 0 || (!allowEmpty && len == 0)) {
                throw new ShapeException(kernel + ": all sequence lengths must be " + (allowEmpty ? ">= 0" : "> 0")
                        + ", got " + len);
            }
            offsets[s] = (int) total;
            total += len;
        }
        if (rows >= 0 && total > rows) {
            throw new ShapeException(kernel + ": lengths sum to " + total + ", more than the " + rows + " rows of X");
        }
        if (total > Integer.MAX_VALUE) {
            throw new ShapeException(kernel + ": lengths sum to " + total + ", more rows than an array can hold");
        }
        offsets[lengths.length] = (int) total;
        return offsets;
    }
}
