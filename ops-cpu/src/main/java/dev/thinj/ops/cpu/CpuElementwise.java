package dev.thinj.ops.cpu;

import dev.thinj.ops.Check;
import dev.thinj.ops.ElementwiseKernels;
import dev.thinj.ops.FloatArray;

/** Elementwise arithmetic and whole-array sums; the loops are {@link ElementwiseMath}'s. */
final class CpuElementwise implements ElementwiseKernels {
    private final CpuContext ctx;
    private final Parallel parallel;

    CpuElementwise(CpuContext ctx) {
        this.ctx = ctx;
        this.parallel = ctx.parallel();
    }

    @Override
    public FloatArray add(FloatArray a, FloatArray b) {
        float[] ad = ctx.f("add", "a", a);
        float[] bd = ctx.f("add", "b", b);
        Check.sameSize("add", "a", a, "b", b);
        float[] out = ctx.empty(ad.length);
        if (parallel.splits(ad.length, Parallel.CHEAP)) {
            parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> ElementwiseMath.add(ad, bd, out, from, to));
        } else {
            ElementwiseMath.add(ad, bd, out, 0, ad.length);
        }
        return ctx.wrap(out, CpuContext.shapeOf(a));
    }

    @Override
    public FloatArray sub(FloatArray a, FloatArray b) {
        float[] ad = ctx.f("sub", "a", a);
        float[] bd = ctx.f("sub", "b", b);
        Check.sameSize("sub", "a", a, "b", b);
        float[] out = ctx.empty(ad.length);
        if (parallel.splits(ad.length, Parallel.CHEAP)) {
            parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> ElementwiseMath.sub(ad, bd, out, from, to));
        } else {
            ElementwiseMath.sub(ad, bd, out, 0, ad.length);
        }
        return ctx.wrap(out, CpuContext.shapeOf(a));
    }

    @Override
    public FloatArray mul(FloatArray a, FloatArray b) {
        float[] ad = ctx.f("mul", "a", a);
        float[] bd = ctx.f("mul", "b", b);
        Check.sameSize("mul", "a", a, "b", b);
        float[] out = ctx.empty(ad.length);
        if (parallel.splits(ad.length, Parallel.CHEAP)) {
            parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> ElementwiseMath.mul(ad, bd, out, from, to));
        } else {
            ElementwiseMath.mul(ad, bd, out, 0, ad.length);
        }
        return ctx.wrap(out, CpuContext.shapeOf(a));
    }

    @Override
    public void addInPlace(FloatArray a, FloatArray b) {
        float[] ad = ctx.f("addInPlace", "a", a);
        float[] bd = ctx.f("addInPlace", "b", b);
        Check.sameSize("addInPlace", "a", a, "b", b);
        if (parallel.splits(ad.length, Parallel.CHEAP)) {
            parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> ElementwiseMath.addInPlace(ad, bd, from, to));
        } else {
            ElementwiseMath.addInPlace(ad, bd, 0, ad.length);
        }
    }

    @Override
    public void mulInPlace(FloatArray a, FloatArray b) {
        float[] ad = ctx.f("mulInPlace", "a", a);
        float[] bd = ctx.f("mulInPlace", "b", b);
        Check.sameSize("mulInPlace", "a", a, "b", b);
        if (parallel.splits(ad.length, Parallel.CHEAP)) {
            parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> ElementwiseMath.mulInPlace(ad, bd, from, to));
        } else {
            ElementwiseMath.mulInPlace(ad, bd, 0, ad.length);
        }
    }

    @Override
    public FloatArray scale(FloatArray a, float factor) {
        float[] in = ctx.f("scale", "a", a);
        float[] out = ctx.empty(in.length);
        System.arraycopy(in, 0, out, 0, in.length);
        ctx.scale(out, factor);
        return ctx.wrap(out, CpuContext.shapeOf(a));
    }

    @Override
    public void scaleInPlace(FloatArray a, float factor) {
        ctx.scale(ctx.f("scaleInPlace", "a", a), factor);
    }

    @Override
    public void axpy(float alpha, FloatArray x, FloatArray y) {
        float[] xd = ctx.f("axpy", "x", x);
        float[] yd = ctx.f("axpy", "y", y);
        Check.sameSize("axpy", "x", x, "y", y);
        if (parallel.splits(xd.length, Parallel.CHEAP)) {
            parallel.forRange(xd.length, Parallel.CHEAP, (from, to) -> ElementwiseMath.axpy(alpha, xd, yd, from, to));
        } else {
            ElementwiseMath.axpy(alpha, xd, yd, 0, xd.length);
        }
    }

    @Override
    public FloatArray sum(FloatArray x) {
        float[] d = ctx.f("sum", "x", x);
        return ctx.wrap(new float[] {(float) OptimizerMath.sum(d, 0, d.length)}, new int[] {1});
    }

    @Override
    public FloatArray sumOfSquares(FloatArray x) {
        float[] d = ctx.f("sumOfSquares", "x", x);
        return ctx.wrap(new float[] {(float) OptimizerMath.sumOfSquares(d, 0, d.length)}, new int[] {1});
    }
}
