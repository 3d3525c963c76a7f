package dev.thinj.ops.cuda;

import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import java.util.List;

/** PLACEHOLDER (integration branch only): replaced by the real kernels before merging to main. */
final class CudaReductions {
    private final CudaContext ctx;

    CudaReductions(CudaContext ctx) {
        this.ctx = ctx;
    }

    FloatArray reduceSum(FloatArray x, IntArray lengths) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaReductions.reduceSum");
    }

    FloatArray backpropReduceSum(FloatArray dY, IntArray lengths) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaReductions.backpropReduceSum");
    }

    FloatArray reduceMean(FloatArray x, IntArray lengths) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaReductions.reduceMean");
    }

    FloatArray backpropReduceMean(FloatArray dY, IntArray lengths) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaReductions.backpropReduceMean");
    }

    MaxResult reduceMax(FloatArray x, IntArray lengths) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaReductions.reduceMax");
    }

    FloatArray backpropReduceMax(FloatArray dY, IntArray which, IntArray lengths) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaReductions.backpropReduceMax");
    }
}
