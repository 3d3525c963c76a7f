package dev.thinj.ops.cpu;

import dev.thinj.ops.Check;
import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LossKernels;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.Arrays;

/**
 * Loss targets and gradients: one-hot rows, scaled differences, cosine distance ({@link LossMath}).
 */
final class CpuLosses implements LossKernels {
    private final CpuContext ctx;
    private final Parallel parallel;

    CpuLosses(CpuContext ctx) {
        this.ctx = ctx;
        this.parallel = ctx.parallel();
    }

    @Override
    public FloatArray oneHot(IntArray labels, int nClasses, float labelSmoothing) {
        int[] ld = ctx.i("oneHot", "labels", labels);
        Check.rank("oneHot", "labels", labels, 1);
        float nongold = Check.oneHotOffValue(nClasses, labelSmoothing);
        float gold = 1f - labelSmoothing;
        float[] out = ctx.empty(Shapes.checkedSize("oneHot", ld.length, nClasses));
        Arrays.fill(out, nongold);
        for (int r = 0; r < ld.length; r++) {
            if (ld[r] < 0 || ld[r] >= nClasses) {
                throw new ShapeException("oneHot: label " + ld[r] + " at row " + r + " is outside [0, " + nClasses + ")");
            }
            out[r * nClasses + ld[r]] = gold;
        }
        return ctx.wrap(out, new int[] {ld.length, nClasses});
    }

    @Override
    public FloatArray scaledDifference(FloatArray guesses, FloatArray truths, FloatArray mask, float scale) {
        float[] g = ctx.f("scaledDifference", "guesses", guesses);
        float[] t = ctx.f("scaledDifference", "truths", truths);
        Check.sameShape("scaledDifference", "guesses", guesses, "truths", truths);
        float[] m = null;
        if (mask != null) {
            m = ctx.f("scaledDifference", "mask", mask);
            Check.sameShape("scaledDifference", "guesses", guesses, "mask", mask);
        }
        float[] out = ctx.empty(g.length);
        float[] md = m;
        if (parallel.splits(g.length, Parallel.CHEAP)) {
            parallel.forRange(g.length, Parallel.CHEAP,
                    (from, to) -> ElementwiseMath.scaledDifference(g, t, md, scale, out, from, to));
        } else {
            ElementwiseMath.scaledDifference(g, t, md, scale, out, 0, g.length);
        }
        return ctx.wrap(out, CpuContext.shapeOf(guesses));
    }

    @Override
    public boolean allInRange(FloatArray x, float low, float high) {
        float[] d = ctx.f("allInRange", "x", x);
        for (float v : d) {
            if (!(v >= low && v <= high)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CosineDistanceResult cosineDistance(FloatArray guesses, FloatArray truths, boolean ignoreZeros, float scale) {
        float[] g = ctx.f("cosineDistance", "guesses", guesses);
        float[] t = ctx.f("cosineDistance", "truths", truths);
        Check.rank("cosineDistance", "guesses", guesses, 2);
        Check.sameShape("cosineDistance", "guesses", guesses, "truths", truths);
        int n = guesses.dim(1);
        float[] grad = ctx.zeros(g.length);
        double loss = LossMath.cosine(g, t, grad, n, ignoreZeros, scale, 0, guesses.dim(0));
        return new CosineDistanceResult(ctx.wrap(grad, CpuContext.shapeOf(guesses)), ctx.wrap(new float[] {(float) loss}, new int[] {1}));
    }
}
