package dev.thinj.ops.cpu;

import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.ReductionKernels;
import dev.thinj.ops.Shapes;

/**
 * Per-sequence sum, mean and max over sequences laid end to end ({@link SequenceKernels}).
 */
final class CpuReductions implements ReductionKernels {
    private final CpuContext ctx;

    CpuReductions(CpuContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public FloatArray reduceSum(FloatArray x, IntArray lengths) {
        return reduceSumOrMean("reduceSum", x, lengths, false);
    }

    @Override
    public FloatArray reduceMean(FloatArray x, IntArray lengths) {
        return reduceSumOrMean("reduceMean", x, lengths, true);
    }

    private FloatArray reduceSumOrMean(String kernel, FloatArray x, IntArray lengths, boolean mean) {
        float[] xd = ctx.f(kernel, "x", x);
        int[] ld = ctx.i(kernel, "lengths", lengths);
        Check.rank(kernel, "x", x, 2);
        Check.rank(kernel, "lengths", lengths, 1);
        SequenceKernels.checkLengths(kernel, ld, x.dim(0), true);
        int n = x.dim(1);
        float[] y = ctx.zeros(ld.length * n);
        SequenceKernels.reduceSum(xd, ld, y, n, mean);
        return ctx.wrap(y, new int[] {ld.length, n});
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
        float[] dyd = ctx.f(kernel, "dY", dY);
        int[] ld = ctx.i(kernel, "lengths", lengths);
        Check.rank(kernel, "dY", dY, 2);
        Check.rank(kernel, "lengths", lengths, 1);
        Check.dim(kernel, "dY", dY, 0, ld.length);
        int total = SequenceKernels.checkLengths(kernel, ld, -1, true);
        int n = dY.dim(1);
        float[] dx = ctx.zeros(Shapes.checkedSize(kernel, total, n));
        SequenceKernels.backpropReduceSum(dyd, ld, dx, n, mean);
        return ctx.wrap(dx, new int[] {total, n});
    }

    @Override
    public MaxResult reduceMax(FloatArray x, IntArray lengths) {
        float[] xd = ctx.f("reduceMax", "x", x);
        int[] ld = ctx.i("reduceMax", "lengths", lengths);
        Check.rank("reduceMax", "x", x, 2);
        Check.rank("reduceMax", "lengths", lengths, 1);
        SequenceKernels.checkLengths("reduceMax", ld, x.dim(0), false);
        int n = x.dim(1);
        float[] y = new float[ld.length * n];
        int[] which = new int[ld.length * n];
        SequenceKernels.reduceMax(xd, ld, y, which, n);
        return new MaxResult(ctx.wrap(y, new int[] {ld.length, n}), ctx.wrapInts(which, new int[] {ld.length, n}));
    }

    @Override
    public FloatArray backpropReduceMax(FloatArray dY, IntArray which, IntArray lengths) {
        float[] dyd = ctx.f("backpropReduceMax", "dY", dY);
        int[] wd = ctx.i("backpropReduceMax", "which", which);
        int[] ld = ctx.i("backpropReduceMax", "lengths", lengths);
        Check.rank("backpropReduceMax", "dY", dY, 2);
        Check.sameShape("backpropReduceMax", "dY", dY, "which", which);
        Check.dim("backpropReduceMax", "dY", dY, 0, ld.length);
        int total = SequenceKernels.checkLengths("backpropReduceMax", ld, -1, false);
        int n = dY.dim(1);
        float[] dx = ctx.zeros(Shapes.checkedSize("backpropReduceMax", total, n));
        SequenceKernels.backpropReduceMax(dyd, wd, ld, dx, n);
        return ctx.wrap(dx, new int[] {total, n});
    }
}
