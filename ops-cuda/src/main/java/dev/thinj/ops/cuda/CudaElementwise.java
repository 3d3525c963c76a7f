package dev.thinj.ops.cuda;

import dev.thinj.ops.ElementwiseKernels;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.cuda.device.Device.Kernel;

/**
 * Elementwise arithmetic and whole-array sums ({@code native/elementwise.cu}). Sums reduce in two
 * launches (per-block partial sums in double, then one block) and stay on the device as a
 * one-element array until read.
 */
final class CudaElementwise implements ElementwiseKernels {
    private final CudaContext ctx;
    private final Kernel add;
    private final Kernel sub;
    private final Kernel mul;
    private final Kernel scale;
    private final Kernel axpy;
    private final Kernel partialSums;
    private final Kernel finishSum;

    CudaElementwise(CudaContext ctx) {
        this.ctx = ctx;
        this.add = ctx.kernel("thinj_add");
        this.sub = ctx.kernel("thinj_sub");
        this.mul = ctx.kernel("thinj_mul");
        this.scale = ctx.kernel("thinj_scale");
        this.axpy = ctx.kernel("thinj_axpy");
        this.partialSums = ctx.kernel("thinj_partial_sums");
        this.finishSum = ctx.kernel("thinj_finish_sum");
    }

    @Override
    public FloatArray add(FloatArray a, FloatArray b) {
        return binary("add", add, a, b);
    }

    @Override
    public FloatArray sub(FloatArray a, FloatArray b) {
        return binary("sub", sub, a, b);
    }

    @Override
    public FloatArray mul(FloatArray a, FloatArray b) {
        return binary("mul", mul, a, b);
    }

    @Override
    public void addInPlace(FloatArray a, FloatArray b) {
        long pa = ctx.f("addInPlace", "a", a);
        long pb = ctx.f("addInPlace", "b", b);
        Check.sameSize("addInPlace", "a", a, "b", b);
        ctx.launch(add, a.size(), ctx.args().ptr(pa).ptr(pb).ptr(pa).i64(a.size()));
    }

    @Override
    public void mulInPlace(FloatArray a, FloatArray b) {
        long pa = ctx.f("mulInPlace", "a", a);
        long pb = ctx.f("mulInPlace", "b", b);
        Check.sameSize("mulInPlace", "a", a, "b", b);
        ctx.launch(mul, a.size(), ctx.args().ptr(pa).ptr(pb).ptr(pa).i64(a.size()));
    }

    @Override
    public FloatArray scale(FloatArray a, float factor) {
        long pa = ctx.f("scale", "a", a);
        CudaFloatArray out = ctx.newFloats("scale", a.shape());
        ctx.launch(scale, a.size(), ctx.args().ptr(pa).ptr(out.address()).f32(factor).i64(a.size()));
        return out;
    }

    @Override
    public void scaleInPlace(FloatArray a, float factor) {
        long pa = ctx.f("scaleInPlace", "a", a);
        ctx.launch(scale, a.size(), ctx.args().ptr(pa).ptr(pa).f32(factor).i64(a.size()));
    }

    @Override
    public void axpy(float alpha, FloatArray x, FloatArray y) {
        long px = ctx.f("axpy", "x", x);
        long py = ctx.f("axpy", "y", y);
        Check.sameSize("axpy", "x", x, "y", y);
        ctx.launch(axpy, x.size(), ctx.args().f32(alpha).ptr(px).ptr(py).i64(x.size()));
    }

    @Override
    public FloatArray sum(FloatArray x) {
        return reduce("sum", x, 0);
    }

    @Override
    public FloatArray sumOfSquares(FloatArray x) {
        return reduce("sumOfSquares", x, 1);
    }

    private FloatArray binary(String name, Kernel kernel, FloatArray a, FloatArray b) {
        long pa = ctx.f(name, "a", a);
        long pb = ctx.f(name, "b", b);
        Check.sameSize(name, "a", a, "b", b);
        CudaFloatArray out = ctx.newFloats(name, a.shape());
        ctx.launch(kernel, a.size(), ctx.args().ptr(pa).ptr(pb).ptr(out.address()).i64(a.size()));
        return out;
    }

    /** {@code squares}: 0 sums the values, 1 their squares. */
    private FloatArray reduce(String name, FloatArray x, int squares) {
        long px = ctx.f(name, "x", x);
        CudaFloatArray out = ctx.newFloats(name, 1);
        int blocks = ctx.reductionBlocks(x.size());
        try (CudaFloatArray partial = ctx.newFloats(name, 2 * blocks)) {  // doubles: two floats each
            ctx.launchShape(partialSums, blocks, CudaContext.BLOCK,
                    ctx.args().ptr(px).i64(x.size()).i32(squares).ptr(partial.address()));
            ctx.launchShape(finishSum, 1, CudaContext.BLOCK,
                    ctx.args().ptr(partial.address()).i32(blocks).ptr(out.address()));
        }
        return out;
    }
}
