package dev.thinj.ops.cuda;

import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import java.util.List;

/** PLACEHOLDER (integration branch only): replaced by the real kernels before merging to main. */
final class CudaOptimizers {
    private final CudaContext ctx;

    CudaOptimizers(CudaContext ctx) {
        this.ctx = ctx;
    }

    void adam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1, float beta2, float eps, float learnRate, float modRate) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaOptimizers.adam");
    }

    void radam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1, float beta2, float eps, float stepSize, boolean rectified) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaOptimizers.radam");
    }

    void sgd(FloatArray weights, FloatArray gradient, float learnRate) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaOptimizers.sgd");
    }

    void updateAverages(FloatArray ema, FloatArray weights, int t, double maxDecay) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaOptimizers.updateAverages");
    }

    void clipGradient(FloatArray gradient, float threshold) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaOptimizers.clipGradient");
    }
}
