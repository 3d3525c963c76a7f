package dev.thinj.ops.cpu;

import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.NumericException;
import dev.thinj.ops.OptimizerKernels;
import dev.thinj.ops.Shapes;

/**
 * Fused optimizer updates (Adam, RAdam, SGD), parameter averages and gradient clipping
 * ({@link OptimizerMath}).
 */
final class CpuOptimizers implements OptimizerKernels {
    private final CpuContext ctx;
    private final Parallel parallel;

    CpuOptimizers(CpuContext ctx) {
        this.ctx = ctx;
        this.parallel = ctx.parallel();
    }

    @Override
    public void adam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1,
            float beta2, float eps, float learnRate, float modRate) {
        float[] w = ctx.f("adam", "weights", weights);
        float[] g = ctx.f("adam", "gradient", gradient);
        float[] m1 = ctx.f("adam", "mom1", mom1);
        float[] m2 = ctx.f("adam", "mom2", mom2);
        Check.sameSize("adam", "weights", weights, "gradient", gradient);
        Check.sameSize("adam", "weights", weights, "mom1", mom1);
        Check.sameSize("adam", "weights", weights, "mom2", mom2);
        if (parallel.splits(w.length, 2)) {
            parallel.forRange(w.length, 2,
                    (from, to) -> OptimizerMath.adam(w, g, m1, m2, beta1, beta2, eps, learnRate, modRate, from, to));
        } else {
            OptimizerMath.adam(w, g, m1, m2, beta1, beta2, eps, learnRate, modRate, 0, w.length);
        }
    }

    @Override
    public void adamUpdate(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, FloatArray averages,
            float beta1, float beta2, float eps, float learnRate, float modRate, float weightDecay, float averagesRate) {
        float[] w = ctx.f("adamUpdate", "weights", weights);
        float[] g = ctx.f("adamUpdate", "gradient", gradient);
        float[] m1 = ctx.f("adamUpdate", "mom1", mom1);
        float[] m2 = ctx.f("adamUpdate", "mom2", mom2);
        float[] e = averages == null ? null : ctx.f("adamUpdate", "averages", averages);
        Check.sameSize("adamUpdate", "weights", weights, "gradient", gradient);
        Check.sameSize("adamUpdate", "weights", weights, "mom1", mom1);
        Check.sameSize("adamUpdate", "weights", weights, "mom2", mom2);
        if (averages != null) {
            Check.sameSize("adamUpdate", "weights", weights, "averages", averages);
        }
        // Cost 3: five arrays read and written, so the MLP's weight matrices split in two.
        if (parallel.splits(w.length, 3)) {
            parallel.forRange(w.length, 3, (from, to) -> OptimizerMath.adamUpdate(w, g, m1, m2, e, beta1, beta2, eps,
                    learnRate, modRate, weightDecay, averagesRate, from, to));
        } else {
            OptimizerMath.adamUpdate(w, g, m1, m2, e, beta1, beta2, eps, learnRate, modRate, weightDecay, averagesRate,
                    0, w.length);
        }
    }

    @Override
    public void radam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1,
            float beta2, float eps, float stepSize, boolean rectified) {
        float[] w = ctx.f("radam", "weights", weights);
        float[] g = ctx.f("radam", "gradient", gradient);
        float[] m1 = ctx.f("radam", "mom1", mom1);
        float[] m2 = ctx.f("radam", "mom2", mom2);
        Check.sameSize("radam", "weights", weights, "gradient", gradient);
        Check.sameSize("radam", "weights", weights, "mom1", mom1);
        Check.sameSize("radam", "weights", weights, "mom2", mom2);
        if (parallel.splits(w.length, 2)) {
            parallel.forRange(w.length, 2,
                    (from, to) -> OptimizerMath.radam(w, g, m1, m2, beta1, beta2, eps, stepSize, rectified, from, to));
        } else {
            OptimizerMath.radam(w, g, m1, m2, beta1, beta2, eps, stepSize, rectified, 0, w.length);
        }
    }

    @Override
    public void sgd(FloatArray weights, FloatArray gradient, float learnRate) {
        float[] w = ctx.f("sgd", "weights", weights);
        float[] g = ctx.f("sgd", "gradient", gradient);
        Check.sameSize("sgd", "weights", weights, "gradient", gradient);
        if (parallel.splits(w.length, Parallel.CHEAP)) {
            parallel.forRange(w.length, Parallel.CHEAP, (from, to) -> OptimizerMath.sgd(w, g, learnRate, from, to));
        } else {
            OptimizerMath.sgd(w, g, learnRate, 0, w.length);
        }
    }

    @Override
    public void updateAverages(FloatArray ema, FloatArray weights, int t, double maxDecay) {
        float[] e = ctx.f("updateAverages", "ema", ema);
        float[] w = ctx.f("updateAverages", "weights", weights);
        Check.sameSize("updateAverages", "ema", ema, "weights", weights);
        float k = OptimizerKernels.averagesRate(t, maxDecay);
        // Cost 2 as Adam: two arrays read, one written, so the MLP's weight matrices (262K-401K) split in two.
        if (parallel.splits(e.length, 2)) {
            parallel.forRange(e.length, 2, (from, to) -> OptimizerMath.updateAverages(e, w, k, from, to));
        } else {
            OptimizerMath.updateAverages(e, w, k, 0, e.length);
        }
    }

    @Override
    public void clipGradient(FloatArray gradient, float threshold) {
        float[] g = ctx.f("clipGradient", "gradient", gradient);
        // OpenBLAS's sdot: 5-10x faster than a Java loop (which C2 cannot vectorise as a float sum), and
        // how NumPy computes Thinc's norm.
        double norm = Math.sqrt(Blas.sumOfSquares(g, g.length));
        if (Double.isNaN(norm)) {
            throw new NumericException("clipGradient: the gradient's L2 norm is NaN (shape "
                    + Shapes.format(gradient.shape()) + "); a NaN or infinite value reached the optimizer");
        }
        // A zero norm has nothing to rescale (Thinc would divide by it when threshold is 0).
        if (norm >= threshold && norm > 0) {
            ctx.scale(g, (float) (threshold / norm));
        }
    }
}
