package dev.thinj.ops.cuda;

import dev.thinj.ops.OptimizerKernels;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.cuda.device.Device.Kernel;

/**
 * The optimizers' updates ({@code native/optimizers.cu}): each one fused launch that also zeroes the
 * gradient. Gradient clipping runs entirely on the device (partial sums of squares, then one block
 * that turns the norm into a scale factor, then the rescale), so a training step never waits for
 * the device; a NaN norm is flagged on the device and reported at the next synchronisation.
 */
final class CudaOptimizers implements OptimizerKernels {
    private final CudaContext ctx;
    private final Kernel adam;
    private final Kernel adamUpdate;
    private final Kernel radam;
    private final Kernel sgd;
    private final Kernel updateAverages;
    private final Kernel partialSums;
    private final Kernel clipNorm;
    private final Kernel clipScale;

    CudaOptimizers(CudaContext ctx) {
        this.ctx = ctx;
        this.adam = ctx.kernel("thinj_adam");
        this.adamUpdate = ctx.kernel("thinj_adam_update");
        this.radam = ctx.kernel("thinj_radam");
        this.sgd = ctx.kernel("thinj_sgd");
        this.updateAverages = ctx.kernel("thinj_update_averages");
        this.partialSums = ctx.kernel("thinj_partial_sums");  // elementwise.cu's first pass of a sum
        this.clipNorm = ctx.kernel("thinj_clip_norm");
        this.clipScale = ctx.kernel("thinj_clip_scale");
    }

    @Override
    public void adam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1, float beta2,
            float eps, float learnRate, float modRate) {
        long w = ctx.f("adam", "weights", weights);
        long g = ctx.f("adam", "gradient", gradient);
        long m1 = ctx.f("adam", "mom1", mom1);
        long m2 = ctx.f("adam", "mom2", mom2);
        Check.sameSize("adam", "weights", weights, "gradient", gradient);
        Check.sameSize("adam", "weights", weights, "mom1", mom1);
        Check.sameSize("adam", "weights", weights, "mom2", mom2);
        ctx.launch(adam, weights.size(), ctx.args().ptr(w).ptr(g).ptr(m1).ptr(m2).f32(beta1).f32(beta2).f32(eps)
                .f32(learnRate).f32(modRate).i64(weights.size()));
    }

    @Override
    public void adamUpdate(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, FloatArray averages,
            float beta1, float beta2, float eps, float learnRate, float modRate, float weightDecay, float averagesRate) {
        long w = ctx.f("adamUpdate", "weights", weights);
        long g = ctx.f("adamUpdate", "gradient", gradient);
        long m1 = ctx.f("adamUpdate", "mom1", mom1);
        long m2 = ctx.f("adamUpdate", "mom2", mom2);
        long e = averages == null ? 0L : ctx.f("adamUpdate", "averages", averages);
        Check.sameSize("adamUpdate", "weights", weights, "gradient", gradient);
        Check.sameSize("adamUpdate", "weights", weights, "mom1", mom1);
        Check.sameSize("adamUpdate", "weights", weights, "mom2", mom2);
        if (averages != null) {
            Check.sameSize("adamUpdate", "weights", weights, "averages", averages);
        }
        ctx.launch(adamUpdate, weights.size(), ctx.args().ptr(w).ptr(g).ptr(m1).ptr(m2).ptr(e).f32(beta1).f32(beta2)
                .f32(eps).f32(learnRate).f32(modRate).f32(weightDecay).f32(averagesRate).i64(weights.size()));
    }

    @Override
    public void radam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1, float beta2,
            float eps, float stepSize, boolean rectified) {
        long w = ctx.f("radam", "weights", weights);
        long g = ctx.f("radam", "gradient", gradient);
        long m1 = ctx.f("radam", "mom1", mom1);
        long m2 = ctx.f("radam", "mom2", mom2);
        Check.sameSize("radam", "weights", weights, "gradient", gradient);
        Check.sameSize("radam", "weights", weights, "mom1", mom1);
        Check.sameSize("radam", "weights", weights, "mom2", mom2);
        ctx.launch(radam, weights.size(), ctx.args().ptr(w).ptr(g).ptr(m1).ptr(m2).f32(beta1).f32(beta2).f32(eps)
                .f32(stepSize).i32(rectified ? 1 : 0).i64(weights.size()));
    }

    @Override
    public void sgd(FloatArray weights, FloatArray gradient, float learnRate) {
        long w = ctx.f("sgd", "weights", weights);
        long g = ctx.f("sgd", "gradient", gradient);
        Check.sameSize("sgd", "weights", weights, "gradient", gradient);
        ctx.launch(sgd, weights.size(), ctx.args().ptr(w).ptr(g).f32(learnRate).i64(weights.size()));
    }

    @Override
    public void updateAverages(FloatArray ema, FloatArray weights, int t, double maxDecay) {
        long e = ctx.f("updateAverages", "ema", ema);
        long w = ctx.f("updateAverages", "weights", weights);
        Check.sameSize("updateAverages", "ema", ema, "weights", weights);
        // In double on the host, as CpuOps: maxDecay 0.9999 as a float would be 0.99989998.
        float k = OptimizerKernels.averagesRate(t, maxDecay);
        ctx.launch(updateAverages, ema.size(), ctx.args().ptr(e).ptr(w).f32(k).i64(ema.size()));
    }

    @Override
    public void clipGradient(FloatArray gradient, float threshold) {
        long g = ctx.f("clipGradient", "gradient", gradient);
        long n = gradient.size();
        if (n == 0) {
            return;  // norm 0: nothing to rescale
        }
        int blocks = ctx.reductionBlocks(n);
        // blocks doubles of partial sums (two floats each), then one float for the scale factor.
        try (CudaFloatArray scratch = ctx.newFloats("clipGradient", 2 * blocks + 1)) {
            long partial = scratch.address();
            long factor = partial + 8L * blocks;
            ctx.launchShape(partialSums, blocks, CudaContext.BLOCK, ctx.args().ptr(g).i64(n).i32(1).ptr(partial));
            ctx.launchShape(clipNorm, 1, CudaContext.BLOCK, ctx.args().ptr(partial).i32(blocks).f32(threshold)
                    .ptr(factor).ptr(ctx.faultFlag()).i32(CudaContext.FAULT_CLIP_NAN));
            ctx.launch(clipScale, n, ctx.args().ptr(g).ptr(factor).i64(n));
        }
    }
}
