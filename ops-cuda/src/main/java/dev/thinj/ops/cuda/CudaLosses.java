package dev.thinj.ops.cuda;

import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import java.util.List;

/** PLACEHOLDER (integration branch only): replaced by the real kernels before merging to main. */
final class CudaLosses {
    private final CudaContext ctx;

    CudaLosses(CudaContext ctx) {
        this.ctx = ctx;
    }

    FloatArray oneHot(IntArray labels, int nClasses, float labelSmoothing) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaLosses.oneHot");
    }

    FloatArray scaledDifference(FloatArray guesses, FloatArray truths, FloatArray mask, float scale) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaLosses.scaledDifference");
    }

    boolean allInRange(FloatArray x, float low, float high) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaLosses.allInRange");
    }

    CosineDistanceResult cosineDistance(FloatArray guesses, FloatArray truths, boolean ignoreZeros, float scale) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaLosses.cosineDistance");
    }
}
