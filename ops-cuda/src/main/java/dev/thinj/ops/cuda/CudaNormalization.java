package dev.thinj.ops.cuda;

import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import java.util.List;

/** PLACEHOLDER (integration branch only): replaced by the real kernels before merging to main. */
final class CudaNormalization {
    private final CudaContext ctx;

    CudaNormalization(CudaContext ctx) {
        this.ctx = ctx;
    }

    LayerNormResult layerNorm(FloatArray x, FloatArray gain, FloatArray bias) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaNormalization.layerNorm");
    }

    FloatArray backpropLayerNorm(FloatArray dY, FloatArray x, FloatArray gain, LayerNormResult forward, FloatArray dGain, FloatArray dBias) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaNormalization.backpropLayerNorm");
    }
}
