package dev.thinj.ops.cuda.device;

/**
 * The narrow waist between the CUDA backend's kernels and a GPU: memory, copies, streams, events,
 * kernel launches and GEMM, addressed by plain {@code long} handles. {@link CudaRuntimeDevice} is the
 * real one (Bytedeco's CUDA 13 runtime, driver, cuBLAS and NVRTC); the tests also run the whole
 * backend on an emulated device that executes the same {@code native/*.cu} sources on the host, so the
 * Java side and the kernel sources are checked even where no GPU is present.
 *
 * <p>Everything that takes a {@code stream} is ordered on that stream and may return before the work
 * is done, except where a method says it waits. Device memory is raw: {@link #malloc} and
 * {@link #free} are slow on a real GPU and are called only by {@link DevicePool}, which caches blocks.
 * Implementations are thread-safe.
 */
public interface Device extends AutoCloseable {
    /** @return a one-line description: device name, compute capability, memory, driver and library versions */
    String describe();

    /** @return the compute capability as {@code major * 10 + minor} (90 for an H100) */
    int computeCapability();

    /**
     * @return how many blocks a grid-stride launch uses at most: enough to fill the device (a few per
     *     multiprocessor); the emulated device answers a handful so tests exercise the loop
     */
    int gridStrideBlocks();

    /**
     * Allocates device memory.
     *
     * @param bytes at least 1
     * @return the device address
     * @throws DeviceOutOfMemoryException if the device has no room; the message names the request and
     *     the free memory
     */
    long malloc(long bytes);

    /** @param address a {@link #malloc} address; freed when the work already enqueued has finished */
    void free(long address);

    /** @return {@code {free, total}} device memory in bytes */
    long[] memoryInfo();

    /**
     * Allocates page-locked host memory, which the copy engine reads asynchronously.
     *
     * @param bytes at least 1
     * @return the host address
     */
    long mallocPinned(long bytes);

    /** @param address a {@link #mallocPinned} address, no longer read by any pending copy */
    void freePinned(long address);

    /**
     * Writes host values into pinned memory (a plain memory copy; no stream involved).
     *
     * @param pinned destination, a {@link #mallocPinned} address plus an offset
     * @param src values
     * @param offset first value
     * @param count number of values
     */
    void writePinned(long pinned, float[] src, int offset, int count);

    /** Int variant of {@link #writePinned(long, float[], int, int)}. */
    void writePinned(long pinned, int[] src, int offset, int count);

    /** @return a new stream that does not synchronise with the legacy default stream */
    long createStream();

    /** @param stream a {@link #createStream} handle, after its work has finished */
    void destroyStream(long stream);

    /** @return a new event (timing disabled: only for ordering) */
    long createEvent();

    /** @param event a {@link #createEvent} handle */
    void destroyEvent(long event);

    /** Records {@code event} at the current end of {@code stream}. */
    void recordEvent(long event, long stream);

    /** Makes later work on {@code stream} wait until {@code event} has fired (no host wait). */
    void streamWaitEvent(long stream, long event);

    /** @return whether every piece of work before the event's last record has finished (never blocks) */
    boolean eventDone(long event);

    /** Blocks the calling thread until {@code event} has fired. */
    void synchronizeEvent(long event);

    /**
     * Blocks the calling thread until every piece of work on {@code stream} has finished, and reports
     * an asynchronous fault (a kernel's illegal address, say) as a {@link CudaException}.
     */
    void synchronizeStream(long stream);

    /**
     * Copies host values to device memory. On return {@code src} may be modified again: the values
     * have been copied out of it (into a staging buffer or to the device).
     *
     * @param dst device address
     * @param src values
     * @param offset first value
     * @param count number of values
     * @param stream ordering
     */
    void upload(long dst, float[] src, int offset, int count, long stream);

    /** Int variant of {@link #upload(long, float[], int, int, long)}. */
    void upload(long dst, int[] src, int offset, int count, long stream);

    /**
     * Copies device memory to the host, waiting for {@code stream} first (a synchronisation).
     *
     * @param dst host values
     * @param offset first value written
     * @param src device address
     * @param count number of values
     * @param stream the stream whose work must finish before the copy
     */
    void download(float[] dst, int offset, long src, int count, long stream);

    /** Int variant of {@link #download(float[], int, long, int, long)}. */
    void download(int[] dst, int offset, long src, int count, long stream);

    /** Asynchronous device-to-device copy of {@code bytes} bytes on {@code stream}. */
    void copy(long dst, long src, long bytes, long stream);

    /** Asynchronous copy from pinned host memory to the device on {@code stream}. */
    void copyFromPinned(long dst, long pinnedSrc, long bytes, long stream);

    /** Sets {@code bytes} bytes at {@code dst} to {@code value & 0xff}, on {@code stream}. */
    void memset(long dst, int value, long bytes, long stream);

    /**
     * Looks a kernel up by its {@code extern "C"} name in the compiled {@code native/*.cu} sources.
     *
     * @param name such as {@code "thinj_relu"}
     * @return the handle for {@link #launch}
     * @throws CudaException if no source defines it
     */
    Kernel kernel(String name);

    /**
     * Enqueues a one-dimensional launch.
     *
     * @param kernel from {@link #kernel}
     * @param gridX blocks, at least 1
     * @param blockX threads per block, 1 to 1024
     * @param args the arguments, in the kernel's parameter order
     * @param stream ordering
     * @throws CudaException naming the kernel if the launch is refused
     */
    void launch(Kernel kernel, int gridX, int blockX, KernelArgs args, long stream);

    /**
     * Column-major single-precision GEMM with cuBLAS's exact semantics:
     * {@code C = alpha * op(A) * op(B) + beta * C} where {@code op(A)} is {@code m x k},
     * {@code op(B)} is {@code k x n} and {@code C} is {@code m x n}, all column-major with the given
     * leading dimensions.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b, int ldb,
            float beta, long c, int ldc, long stream);

    /**
     * Lets GEMM use TF32 tensor cores (about 10 mantissa bits in the products, float32 accumulation):
     * faster on Ampere and later, off by default.
     *
     * @param enabled whether TF32 is allowed
     */
    void setTf32(boolean enabled);

    /** @return whether TF32 is allowed */
    boolean tf32();

    /** Releases the device's handles (modules, cuBLAS). Memory is freed by its owners first. */
    @Override
    void close();

    /** A compiled kernel; opaque outside the device that made it. */
    interface Kernel {
        /** @return the kernel's {@code extern "C"} name */
        String name();
    }
}
