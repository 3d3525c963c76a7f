package dev.thinj.ops.cuda;

import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import dev.thinj.ops.Ops;
import dev.thinj.ops.cuda.device.CudaLibraries;
import dev.thinj.ops.cuda.device.CudaRuntimeDevice;
import dev.thinj.ops.spi.OpsProvider;

/**
 * Registers the CUDA backend under the name {@code cuda}, ranked above the CPU backend, so
 * {@code "auto"} picks it wherever a GPU is usable and falls back to {@code cpu} elsewhere.
 *
 * <p>{@link #isAvailable()} loads Bytedeco's CUDA bindings (which load {@code libcuda.so.1},
 * {@code libcudart.so.13} and {@code libcublas.so.13}) and asks for a device. Whatever that throws
 * ({@link UnsatisfiedLinkError} without a driver, {@link NoClassDefFoundError} on a second attempt,
 * a CUDA error) is caught, turned into a one-line reason, and remembered for the whole process: a
 * missing library is never looked for twice.
 *
 * <p>Settings: {@code -Dthinj.cuda.device=N} picks the GPU (default 0);
 * {@code -Dthinj.cuda.gcBytes=BYTES} sets how much fresh device memory the pool hands out between the
 * garbage collections it requests (default a quarter of the device's memory, see
 * {@link dev.thinj.ops.cuda.device.DevicePool}); {@code -Dthinj.cuda.tf32=true} allows TF32 GEMM.
 */
public final class CudaOpsProvider implements OpsProvider {
    /** Rank above the CPU backend's 10. */
    public static final int PRIORITY = 100;
    /** System property: the CUDA device ordinal. */
    public static final String DEVICE_PROPERTY = "thinj.cuda.device";
    /** System property: bytes between requested garbage collections. */
    public static final String GC_BYTES_PROPERTY = "thinj.cuda.gcBytes";

    /** The process-wide answer: null until asked, then "" (available) or the reason. */
    private static volatile String probed;

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean isGpu() {
        return true;
    }

    @Override
    public boolean isAvailable() {
        return probe().isEmpty();
    }

    @Override
    public String unavailableReason() {
        return probe();
    }

    @Override
    public Ops create() {
        CudaRuntimeDevice device = new CudaRuntimeDevice(Integer.getInteger(DEVICE_PROPERTY, 0));
        try {
            return new CudaOps(device, gcBytes(device.memoryInfo()[1]));
        } catch (RuntimeException | Error e) {
            device.close();
            throw e;
        }
    }

    /**
     * @param totalDeviceMemory the device's memory in bytes
     * @return {@code -Dthinj.cuda.gcBytes} if set and positive, else a quarter of the device memory
     */
    static long gcBytes(long totalDeviceMemory) {
        Long configured = Long.getLong(GC_BYTES_PROPERTY);
        return configured != null && configured > 0 ? configured : Math.max(1L << 20, totalDeviceMemory / 4);
    }

    private static String probe() {
        String r = probed;
        if (r == null) {
            synchronized (CudaOpsProvider.class) {
                r = probed;
                if (r == null) {
                    r = computeReason();
                    probed = r;
                }
            }
        }
        return r;
    }

    private static String computeReason() {
        try {
            // Loading the bindings links libcuda.so.1 and libcudart.so.13; cuBLAS is needed for every GEMM.
            Class.forName("org.bytedeco.cuda.global.cudart");
            Class.forName("org.bytedeco.cuda.global.cublas");
            int[] count = new int[1];
            int result = cudaGetDeviceCount(count);
            if (result != cudaSuccess) {
                return "no usable CUDA device: cudaGetDeviceCount returned " + errorName(result);
            }
            int wanted = Integer.getInteger(DEVICE_PROPERTY, 0);
            if (count[0] == 0) {
                return "no CUDA device";
            }
            if (wanted < 0 || wanted >= count[0]) {
                return "-D" + DEVICE_PROPERTY + "=" + wanted + " but there " + (count[0] == 1 ? "is 1 CUDA device"
                        : "are " + count[0] + " CUDA devices");
            }
            return "";
        } catch (Throwable t) {
            return CudaLibraries.describe(t);
        }
    }

    private static String errorName(int result) {
        try {
            return org.bytedeco.cuda.global.cudart.cudaGetErrorName(result).getString() + " ("
                    + org.bytedeco.cuda.global.cudart.cudaGetErrorString(result).getString() + ")";
        } catch (Throwable t) {
            return "error " + result;
        }
    }
}
