package dev.thinj.ops.cuda;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.NumericException;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.cuda.device.Device;
import dev.thinj.ops.cuda.device.DeviceBuffer;
import dev.thinj.ops.cuda.device.DevicePool;
import dev.thinj.ops.cuda.device.KernelArgs;

/**
 * What every kernel group of one {@link CudaOps} shares: the device, the compute stream, the memory
 * pool, array creation, argument checks, and launch shapes. Kernels are enqueued on the compute
 * stream in call order and nothing here waits for the device except {@link #download} and
 * {@link #synchronize}.
 *
 * <p><b>Launch shapes.</b> {@link #launch} runs a grid-stride loop: blocks of {@link #BLOCK} threads,
 * at most {@link Device#gridStrideBlocks()} blocks; kernels loop {@code for (i = blockIdx.x * blockDim.x + threadIdx.x;
 * i < n; i += blockDim.x * gridDim.x)}. {@link #launchRows} gives each row of a matrix one block of
 * {@link #BLOCK} threads ({@code blockIdx.x} is the row), for row reductions (softmax, layer norm).
 *
 * <p><b>Faults found on the device.</b> A kernel that finds bad data it cannot report synchronously
 * (a NaN gradient norm) writes a code into a device flag; the next {@link #synchronize} or download
 * reads the flag and throws {@link NumericException} (a {@link ShapeException} for an index out of
 * range) naming the kernel.
 */
final class CudaContext {
    /** Threads per block of every thinj kernel (the shared-memory reductions assume it). */
    static final int BLOCK = 256;

    /** Fault code written by {@code thinj_clip_gradient} when the gradient's norm is NaN. */
    static final int FAULT_CLIP_NAN = 1;

    /** Fault code written by {@code thinj_backprop_maxout} when a device-made {@code which} is out of range. */
    static final int FAULT_MAXOUT_PIECE = 2;

    private final CudaOps ops;
    private final Device device;
    private final DevicePool pool;
    private final long stream;
    private final int gridStride;
    private final DeviceBuffer faultFlag;
    private final ThreadLocal<KernelArgs> args = ThreadLocal.withInitial(KernelArgs::new);

    CudaContext(CudaOps ops, Device device, DevicePool pool) {
        this.ops = ops;
        this.device = device;
        this.pool = pool;
        this.stream = device.createStream();
        this.gridStride = Math.max(1, device.gridStrideBlocks());
        this.faultFlag = pool.allocate(4);
        device.memset(faultFlag.address(), 0, 4, stream);
    }

    /** @return the backend whose arrays these kernels take and make */
    CudaOps ops() {
        return ops;
    }

    Device device() {
        return device;
    }

    DevicePool pool() {
        return pool;
    }

    /** @return the compute stream every kernel of this backend is enqueued on */
    long stream() {
        return stream;
    }

    /** @return the device address of the fault flag ({@code int}, 0 when no fault) */
    long faultFlag() {
        return faultFlag.address();
    }

    /** @return the calling thread's argument list, emptied */
    KernelArgs args() {
        return args.get().reset();
    }

    /**
     * @param name a kernel's {@code extern "C"} name in {@code native/*.cu}
     * @return its handle
     */
    Device.Kernel kernel(String name) {
        return device.kernel(name);
    }

    // ---- launches ------------------------------------------------------------------------------

    /** Enqueues a grid-stride launch over {@code n} elements; nothing for {@code n == 0}. */
    void launch(Device.Kernel kernel, long n, KernelArgs a) {
        if (n <= 0) {
            return;
        }
        long blocks = (n + BLOCK - 1) / BLOCK;
        device.launch(kernel, (int) Math.min(blocks, gridStride), BLOCK, a, stream);
    }

    /** Enqueues one block of {@link #BLOCK} threads per row; nothing for {@code rows == 0}. */
    void launchRows(Device.Kernel kernel, int rows, KernelArgs a) {
        if (rows <= 0) {
            return;
        }
        device.launch(kernel, rows, BLOCK, a, stream);
    }

    /**
     * @param n elements to reduce
     * @return the blocks of a two-pass reduction's first pass (at least 1, at most the grid-stride cap)
     */
    int reductionBlocks(long n) {
        return (int) Math.max(1, Math.min((n + BLOCK - 1) / BLOCK, gridStride));
    }

    /** Enqueues an explicit launch shape (single-block reductions, say). */
    void launchShape(Device.Kernel kernel, int grid, int block, KernelArgs a) {
        device.launch(kernel, grid, block, a, stream);
    }

    // ---- arrays --------------------------------------------------------------------------------

    /** @return a new float array with undefined contents, tracked by the open {@link ArrayScope} */
    CudaFloatArray newFloats(String kernel, int... shape) {
        int[] s = shape.clone();
        DeviceBuffer b = pool.allocate(4L * Shapes.checkedSize(kernel, s));
        CudaFloatArray a = new CudaFloatArray(ops, s, b, null);
        pool.watch(a, b);
        return ArrayScope.track(a);
    }

    /** @return a new float array of zeros */
    CudaFloatArray zeros(String kernel, int... shape) {
        CudaFloatArray a = newFloats(kernel, shape);
        device.memset(a.address(), 0, 4L * a.size(), stream);
        return a;
    }

    /**
     * @param hostValues the values the kernel that fills it will write, when the host knows them (kept
     *     for index checks), else null
     * @return a new int array with undefined contents
     */
    CudaIntArray newInts(String kernel, int[] hostValues, int... shape) {
        int[] s = shape.clone();
        DeviceBuffer b = pool.allocate(4L * Shapes.checkedSize(kernel, s));
        CudaIntArray a = new CudaIntArray(ops, s, b, null, hostValues);
        pool.watch(a, b);
        return ArrayScope.track(a);
    }

    /** @return a new float array holding {@code size(shape)} values of {@code data} from {@code offset} */
    CudaFloatArray upload(String kernel, float[] data, int offset, int[] shape) {
        CudaFloatArray a = newFloats(kernel, shape);
        device.upload(a.address(), data, offset, a.size(), stream);
        return a;
    }

    /** @return a new int array holding the values (kept on the host too, copied from {@code data}) */
    CudaIntArray upload(String kernel, int[] data, int offset, int[] shape) {
        int size = Shapes.checkedSize(kernel, shape);
        int[] host = java.util.Arrays.copyOfRange(data, offset, offset + size);
        CudaIntArray a = newInts(kernel, host, shape);
        device.upload(a.address(), host, 0, size, stream);
        return a;
    }

    // ---- argument access -------------------------------------------------------------------------

    /** Checks a float argument belongs to this backend and is open; returns its device address. */
    long f(String kernel, String name, FloatArray a) {
        Check.usable(ops, kernel, name, a);
        return ((CudaFloatArray) a).address();
    }

    /** Checks an int argument belongs to this backend and is open; returns the array. */
    CudaIntArray i(String kernel, String name, IntArray a) {
        Check.usable(ops, kernel, name, a);
        return (CudaIntArray) a;
    }

    // ---- host side -----------------------------------------------------------------------------

    void download(float[] dst, int offset, long src, int count) {
        device.download(dst, offset, src, count, stream);
        checkFaults();
    }

    void download(int[] dst, int offset, long src, int count) {
        device.download(dst, offset, src, count, stream);
        checkFaults();
    }

    /** Waits for the compute stream and reports any fault a kernel flagged. */
    void synchronize() {
        device.synchronizeStream(stream);
        checkFaults();
    }

    private void checkFaults() {
        int[] code = new int[1];
        device.download(code, 0, faultFlag.address(), 1, stream);
        if (code[0] != 0) {
            device.memset(faultFlag.address(), 0, 4, stream);
            throw switch (code[0]) {
                case CudaReductions.FAULT_REDUCE_MAX_ROW -> new ShapeException("backpropReduceMax: which has a row "
                        + "outside its sequence (found on the device, reported at the next synchronisation; that "
                        + "gradient is incomplete)");
                case FAULT_CLIP_NAN -> new NumericException("clipGradient: the gradient's L2 norm is NaN; a NaN or "
                        + "infinite value reached the optimizer (reported at the next synchronisation)");
                case FAULT_MAXOUT_PIECE -> new ShapeException("backpropMaxout: which has a piece index outside "
                        + "[0, pieces) (found on the device, reported at the next synchronisation; that gradient is "
                        + "incomplete)");
                default -> new NumericException("a CUDA kernel reported fault code " + code[0]);
            };
        }
    }

    /** Frees the stream; the pool (and the fault flag with it) is closed by {@link CudaOps}. */
    void close() {
        device.synchronizeStream(stream);
        device.destroyStream(stream);
    }
}
