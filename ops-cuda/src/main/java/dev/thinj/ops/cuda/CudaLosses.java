package dev.thinj.ops.cuda;

import dev.thinj.ops.LossKernels;
import dev.thinj.ops.Check;
import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.cuda.device.Device.Kernel;

/**
 * The arithmetic of Thinc's losses ({@code native/losses.cu}). Labels are checked on the host from
 * the copy an int array made from host data keeps; the cosine loss stays on the device as a
 * one-element array until read.
 */
final class CudaLosses implements LossKernels {
    private final CudaContext ctx;
    private final Kernel oneHot;
    private final Kernel scaledDifference;
    private final Kernel allInRange;
    private final Kernel cosine;
    private final Kernel finishSum;

    CudaLosses(CudaContext ctx) {
        this.ctx = ctx;
        this.oneHot = ctx.kernel("thinj_one_hot");
        this.scaledDifference = ctx.kernel("thinj_scaled_difference");
        this.allInRange = ctx.kernel("thinj_all_in_range");
        this.cosine = ctx.kernel("thinj_cosine_distance");
        this.finishSum = ctx.kernel("thinj_finish_sum");  // elementwise.cu's second pass of a sum
    }

    @Override
    public FloatArray oneHot(IntArray labels, int nClasses, float labelSmoothing) {
        CudaIntArray l = ctx.i("oneHot", "labels", labels);
        Check.rank("oneHot", "labels", labels, 1);
        float nongold = Check.oneHotOffValue(nClasses, labelSmoothing);
        float gold = 1f - labelSmoothing;
        int[] ld = l.hostValues();
        Shapes.checkedSize("oneHot", ld.length, nClasses);
        for (int r = 0; r < ld.length; r++) {
            if (ld[r] < 0 || ld[r] >= nClasses) {
                throw new ShapeException("oneHot: label " + ld[r] + " at row " + r + " is outside [0, " + nClasses + ")");
            }
        }
        CudaFloatArray out = ctx.newFloats("oneHot", ld.length, nClasses);
        ctx.launch(oneHot, out.size(), ctx.args().ptr(l.address()).ptr(out.address()).i32(nClasses).f32(gold)
                .f32(nongold).i64(out.size()));
        return out;
    }

    @Override
    public FloatArray scaledDifference(FloatArray guesses, FloatArray truths, FloatArray mask, float scale) {
        long pg = ctx.f("scaledDifference", "guesses", guesses);
        long pt = ctx.f("scaledDifference", "truths", truths);
        Check.sameShape("scaledDifference", "guesses", guesses, "truths", truths);
        long pm = 0L;  // a null pointer: the kernel multiplies by no mask
        if (mask != null) {
            pm = ctx.f("scaledDifference", "mask", mask);
            Check.sameShape("scaledDifference", "guesses", guesses, "mask", mask);
        }
        CudaFloatArray out = ctx.newFloats("scaledDifference", guesses.shape());
        ctx.launch(scaledDifference, out.size(), ctx.args().ptr(pg).ptr(pt).ptr(pm).ptr(out.address()).f32(scale)
                .i64(out.size()));
        return out;
    }

    @Override
    public boolean allInRange(FloatArray x, float low, float high) {
        long px = ctx.f("allInRange", "x", x);
        if (x.size() == 0) {
            return true;
        }
        try (CudaIntArray flag = ctx.newInts("allInRange", null, 1)) {
            ctx.device().memset(flag.address(), 0, 4, ctx.stream());
            ctx.launch(allInRange, x.size(), ctx.args().ptr(px).f32(low).f32(high).ptr(flag.address()).i64(x.size()));
            int[] outside = new int[1];
            ctx.download(outside, 0, flag.address(), 1);
            return outside[0] == 0;
        }
    }

    @Override
    public CosineDistanceResult cosineDistance(FloatArray guesses, FloatArray truths, boolean ignoreZeros, float scale) {
        long pg = ctx.f("cosineDistance", "guesses", guesses);
        long pt = ctx.f("cosineDistance", "truths", truths);
        Check.rank("cosineDistance", "guesses", guesses, 2);
        Check.sameShape("cosineDistance", "guesses", guesses, "truths", truths);
        int rows = guesses.dim(0);
        int n = guesses.dim(1);
        CudaFloatArray grad = ctx.newFloats("cosineDistance", guesses.shape());
        CudaFloatArray loss = ctx.newFloats("cosineDistance", 1);
        // One double per row (two floats each), summed in order by one block: deterministic.
        try (CudaFloatArray rowLoss = ctx.newFloats("cosineDistance", 2 * Math.max(1, rows))) {
            ctx.launchRows(cosine, rows, ctx.args().ptr(pg).ptr(pt).ptr(grad.address()).ptr(rowLoss.address()).i32(n)
                    .i32(ignoreZeros ? 1 : 0).f32(scale));
            ctx.launchShape(finishSum, 1, CudaContext.BLOCK, ctx.args().ptr(rowLoss.address()).i32(rows)
                    .ptr(loss.address()));
        }
        return new CosineDistanceResult(grad, loss);
    }
}
