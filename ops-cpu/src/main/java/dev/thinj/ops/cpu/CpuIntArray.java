package dev.thinj.ops.cpu;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;

/** An int array of the CPU backend: a heap {@code int[]} of exactly {@link #size()} elements. */
final class CpuIntArray implements IntArray {
    private final CpuOps ops;
    private final int[] shape;
    private final int size;
    private final CpuIntArray base;
    private int[] data;

    CpuIntArray(CpuOps ops, int[] data, int[] shape) {
        this(ops, data, shape, null);
    }

    private CpuIntArray(CpuOps ops, int[] data, int[] shape, CpuIntArray base) {
        this.ops = ops;
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.data = data;
        this.base = base;
    }

    int[] data() {
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
        data = null;
    }

    @Override
    public int[] toIntArray() {
        return live("toIntArray").clone();
    }

    @Override
    public int get(int... index) {
        return live("get")[flatIndex(shape, index)];
    }

    @Override
    public IntArray reshape(int... newShape) {
        int[] d = live("reshape");
        return new CpuIntArray(ops, d, Shapes.reshaped("reshape", shape, newShape), base != null ? base : this);
    }

    private int[] live(String method) {
        if (isClosed()) {
            throw new ArrayStateException(method + ": array of shape " + Shapes.format(shape) + " was used after close()");
        }
        return data;
    }

    /** Row-major offset of a full index, bounds-checked per dimension. */
    static int flatIndex(int[] shape, int[] index) {
        if (index.length != shape.length) {
            throw new ShapeException("get: expected " + shape.length + " indices for shape " + Shapes.format(shape)
                    + ", got " + index.length);
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new ShapeException("get: index " + index[d] + " out of range in dimension " + d + " of shape "
                        + Shapes.format(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    @Override
    public String toString() {
        return "CpuIntArray" + Shapes.format(shape) + (isClosed() ? " (closed)" : "");
    }
}
