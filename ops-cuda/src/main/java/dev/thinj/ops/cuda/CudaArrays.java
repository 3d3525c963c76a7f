package dev.thinj.ops.cuda;

import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import java.util.List;

/** PLACEHOLDER (integration branch only): replaced by the real kernels before merging to main. */
final class CudaArrays {
    private final CudaContext ctx;

    CudaArrays(CudaContext ctx) {
        this.ctx = ctx;
    }

    FloatArray alloc(int... shape) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.alloc");
    }

    FloatArray asArray(float[] data, int... shape) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.asArray");
    }

    FloatArray asArray(float[][] rows) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.asArray");
    }

    FloatArray asArray(float[][][] data) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.asArray");
    }

    FloatArray asArray(FloatArray other) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.asArray");
    }

    IntArray allocInts(int... shape) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.allocInts");
    }

    IntArray asInts(int[] data, int... shape) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.asInts");
    }

    IntArray asInts(int[][] rows) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.asInts");
    }

    IntArray asInts(IntArray other) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.asInts");
    }

    FloatArray copy(FloatArray x) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.copy");
    }

    void copyInto(FloatArray dst, FloatArray src) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.copyInto");
    }

    void copyFromHost(FloatArray dst, float[] src, int srcOffset) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.copyFromHost");
    }

    void copyFromHost(IntArray dst, int[] src, int srcOffset) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.copyFromHost");
    }

    void fill(FloatArray x, float value) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.fill");
    }

    FloatArray sliceRows(FloatArray x, int start, int end) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.sliceRows");
    }

    IntArray sliceRows(IntArray x, int start, int end) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.sliceRows");
    }

    FloatArray gatherRows(FloatArray x, IntArray rows) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.gatherRows");
    }

    IntArray gatherRows(IntArray x, IntArray rows) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.gatherRows");
    }

    FloatArray concatColumns(List<FloatArray> parts) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.concatColumns");
    }

    FloatArray sliceColumns(FloatArray x, int start, int end) {
        throw new UnsupportedOperationException("PLACEHOLDER CudaArrays.sliceColumns");
    }
}
