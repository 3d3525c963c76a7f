package dev.thinj.ops.cuda.device;

import static dev.thinj.ops.cuda.device.CudaErrors.checkAsync;
import static dev.thinj.ops.cuda.device.CudaErrors.checkDriver;
import static dev.thinj.ops.cuda.device.CudaErrors.checkRuntime;
import static dev.thinj.ops.cuda.device.CudaErrors.driverError;
import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.cuCtxSetCurrent;
import static org.bytedeco.cuda.global.cudart.cuDeviceGet;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRelease;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRetain;
import static org.bytedeco.cuda.global.cudart.cuInit;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrComputeCapabilityMajor;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrComputeCapabilityMinor;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrMultiProcessorCount;
import static org.bytedeco.cuda.global.cudart.cudaDeviceGetAttribute;
import static org.bytedeco.cuda.global.cudart.cudaDeviceSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaErrorMemoryAllocation;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;
import static org.bytedeco.cuda.global.cudart.cudaGetLastError;
import static org.bytedeco.cuda.global.cudart.cudaHostAlloc;
import static org.bytedeco.cuda.global.cudart.cudaHostAllocDefault;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemGetInfo;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToDevice;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaMemsetAsync;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * A real GPU through Bytedeco's CUDA 13 bindings: the runtime API for memory, copies, streams and
 * events, the driver API for modules and launches, cuBLAS for GEMM, and NVRTC (see
 * {@link NvrtcCompiler}) for the kernels of {@code native/*.cu}.
 *
 * <p>The work is split by job: {@link KernelModules} compiles and loads the kernels, {@link CublasGemm}
 * owns the cuBLAS handle, {@link CudaStreams} the streams and events, {@link PinnedStaging} the pinned
 * buffers that copies go through; this class opens the device, binds its context to each calling
 * thread, and does memory, copies and launches.
 *
 * <p><b>Contexts and threads.</b> The device's primary context is retained once; every thread that
 * calls in (the training thread, the batching producer, a benchmark's thread) makes it current on its
 * first call ({@code cuCtxSetCurrent}, remembered in a thread-local), because driver-API calls act on
 * the calling thread's current context. cuBLAS's handle is shared, so GEMM and TF32 changes take a
 * lock; everything else is thread-safe in CUDA itself.
 *
 * <p><b>Cost per call.</b> A launch is one JNI call ({@code cuLaunchKernel}): the parameter array it
 * reads is built once per {@link KernelArgs} (the addresses of its slots), and the stream handle is a
 * per-thread mutable wrapper, so launching allocates nothing. Uploads and downloads go through a small
 * pool of pinned staging buffers shared by all threads ({@link PinnedStaging}: at most
 * {@link PinnedStaging#DEFAULT_MAX_BUFFERS} of {@link #STAGING_BYTES}, whatever the number of threads,
 * since a batch producer thread starts for every pass): a buffer is refilled only after its previous
 * copy finished, so the host may change its {@code float[]} as soon as {@code upload} returns while
 * copies stay asynchronous.
 *
 * <p><b>TF32.</b> Off by default, as numerics should match the CPU; {@code -Dthinj.cuda.tf32=true} or
 * {@link #setTf32} turns it on ({@code CUBLAS_TF32_TENSOR_OP_MATH}).
 */
public final class CudaRuntimeDevice implements Device {
    /** System property that turns TF32 GEMM on for new devices. */
    public static final String TF32_PROPERTY = "thinj.cuda.tf32";

    /** Bytes per pinned staging buffer; larger transfers go in chunks. */
    static final int STAGING_BYTES = PinnedStaging.DEFAULT_BUFFER_BYTES;

    /** Blocks per multiprocessor for grid-stride launches (256 threads each: a quarter to half of an SM). */
    static final int BLOCKS_PER_SM = 4;

    private static final AtomicLong IDS = new AtomicLong();
    /** Which device's context this thread made current last: rebinding happens only on a change. */
    private static final ThreadLocal<long[]> BOUND = ThreadLocal.withInitial(() -> new long[] {-1});

    private final long id = IDS.incrementAndGet();
    private final int index;
    private final int cuDevice;
    private final CUctx_st primary = new CUctx_st();
    private final String name;
    private final int computeCapability;
    private final int multiprocessors;
    private final long totalMemory;
    private final String versions;
    private final KernelModules kernels;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final PinnedStaging staging = new PinnedStaging(this, STAGING_BYTES, PinnedStaging.DEFAULT_MAX_BUFFERS);
    private final CudaStreams streams;
    private final CublasGemm blas;
    private boolean closing;
    private volatile boolean closed;

    /**
     * Opens device {@code index}: initialises the driver, retains the primary context, creates the
     * cuBLAS handle. Kernels are compiled (or read from the cache) when first looked up.
     *
     * @param index the CUDA device ordinal (0 for the first GPU)
     * @throws CudaException if there is no such device or CUDA cannot start
     */
    public CudaRuntimeDevice(int index) {
        this(index, KernelSources.load(), KernelCache.fromSystem());
    }

    /**
     * @param index the CUDA device ordinal
     * @param sources the kernel sources to compile
     * @param cache where compiled modules are kept between processes
     */
    public CudaRuntimeDevice(int index, KernelSources sources, KernelCache cache) {
        this.index = index;
        checkDriver(cuInit(0), "cuInit");
        int[] count = new int[1];
        checkRuntime(cudaGetDeviceCount(count), "cudaGetDeviceCount");
        if (index < 0 || index >= count[0]) {
            throw new CudaException(count[0] == 0 ? "no CUDA device" : "CUDA device " + index + " does not exist ("
                    + count[0] + " device" + (count[0] == 1 ? "" : "s") + ")");
        }
        int[] dev = new int[1];
        checkDriver(cuDeviceGet(dev, index), "cuDeviceGet(" + index + ")");
        this.cuDevice = dev[0];
        checkDriver(cuDevicePrimaryCtxRetain(primary, cuDevice), "cuDevicePrimaryCtxRetain");
        CublasGemm gemm = null;
        try {
            bind();
            int[] v = new int[1];
            checkRuntime(cudaDeviceGetAttribute(v, cudaDevAttrComputeCapabilityMajor, index), "cudaDeviceGetAttribute");
            int major = v[0];
            checkRuntime(cudaDeviceGetAttribute(v, cudaDevAttrComputeCapabilityMinor, index), "cudaDeviceGetAttribute");
            this.computeCapability = major * 10 + v[0];
            checkRuntime(cudaDeviceGetAttribute(v, cudaDevAttrMultiProcessorCount, index), "cudaDeviceGetAttribute");
            this.multiprocessors = v[0];
            try (cudaDeviceProp prop = new cudaDeviceProp()) {
                checkRuntime(cudaGetDeviceProperties(prop, index), "cudaGetDeviceProperties");
                // char name[256]: JavaCPP may read the whole array, so cut at the C string's end.
                String raw = prop.name().getString();
                int end = raw.indexOf('\0');
                this.name = (end >= 0 ? raw.substring(0, end) : raw).strip();
                this.totalMemory = prop.totalGlobalMem();
            }
            checkRuntime(cudaDriverGetVersion(v), "cudaDriverGetVersion");
            String driver = cudaVersion(v[0]);
            checkRuntime(cudaRuntimeGetVersion(v), "cudaRuntimeGetVersion");
            String runtime = cudaVersion(v[0]);
            gemm = new CublasGemm();
            String nvrtc = NvrtcCompiler.version();
            this.versions = "driver " + driver + ", runtime " + runtime + ", cuBLAS " + gemm.version() + ", "
                    + (nvrtc != null ? nvrtc : "no NVRTC (" + NvrtcCompiler.unavailableReason() + ")");
            this.kernels = new KernelModules(sources, new NvrtcCompiler(sources, cache, computeCapability));
            this.streams = new CudaStreams(name);
            gemm.setTf32(Boolean.getBoolean(TF32_PROPERTY));
            this.blas = gemm;
        } catch (RuntimeException | Error e) {
            if (gemm != null) {
                gemm.close();
            }
            cuDevicePrimaryCtxRelease(cuDevice);
            throw e;
        }
    }

    // ---- identity ------------------------------------------------------------------------------

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%s (device %d, compute capability %d.%d, %d SMs, %.1f GiB; %s)", name, index,
                computeCapability / 10, computeCapability % 10, multiprocessors, totalMemory / (double) (1L << 30),
                versions);
    }

    @Override
    public int computeCapability() {
        return computeCapability;
    }

    @Override
    public int gridStrideBlocks() {
        return multiprocessors * BLOCKS_PER_SM;
    }

    /** @return how each source's module was obtained so far (file to NVRTC, CACHE or PTX) */
    public Map<String, NvrtcCompiler.Origin> moduleOrigins() {
        return kernels.origins();
    }

    // ---- memory --------------------------------------------------------------------------------

    @Override
    public long malloc(long bytes) {
        enter();
        Pointer p = new Pointer();
        int r = cudaMalloc(p, bytes);
        if (r == cudaErrorMemoryAllocation) {
            cudaGetLastError();  // clear it, so the next call does not report it again
            long[] info = memoryInfo();
            throw new DeviceOutOfMemoryException(String.format(Locale.ROOT,
                    "cudaMalloc: out of memory allocating %d bytes (%.1f MiB) on %s; device free %.1f MiB of %.1f MiB",
                    bytes, mib(bytes), name, mib(info[0]), mib(info[1])));
        }
        checkRuntime(r, "cudaMalloc(" + bytes + " bytes)");
        return p.address();
    }

    @Override
    public void free(long address) {
        Scratch s = enter();
        checkRuntime(cudaFree(s.a.at(address)), "cudaFree");
    }

    @Override
    public long[] memoryInfo() {
        Scratch s = enter();
        checkRuntime(cudaMemGetInfo(s.free, s.total), "cudaMemGetInfo");
        return new long[] {s.free.get(), s.total.get()};
    }

    @Override
    public long mallocPinned(long bytes) {
        enter();
        Pointer p = new Pointer();
        int r = cudaHostAlloc(p, bytes, cudaHostAllocDefault);
        if (r == cudaErrorMemoryAllocation) {
            cudaGetLastError();
            throw new DeviceOutOfMemoryException(String.format(Locale.ROOT,
                    "cudaHostAlloc: could not pin %d bytes (%.1f MiB) of host memory", bytes, mib(bytes)));
        }
        checkRuntime(r, "cudaHostAlloc(" + bytes + " bytes)");
        return p.address();
    }

    @Override
    public void freePinned(long address) {
        Scratch s = enter();
        checkRuntime(cudaFreeHost(s.a.at(address)), "cudaFreeHost");
    }

    @Override
    public void writePinned(long pinned, float[] src, int offset, int count) {
        Scratch s = enter();
        s.hostFloats.at(pinned).put(src, offset, count);
    }

    @Override
    public void writePinned(long pinned, int[] src, int offset, int count) {
        Scratch s = enter();
        s.hostInts.at(pinned).put(src, offset, count);
    }

    // ---- streams and events (CudaStreams) -----------------------------------------------------

    @Override
    public long createStream() {
        enter();
        return streams.createStream();
    }

    @Override
    public void destroyStream(long stream) {
        enter();
        streams.destroyStream(stream);
    }

    @Override
    public long createEvent() {
        enter();
        return streams.createEvent();
    }

    @Override
    public void destroyEvent(long event) {
        enter();
        streams.destroyEvent(event);
    }

    @Override
    public void recordEvent(long event, long stream) {
        enter();
        streams.recordEvent(event, stream);
    }

    @Override
    public void streamWaitEvent(long stream, long event) {
        enter();
        streams.streamWaitEvent(stream, event);
    }

    @Override
    public boolean eventDone(long event) {
        enter();
        return streams.eventDone(event);
    }

    @Override
    public void synchronizeEvent(long event) {
        enter();
        streams.synchronizeEvent(event);
    }

    @Override
    public void synchronizeStream(long stream) {
        enter();
        streams.synchronizeStream(stream);
    }

    // ---- copies --------------------------------------------------------------------------------

    @Override
    public void upload(long dst, float[] src, int offset, int count, long stream) {
        enter();
        staging.upload(dst, src, offset, count, stream);
    }

    @Override
    public void upload(long dst, int[] src, int offset, int count, long stream) {
        enter();
        staging.upload(dst, src, offset, count, stream);
    }

    @Override
    public void download(float[] dst, int offset, long src, int count, long stream) {
        Scratch s = enter();
        int chunk = STAGING_BYTES / 4;
        for (int done = 0; done < count; done += chunk) {
            int n = Math.min(chunk, count - done);
            PinnedStaging.Buffer b = staging.take();
            try {
                copyToHost(s, b.host(), src + 4L * done, 4L * n, stream);
                s.hostFloats.at(b.host()).get(dst, offset + done, n);
            } finally {
                staging.giveBack(b);  // the copy has finished: downloads wait for it
            }
        }
        if (count == 0) {
            synchronizeStream(stream);
        }
    }

    @Override
    public void download(int[] dst, int offset, long src, int count, long stream) {
        Scratch s = enter();
        int chunk = STAGING_BYTES / 4;
        for (int done = 0; done < count; done += chunk) {
            int n = Math.min(chunk, count - done);
            PinnedStaging.Buffer b = staging.take();
            try {
                copyToHost(s, b.host(), src + 4L * done, 4L * n, stream);
                s.hostInts.at(b.host()).get(dst, offset + done, n);
            } finally {
                staging.giveBack(b);
            }
        }
        if (count == 0) {
            synchronizeStream(stream);
        }
    }

    /** Copies device memory into a pinned buffer after {@code stream}'s work, and waits for it. */
    private void copyToHost(Scratch s, long pinned, long src, long bytes, long stream) {
        checkRuntime(cudaMemcpyAsync(s.a.at(pinned), s.b.at(src), bytes, cudaMemcpyDeviceToHost, s.stream.at(stream)),
                "cudaMemcpyAsync(device to host, " + bytes + " bytes)");
        checkAsync(cudaStreamSynchronize(s.stream.at(stream)), "cudaStreamSynchronize (download)", name);
    }

    @Override
    public void copy(long dst, long src, long bytes, long stream) {
        Scratch s = enter();
        checkRuntime(cudaMemcpyAsync(s.a.at(dst), s.b.at(src), bytes, cudaMemcpyDeviceToDevice, s.stream.at(stream)),
                "cudaMemcpyAsync(device to device, " + bytes + " bytes)");
    }

    @Override
    public void copyFromPinned(long dst, long pinnedSrc, long bytes, long stream) {
        Scratch s = enter();
        checkRuntime(cudaMemcpyAsync(s.a.at(dst), s.b.at(pinnedSrc), bytes, cudaMemcpyHostToDevice, s.stream.at(stream)),
                "cudaMemcpyAsync(pinned host to device, " + bytes + " bytes)");
    }

    @Override
    public void memset(long dst, int value, long bytes, long stream) {
        Scratch s = enter();
        checkRuntime(cudaMemsetAsync(s.a.at(dst), value, bytes, s.stream.at(stream)), "cudaMemsetAsync(" + bytes + " bytes)");
    }

    // ---- kernels (KernelModules) -----------------------------------------------------------------

    @Override
    public Kernel kernel(String kernelName) {
        Kernel k = kernels.loaded(kernelName);
        if (k != null) {
            return k;
        }
        enter();
        return kernels.kernel(kernelName);
    }

    @Override
    public void launch(Kernel kernel, int gridX, int blockX, KernelArgs args, long stream) {
        Scratch s = enter();
        if (!(kernel instanceof KernelModules.RuntimeKernel k)) {
            throw new IllegalArgumentException("launch: kernel " + kernel.name() + " was not made by this device");
        }
        int r = cuLaunchKernel(k.function, gridX, 1, 1, blockX, 1, 1, 0, s.stream.at(stream), s.params(args),
                (PointerPointer<?>) null);
        if (r != CUDA_SUCCESS) {
            throw new CudaException("launch of CUDA kernel " + k.name + " failed: " + driverError(r) + " (grid " + gridX
                    + " x block " + blockX + ", " + args.count() + " arguments, on " + name + ")");
        }
    }

    // ---- cuBLAS (CublasGemm) -------------------------------------------------------------------

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b,
            int ldb, float beta, long c, int ldc, long stream) {
        enter();
        blas.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, stream);
    }

    @Override
    public void setTf32(boolean enabled) {
        enter();
        blas.setTf32(enabled);
    }

    @Override
    public boolean tf32() {
        return blas.tf32();
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        RuntimeException failure = null;
        try {
            // The staging pool frees through this device's own calls, so it goes before they are refused.
            checkAsync(cudaDeviceSynchronize(), "cudaDeviceSynchronize (close)", name);
            staging.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        closed = true;
        current();
        try {
            kernels.close();
            blas.close();
        } finally {
            cuDevicePrimaryCtxRelease(cuDevice);
            BOUND.get()[0] = -1;
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "CudaRuntimeDevice[" + describe() + "]";
    }

    // ---- threads -------------------------------------------------------------------------------

    /** Makes this device's context current on the calling thread (once per thread) and returns its scratch. */
    private Scratch enter() {
        if (closed) {
            throw new IllegalStateException("CudaRuntimeDevice " + index + " (" + name + ") was closed");
        }
        return current();
    }

    /** {@link #enter()} without the closed check, for {@link #close()} itself. */
    private Scratch current() {
        long[] bound = BOUND.get();
        if (bound[0] != id) {
            bind();
        }
        return scratch.get();
    }

    private void bind() {
        checkDriver(cuCtxSetCurrent(primary), "cuCtxSetCurrent");
        checkRuntime(cudaSetDevice(index), "cudaSetDevice(" + index + ")");
        BOUND.get()[0] = id;
    }

    /**
     * One thread's reusable native wrappers (whose address is set per call, so calls allocate nothing)
     * and the parameter arrays of the {@link KernelArgs} it launched with. It holds no pinned memory or
     * CUDA handle, so a thread that ends leaves nothing behind: its scratch goes with its thread-locals.
     */
    private final class Scratch {
        final Handles.Address a = new Handles.Address();
        final Handles.Address b = new Handles.Address();
        final Handles.StreamHandle stream = new Handles.StreamHandle();
        final Handles.HostFloats hostFloats = new Handles.HostFloats();
        final Handles.HostInts hostInts = new Handles.HostInts();
        final SizeTPointer free = new SizeTPointer(1);
        final SizeTPointer total = new SizeTPointer(1);
        KernelArgs lastArgs;
        PointerPointer<?> lastParams;
        final Map<KernelArgs, ParamTable> tables = new WeakHashMap<>();

        /** @return {@code kernelParams} for {@code args}: slot addresses, built on the first launch with it */
        PointerPointer<?> params(KernelArgs args) {
            if (args == lastArgs) {
                return lastParams;
            }
            ParamTable t = tables.computeIfAbsent(args, ParamTable::new);
            lastArgs = args;
            lastParams = t.pointers;
            return lastParams;
        }
    }

    /** An array of {@link KernelArgs#MAX_ARGS} pointers, entry {@code i} to slot {@code i} of one args buffer. */
    private static final class ParamTable {
        final ByteBuffer table = ByteBuffer.allocateDirect(8 * KernelArgs.MAX_ARGS).order(ByteOrder.nativeOrder());
        final PointerPointer<?> pointers;

        ParamTable(KernelArgs args) {
            long slots = new Pointer(args.slots()).address();
            for (int i = 0; i < KernelArgs.MAX_ARGS; i++) {
                table.putLong(8 * i, slots + 8L * i);
            }
            pointers = new PointerPointer<>(new Pointer(table));
        }
    }

    private static String cudaVersion(int v) {
        return v / 1000 + "." + v % 1000 / 10;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
