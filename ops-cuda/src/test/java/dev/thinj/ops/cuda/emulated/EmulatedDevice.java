package dev.thinj.ops.cuda.emulated;

import dev.thinj.ops.cuda.device.CudaException;
import dev.thinj.ops.cuda.device.Device;
import dev.thinj.ops.cuda.device.DeviceOutOfMemoryException;
import dev.thinj.ops.cuda.device.KernelArgs;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link Device} that runs the real {@code native/*.cu} kernels on the host (see {@link Emulator} and
 * {@code src/test/cpp/cuda_emu.h}), so {@code CudaOps} and the kernel sources are tested where no GPU
 * is present. Everything executes synchronously on the calling thread: streams and events are mere
 * handles, every event has fired, and synchronising waits for nothing.
 *
 * <p>It is stricter than a GPU where that is cheap: copies must stay inside one allocation, a kernel's
 * pointer arguments must point into live allocations, the argument count must match the kernel's
 * parameter list, a block's threads must all reach the same barriers, and fresh memory is filled with
 * 0xFF bytes (NaN), since {@code cudaMalloc} does not zero it. Such errors are {@link CudaException}s
 * thrown by the call that caused them.
 *
 * <p>An optional capacity makes {@link #malloc} fail with {@link DeviceOutOfMemoryException} once the
 * live allocations would exceed it, for tests of the pool's out-of-memory path; {@link #memoryInfo()}
 * reports against the same capacity.
 */
public final class EmulatedDevice implements Device {
    /** The capacity of {@link #EmulatedDevice()}: room for any test, small enough to catch a runaway leak. */
    public static final long DEFAULT_CAPACITY = 8L << 30;

    /** What {@link #gridStrideBlocks()} answers: a few blocks, so kernels' grid-stride loops iterate. */
    public static final int GRID_STRIDE_BLOCKS = 4;

    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong mallocs = new AtomicLong();
    private final AtomicLong handles = new AtomicLong();
    private final Set<Long> streams = ConcurrentHashMap.newKeySet();
    private final Set<Long> events = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> launches = new ConcurrentHashMap<>();
    private final Map<String, EmulatedKernel> kernels = new ConcurrentHashMap<>();
    private volatile boolean tf32;
    private volatile boolean closed;

    /** A device with {@link #DEFAULT_CAPACITY}. */
    public EmulatedDevice() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * @param capacity bytes the live allocations may hold together
     * @throws IllegalStateException if the native emulator is not built (see {@link Emulated#unavailableReason()})
     */
    public EmulatedDevice(long capacity) {
        if (!Emulator.available()) {
            throw new IllegalStateException(Emulator.unavailableReason());
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("EmulatedDevice: capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    // ---- inspection for tests --------------------------------------------------------------------

    /** @return how many times {@code name} has been launched on this device */
    public long launchCount(String name) {
        LongAdder n = launches.get(name);
        return n == null ? 0 : n.sum();
    }

    /** @return launches per kernel name so far, sorted by name */
    public Map<String, Long> launchCounts() {
        Map<String, Long> out = new TreeMap<>();
        launches.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** @return how many {@link #malloc} calls succeeded */
    public long mallocCount() {
        return mallocs.get();
    }

    /** @return bytes held by live device allocations */
    public long usedBytes() {
        return used.get();
    }

    /** @return the names of every kernel the emulator was built with */
    public static String[] kernelNames() {
        return Emulator.kernelNames();
    }

    // ---- Device ------------------------------------------------------------------------------------

    @Override
    public String describe() {
        return "emulated CUDA device (native/*.cu on host fibers), " + (capacity >> 20) + " MiB";
    }

    @Override
    public int computeCapability() {
        return 90;
    }

    @Override
    public int gridStrideBlocks() {
        return GRID_STRIDE_BLOCKS;
    }

    @Override
    public long malloc(long bytes) {
        checkOpen("cudaMalloc");
        if (bytes < 1) {
            throw new CudaException("cudaMalloc (emulated): invalid size " + bytes + " bytes");
        }
        long now;
        do {
            now = used.get();
            if (now + bytes > capacity) {
                throw new DeviceOutOfMemoryException("cudaMalloc (emulated): out of memory: requested " + bytes
                        + " bytes, free " + (capacity - now) + " of " + capacity + " bytes");
            }
        } while (!used.compareAndSet(now, now + bytes));
        long address = Emulator.malloc(bytes);
        if (address == 0) {
            used.addAndGet(-bytes);
            throw new DeviceOutOfMemoryException("cudaMalloc (emulated): the host could not allocate " + bytes
                    + " bytes");
        }
        mallocs.incrementAndGet();
        return address;
    }

    @Override
    public void free(long address) {
        long bytes = Emulator.free(address);
        if (bytes < 0) {
            throw new CudaException("cudaFree (emulated): 0x" + Long.toHexString(address)
                    + " is not a live device allocation (freed twice?)");
        }
        used.addAndGet(-bytes);
    }

    @Override
    public long[] memoryInfo() {
        long u = used.get();
        return new long[] {capacity - u, capacity};
    }

    @Override
    public long mallocPinned(long bytes) {
        checkOpen("cudaMallocHost");
        if (bytes < 1) {
            throw new CudaException("cudaMallocHost (emulated): invalid size " + bytes + " bytes");
        }
        long address = Emulator.mallocPinned(bytes);
        if (address == 0) {
            throw new CudaException("cudaMallocHost (emulated): the host could not allocate " + bytes + " bytes");
        }
        return address;
    }

    @Override
    public void freePinned(long address) {
        if (Emulator.freePinned(address) < 0) {
            throw new CudaException("cudaFreeHost (emulated): 0x" + Long.toHexString(address)
                    + " is not a live pinned allocation (freed twice?)");
        }
    }

    @Override
    public void writePinned(long pinned, float[] src, int offset, int count) {
        checkRegion("writePinned", src.length, offset, count);
        Emulator.uploadFloats(pinned, src, offset, count, true);
    }

    @Override
    public void writePinned(long pinned, int[] src, int offset, int count) {
        checkRegion("writePinned", src.length, offset, count);
        Emulator.uploadInts(pinned, src, offset, count, true);
    }

    @Override
    public long createStream() {
        checkOpen("cudaStreamCreate");
        long s = handles.incrementAndGet();
        streams.add(s);
        return s;
    }

    @Override
    public void destroyStream(long stream) {
        if (!streams.remove(stream)) {
            throw new CudaException("cudaStreamDestroy (emulated): unknown stream " + stream);
        }
    }

    @Override
    public long createEvent() {
        checkOpen("cudaEventCreate");
        long e = handles.incrementAndGet();
        events.add(e);
        return e;
    }

    @Override
    public void destroyEvent(long event) {
        if (!events.remove(event)) {
            throw new CudaException("cudaEventDestroy (emulated): unknown event " + event);
        }
    }

    @Override
    public void recordEvent(long event, long stream) {
        checkEvent("cudaEventRecord", event);
        checkStream("cudaEventRecord", stream);
    }

    @Override
    public void streamWaitEvent(long stream, long event) {
        checkEvent("cudaStreamWaitEvent", event);
        checkStream("cudaStreamWaitEvent", stream);
    }

    @Override
    public boolean eventDone(long event) {
        checkEvent("cudaEventQuery", event);
        return true;
    }

    @Override
    public void synchronizeEvent(long event) {
        checkEvent("cudaEventSynchronize", event);
    }

    @Override
    public void synchronizeStream(long stream) {
        checkStream("cudaStreamSynchronize", stream);
    }

    @Override
    public void upload(long dst, float[] src, int offset, int count, long stream) {
        checkStream("upload", stream);
        checkRegion("upload", src.length, offset, count);
        Emulator.uploadFloats(dst, src, offset, count, false);
    }

    @Override
    public void upload(long dst, int[] src, int offset, int count, long stream) {
        checkStream("upload", stream);
        checkRegion("upload", src.length, offset, count);
        Emulator.uploadInts(dst, src, offset, count, false);
    }

    @Override
    public void download(float[] dst, int offset, long src, int count, long stream) {
        checkStream("download", stream);
        checkRegion("download", dst.length, offset, count);
        Emulator.downloadFloats(dst, offset, src, count);
    }

    @Override
    public void download(int[] dst, int offset, long src, int count, long stream) {
        checkStream("download", stream);
        checkRegion("download", dst.length, offset, count);
        Emulator.downloadInts(dst, offset, src, count);
    }

    @Override
    public void copy(long dst, long src, long bytes, long stream) {
        checkStream("cudaMemcpyAsync", stream);
        Emulator.copy(dst, src, bytes, false);
    }

    @Override
    public void copyFromPinned(long dst, long pinnedSrc, long bytes, long stream) {
        checkStream("cudaMemcpyAsync", stream);
        Emulator.copy(dst, pinnedSrc, bytes, true);
    }

    @Override
    public void memset(long dst, int value, long bytes, long stream) {
        checkStream("cudaMemsetAsync", stream);
        Emulator.memset(dst, value, bytes);
    }

    @Override
    public Kernel kernel(String name) {
        checkOpen("cuModuleGetFunction");
        return kernels.computeIfAbsent(name, n -> {
            int index = Emulator.kernelIndex(n);
            if (index < 0) {
                throw new CudaException("kernel " + n + " (emulated): no native/*.cu source defines it "
                        + "(CUDA_ERROR_NOT_FOUND)");
            }
            return new EmulatedKernel(n, index, this);
        });
    }

    @Override
    public void launch(Kernel kernel, int gridX, int blockX, KernelArgs args, long stream) {
        checkOpen("cuLaunchKernel");
        if (!(kernel instanceof EmulatedKernel k) || k.device != this) {
            throw new CudaException("cuLaunchKernel (emulated): " + kernel + " was not looked up on this device");
        }
        checkStream(k.name, stream);
        Emulator.launch(k.index, gridX, blockX, args.slots(), args.count());
        launches.computeIfAbsent(k.name, n -> new LongAdder()).increment();
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b,
            int ldb, float beta, long c, int ldc, long stream) {
        checkOpen("cublasSgemm");
        checkStream("cublasSgemm", stream);
        Emulator.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public void setTf32(boolean enabled) {
        tf32 = enabled;  // remembered only: the emulated GEMM is always full float32
    }

    @Override
    public boolean tf32() {
        return tf32;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return describe();
    }

    private void checkOpen(String call) {
        if (closed) {
            throw new CudaException(call + " (emulated): the device was closed");
        }
    }

    private void checkStream(String call, long stream) {
        if (stream != 0 && !streams.contains(stream)) {
            throw new CudaException(call + " (emulated): unknown or destroyed stream " + stream);
        }
    }

    private void checkEvent(String call, long event) {
        if (!events.contains(event)) {
            throw new CudaException(call + " (emulated): unknown or destroyed event " + event);
        }
    }

    private static void checkRegion(String call, int length, int offset, int count) {
        if (offset < 0 || count < 0 || offset > length - count) {
            throw new IndexOutOfBoundsException(call + " (emulated): " + count + " values from offset " + offset
                    + " of a host array of " + length);
        }
    }

    /** A kernel handle of one emulated device. */
    private static final class EmulatedKernel implements Kernel {
        private final String name;
        private final int index;
        private final EmulatedDevice device;

        EmulatedKernel(String name, int index, EmulatedDevice device) {
            this.name = name;
            this.index = index;
            this.device = device;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return "kernel " + name + " (emulated, " + Emulator.kernelSource(index) + ")";
        }
    }
}
