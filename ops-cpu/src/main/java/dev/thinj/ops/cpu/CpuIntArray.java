package dev.thinj.ops.cpu;

import dev.thinj.ops.IntArray;
import dev.thinj.ops.Shapes;

/** An int array of the CPU backend: a heap {@code int[]} of exactly {@link #size()} elements. */
final class CpuIntArray extends CpuArray implements IntArray {
    private int[] data;

    CpuIntArray(CpuOps ops, int[] data, int[] shape) {
        this(ops, data, shape, null);
    }

    private CpuIntArray(CpuOps ops, int[] data, int[] shape, CpuArray base) {
        super(ops, shape, base);
        this.data = data;
    }

    int[] data() {
        return data;
    }

    @Override
    void release(boolean owner) {
        data = null;
    }

    @Override
    public int[] toIntArray() {
        checkLive("toIntArray");
        return data.clone();
    }

    @Override
    public int get(int... index) {
        checkLive("get");
        return data[flatIndex(index)];
    }

    @Override
    public IntArray reshape(int... newShape) {
        checkLive("reshape");
        return new CpuIntArray((CpuOps) ops(), data, Shapes.reshaped("reshape", shapeRef(), newShape), owner());
    }
}
