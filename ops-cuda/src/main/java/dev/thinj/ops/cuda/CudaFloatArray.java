package dev.thinj.ops.cuda;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.cuda.device.DeviceBuffer;

/** A float32 array in device memory. Reading it on the host waits for the compute stream. */
final class CudaFloatArray extends CudaArray implements FloatArray {
    CudaFloatArray(CudaOps ops, int[] shape, DeviceBuffer buffer, CudaArray base) {
        super(ops, shape, buffer, base);
    }

    @Override
    public float[] toFloatArray() {
        checkLive("toFloatArray");
        float[] out = new float[size()];
        cuda().context().download(out, 0, address(), size());
        return out;
    }

    @Override
    public float get(int... index) {
        checkLive("get");
        int flat = flatIndex(index);
        float[] one = new float[1];
        cuda().context().download(one, 0, address() + 4L * flat, 1);
        return one[0];
    }

    @Override
    public FloatArray reshape(int... newShape) {
        checkLive("reshape");
        return new CudaFloatArray(cuda(), Shapes.reshaped("reshape", shapeRef(), newShape), buffer(), owner());
    }
}
