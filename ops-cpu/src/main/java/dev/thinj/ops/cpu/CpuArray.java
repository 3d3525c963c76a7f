package dev.thinj.ops.cpu;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.Shapes;

/**
 * What the CPU backend's float and int arrays share: owner, shape, and the closed state, which a
 * reshape view takes from its base. The storage itself (a heap array of exactly {@link #size()}
 * elements from index 0) is the subclass's.
 */
abstract class CpuArray implements NdArray {
    private final CpuOps ops;
    private final int[] shape;
    private final int size;
    private final CpuArray base;
    private volatile boolean closed;

    CpuArray(CpuOps ops, int[] shape, CpuArray base) {
        this.ops = ops;
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.base = base;
    }

    /** @return the array whose storage this one shares: itself, or a view's base */
    final CpuArray owner() {
        return base != null ? base : this;
    }

    final int[] shapeRef() {
        return shape;
    }

    @Override
    public final Ops ops() {
        return ops;
    }

    @Override
    public final int[] shape() {
        return shape.clone();
    }

    @Override
    public final int rank() {
        return shape.length;
    }

    @Override
    public final int dim(int axis) {
        return Shapes.dim(shape, axis);
    }

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final boolean isClosed() {
        return closed || (base != null && base.isClosed());
    }

    @Override
    public final void close() {
        // Once only: the storage may go back to the backend's pool, which must not get it twice.
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        release(base == null);
    }

    /**
     * Drops the storage reference.
     *
     * @param owner whether this array owns its storage (a view never frees its base's)
     */
    abstract void release(boolean owner);

    /** Throws if this array (or its base) was closed. */
    final void checkLive(String method) {
        if (isClosed()) {
            throw new ArrayStateException(method + ": array of shape " + Shapes.format(shape) + " was used after close()");
        }
    }

    /** Row-major offset of a full index, bounds-checked per dimension. */
    final int flatIndex(int[] index) {
        return Shapes.flatIndex(shape, index);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + Shapes.format(shape) + (isClosed() ? " (closed)" : "");
    }
}
