package dev.thinj.ops.cpu;

import dev.thinj.ops.Check;
import dev.thinj.ops.ElementwiseKernels;
import dev.thinj.ops.FloatArray;

/**
 * Elementwise arithmetic and whole-array sums. The add/sub/mul loops stay separate explicit loops:
 * the JIT vectorises each, and a shared per-element lambda would not be.
 */
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
        parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ad[i] + bd[i];
            }
        });
        return ctx.wrap(out, a.shape());
    }

    @Override
    public FloatArray sub(FloatArray a, FloatArray b) {
        float[] ad = ctx.f("sub", "a", a);
        float[] bd = ctx.f("sub", "b", b);
        Check.sameSize("sub", "a", a, "b", b);
        float[] out = ctx.empty(ad.length);
        parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ad[i] - bd[i];
            }
        });
        return ctx.wrap(out, a.shape());
    }

    @Override
    public FloatArray mul(FloatArray a, FloatArray b) {
        float[] ad = ctx.f("mul", "a", a);
        float[] bd = ctx.f("mul", "b", b);
        Check.sameSize("mul", "a", a, "b", b);
        float[] out = ctx.empty(ad.length);
        parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ad[i] * bd[i];
            }
        });
        return ctx.wrap(out, a.shape());
    }

    @Override
    public void addInPlace(FloatArray a, FloatArray b) {
        float[] ad = ctx.f("addInPlace", "a", a);
        float[] bd = ctx.f("addInPlace", "b", b);
        Check.sameSize("addInPlace", "a", a, "b", b);
        parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                ad[i] += bd[i];
            }
        });
    }

    @Override
    public void mulInPlace(FloatArray a, FloatArray b) {
        float[] ad = ctx.f("mulInPlace", "a", a);
        float[] bd = ctx.f("mulInPlace", "b", b);
        Check.sameSize("mulInPlace", "a", a, "b", b);
        parallel.forRange(ad.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                ad[i] *= bd[i];
            }
        });
    }

    @Override
    public FloatArray scale(FloatArray a, float factor) {
        float[] in = ctx.f("scale", "a", a);
        float[] out = ctx.empty(in.length);
        System.arraycopy(in, 0, out, 0, in.length);
        ctx.scale(out, factor);
        return ctx.wrap(out, a.shape());
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
        parallel.forRange(xd.length, Parallel.CHEAP, (from, to) -> {
            for (int i = from; i < to; i++) {
                yd[i] += alpha * xd[i];
            }
        });
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
