package dev.thinj.ops.cuda;

import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import java.util.List;

/** PLACEHOLDER (integration branch only): replaced by the real kernels before merging to main. */
final class CudaLinear {
    private final CudaContext ctx;

    CudaLinear(CudaContext ctx) {
        this.ctx = ctx;
    }

    void gemm(FloatArray a, FloatArray b, FloatArray out, boolean transA, boolean transB, float alpha, float beta) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaLinear.gemm");
    }

    void addBias(FloatArray y, FloatArray bias) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaLinear.addBias");
    }

    void sumRows(FloatArray x, FloatArray out, boolean accumulate) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaLinear.sumRows");
    }
}
