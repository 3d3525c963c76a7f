package dev.thinj.ops.cuda;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.cuda.device.DeviceBuffer;

/**
 * What the CUDA backend's float and int arrays share: owner, shape, and a device block of at least
 * {@link #size()} 4-byte elements, row-major from the block's start. A reshape view shares its base's
 * block; the block goes back to the pool on {@link #close()}, when the base is collected, or when the
 * backend closes.
 */
abstract class CudaArray implements NdArray {
    private final CudaOps ops;
    private final int[] shape;
    private final int size;
    private final DeviceBuffer buffer;
    private final CudaArray base;
    private boolean closed;

    CudaArray(CudaOps ops, int[] shape, DeviceBuffer buffer, CudaArray base) {
        this.ops = ops;
        this.shape = shape;
        this.size = Shapes.size(shape);
        this.buffer = buffer;
        this.base = base;
    }

    /** @return the device address of element 0 (check {@link #isClosed()} first) */
    final long address() {
        return buffer.address();
    }

    final DeviceBuffer buffer() {
        return buffer;
    }

    /** @return the array that owns the block: itself, or a view's base */
    final CudaArray owner() {
        return base != null ? base : this;
    }

    final int[] shapeRef() {
        return shape;
    }

    final CudaOps cuda() {
        return ops;
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
        return closed || buffer.isReleased() || (base != null && base.isClosed());
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (base == null) {
            // Stream order makes the block safe to lend to work enqueued after this point.
            buffer.release();
        }
    }

    /** Throws if this array (or its base) was closed. */
    final void checkLive(String method) {
        if (isClosed()) {
            throw new ArrayStateException(method + ": array of shape " + Shapes.format(shape) + " was used after close()"
                    + (ops.isClosed() ? " (its CUDA backend was closed)" : ""));
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
