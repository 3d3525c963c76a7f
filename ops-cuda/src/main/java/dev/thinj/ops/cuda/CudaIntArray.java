package dev.thinj.ops.cuda;

import dev.thinj.ops.IntArray;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.cuda.device.DeviceBuffer;

/**
 * An int32 array in device memory: labels, row indices, sequence lengths, argmax results.
 *
 * <p>Int arrays are small and, once made, changed only by {@code copyFromHost}; one made from host
 * values keeps them ({@link #hostValues}), so kernels that must validate indices or plan by lengths
 * (gather, sequence reductions, one-hot) do it without a device round trip. One computed on the device
 * (argmax, maxout's {@code which}) downloads its values the first time the host needs them.
 */
final class CudaIntArray extends CudaArray implements IntArray {
    private volatile int[] host;

    CudaIntArray(CudaOps ops, int[] shape, DeviceBuffer buffer, CudaArray base, int[] hostValues) {
        super(ops, shape, buffer, base);
        this.host = hostValues;
    }

    /**
     * The values on the host: the kept copy, or a download (a synchronisation) cached from then on.
     * Callers must not modify the returned array.
     */
    int[] hostValues() {
        checkLive("hostValues");
        if (owner() != this) {
            return ((CudaIntArray) owner()).hostValues();  // a view reads its base's values in the same order
        }
        int[] h = host;
        if (h == null) {
            h = new int[size()];
            cuda().context().download(h, 0, address(), size());
            host = h;
        }
        return h;
    }

    /**
     * @return the host copy when one is kept (made from host data, or downloaded once), else null;
     *     never synchronises. Callers must not modify the returned array.
     */
    int[] knownHostValues() {
        return ((CudaIntArray) owner()).host;
    }

    /** Replaces the kept host copy after {@code copyFromHost} wrote new values. */
    void setHostValues(int[] values) {
        ((CudaIntArray) owner()).host = values;
    }

    @Override
    public int[] toIntArray() {
        return hostValues().clone();
    }

    @Override
    public int get(int... index) {
        checkLive("get");
        return hostValues()[flatIndex(index)];
    }

    @Override
    public IntArray reshape(int... newShape) {
        checkLive("reshape");
        return new CudaIntArray(cuda(), Shapes.reshaped("reshape", shapeRef(), newShape), buffer(), owner(), null);
    }
}
