package dev.thinj.ops.cpu;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;

/**
 * A float array of the CPU backend: a heap {@code float[]} holding exactly {@link #size()} elements
 * row-major from index 0, so kernels loop over it directly (which the JIT vectorises) and BLAS gets
 * it without offsets. A reshape view shares the base's {@code float[]}.
 */
final class CpuFloatArray implements FloatArray {
    private final CpuOps ops;
    private final int[] shape;
    private final int size;
    private final CpuFloatArray base;
    private float[] data;

    CpuFloatArray(CpuOps ops, float[] data, int[] shape) {
        this(ops, data, shape, null);
    }

    private CpuFloatArray(CpuOps ops, float[] data, int[] shape, CpuFloatArray base) {
        this.ops = ops;
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.data = data;
        this.base = base;
    }

    /** The backing storage; callers have checked {@link #isClosed()} through {@code Check.usable}. */
    float[] data() {
        return data;
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public int rank() {
        return shape.length;
    }

    @Override
    public int dim(int axis) {
        int a = axis < 0 ? shape.length + axis : axis;
        if (a < 0 || a >= shape.length) {
            throw new ShapeException("dim: axis " + axis + " out of range for shape " + Shapes.format(shape));
        }
        return shape[a];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isClosed() {
        return data == null || (base != null && base.isClosed());
    }

    @Override
    public void close() {
        // Heap memory: dropping the reference is the release; a view never frees its base.
        data = null;
    }

    @Override
    public float[] toFloatArray() {
        return live("toFloatArray").clone();
    }

    @Override
    public float get(int... index) {
        return live("get")[CpuIntArray.flatIndex(shape, index)];
    }

    @Override
    public FloatArray reshape(int... newShape) {
        float[] d = live("reshape");
        return new CpuFloatArray(ops, d, Shapes.reshaped("reshape", shape, newShape), base != null ? base : this);
    }

    private float[] live(String method) {
        if (isClosed()) {
            throw new ArrayStateException(method + ": array of shape " + Shapes.format(shape) + " was used after close()");
        }
        return data;
    }

    @Override
    public String toString() {
        return "CpuFloatArray" + Shapes.format(shape) + (isClosed() ? " (closed)" : "");
    }
}
