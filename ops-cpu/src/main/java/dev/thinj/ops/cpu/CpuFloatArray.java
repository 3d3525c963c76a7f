package dev.thinj.ops.cpu;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Shapes;

/**
 * A float array of the CPU backend: a heap {@code float[]} holding exactly {@link #size()} elements
 * row-major from index 0, so kernels loop over it directly (which the JIT vectorises) and BLAS gets
 * it without offsets. A reshape view shares the base's {@code float[]}.
 */
final class CpuFloatArray extends CpuArray implements FloatArray {
    private float[] data;

    CpuFloatArray(CpuOps ops, float[] data, int[] shape) {
        this(ops, data, shape, null);
    }

    private CpuFloatArray(CpuOps ops, float[] data, int[] shape, CpuArray base) {
        super(ops, shape, base);
        this.data = data;
    }

    /** The backing storage; callers have checked {@link #isClosed()} through {@code Check.usable}. */
    float[] data() {
        return data;
    }

    @Override
    void release(boolean owner) {
        if (owner && data != null) {
            ((CpuOps) ops()).heap().give(data);
        }
        data = null;
    }

    @Override
    public float[] toFloatArray() {
        checkLive("toFloatArray");
        return data.clone();
    }

    @Override
    public float get(int... index) {
        checkLive("get");
        return data[flatIndex(index)];
    }

    @Override
    public FloatArray reshape(int... newShape) {
        checkLive("reshape");
        return new CpuFloatArray((CpuOps) ops(), data, Shapes.reshaped("reshape", shapeRef(), newShape), owner());
    }
}
