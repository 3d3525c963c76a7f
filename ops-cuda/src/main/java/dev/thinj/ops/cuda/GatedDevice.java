package dev.thinj.ops.cuda;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.cuda.device.Device;
import dev.thinj.ops.cuda.device.KernelArgs;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The device as {@link CudaOps} and its batch staging see it: every call passes a gate that
 * {@link #shut(Runnable)} shuts. Without it a batch producer thread could, while the backend closes,
 * record an event on the compute stream or enqueue a copy after the stream was destroyed, which is
 * undefined behaviour on a GPU (the emulated device would not notice).
 *
 * <p>Each call holds the read side of a lock for its duration; {@code shut} marks the gate closing,
 * so that no call starts from then on (each is refused with {@link ArrayStateException}), waits on
 * the write side for the calls already inside to finish, and then runs the teardown, whose own calls
 * pass. Calls never wait at the gate: a producer refused mid-batch fails that batch, which the
 * consumer sees as the pass's error. The cost per call is an uncontended read-lock acquisition.
 */
final class GatedDevice implements Device {
    private final Device inner;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closing;

    GatedDevice(Device inner) {
        this.inner = inner;
    }

    /** @return the device behind the gate */
    Device inner() {
        return inner;
    }

    private void enter(String call) {
        // Inside a session (see run) or the teardown, calls pass; otherwise none starts once closing.
        if (closing && !lock.isWriteLockedByCurrentThread() && lock.getReadHoldCount() == 0) {
            throw refused(call);
        }
        if (!lock.readLock().tryLock()) {
            throw refused(call);  // the closing thread holds the write side
        }
        if (closing && !lock.isWriteLockedByCurrentThread() && lock.getReadHoldCount() == 1) {
            // Closing began between the check and the lock: this call must not start.
            lock.readLock().unlock();
            throw refused(call);
        }
    }

    /**
     * Runs several calls as one: the gate cannot shut between them, and {@link #shut} waits for all of
     * them (a batch staging's release, say, which must not stop half way).
     *
     * @param what named if refused
     * @param body the calls
     * @throws ArrayStateException if the gate is closing, before {@code body} starts
     */
    void run(String what, Runnable body) {
        enter(what);
        try {
            body.run();
        } finally {
            exit();
        }
    }

    private void exit() {
        lock.readLock().unlock();
    }

    private static ArrayStateException refused(String call) {
        return new ArrayStateException("the CUDA backend was closed: " + call + " refused (its streams and memory "
                + "are being released)");
    }

    /**
     * Shuts the gate: refuses new calls, waits for those in progress, then runs {@code teardown}, whose
     * calls through this device still pass.
     */
    void shut(Runnable teardown) {
        closing = true;
        lock.writeLock().lock();
        try {
            teardown.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public int computeCapability() {
        return inner.computeCapability();
    }

    @Override
    public int gridStrideBlocks() {
        return inner.gridStrideBlocks();
    }

    @Override
    public long malloc(long bytes) {
        enter("malloc");
        try {
            return inner.malloc(bytes);
        } finally {
            exit();
        }
    }

    @Override
    public void free(long address) {
        enter("free");
        try {
            inner.free(address);
        } finally {
            exit();
        }
    }

    @Override
    public long[] memoryInfo() {
        enter("memoryInfo");
        try {
            return inner.memoryInfo();
        } finally {
            exit();
        }
    }

    @Override
    public long mallocPinned(long bytes) {
        enter("mallocPinned");
        try {
            return inner.mallocPinned(bytes);
        } finally {
            exit();
        }
    }

    @Override
    public void freePinned(long address) {
        enter("freePinned");
        try {
            inner.freePinned(address);
        } finally {
            exit();
        }
    }

    @Override
    public void writePinned(long pinned, float[] src, int offset, int count) {
        enter("writePinned");
        try {
            inner.writePinned(pinned, src, offset, count);
        } finally {
            exit();
        }
    }

    @Override
    public void writePinned(long pinned, int[] src, int offset, int count) {
        enter("writePinned");
        try {
            inner.writePinned(pinned, src, offset, count);
        } finally {
            exit();
        }
    }

    @Override
    public long createStream() {
        enter("createStream");
        try {
            return inner.createStream();
        } finally {
            exit();
        }
    }

    @Override
    public void destroyStream(long stream) {
        enter("destroyStream");
        try {
            inner.destroyStream(stream);
        } finally {
            exit();
        }
    }

    @Override
    public long createEvent() {
        enter("createEvent");
        try {
            return inner.createEvent();
        } finally {
            exit();
        }
    }

    @Override
    public void destroyEvent(long event) {
        enter("destroyEvent");
        try {
            inner.destroyEvent(event);
        } finally {
            exit();
        }
    }

    @Override
    public void recordEvent(long event, long stream) {
        enter("recordEvent");
        try {
            inner.recordEvent(event, stream);
        } finally {
            exit();
        }
    }

    @Override
    public void streamWaitEvent(long stream, long event) {
        enter("streamWaitEvent");
        try {
            inner.streamWaitEvent(stream, event);
        } finally {
            exit();
        }
    }

    @Override
    public boolean eventDone(long event) {
        enter("eventDone");
        try {
            return inner.eventDone(event);
        } finally {
            exit();
        }
    }

    @Override
    public void synchronizeEvent(long event) {
        enter("synchronizeEvent");
        try {
            inner.synchronizeEvent(event);
        } finally {
            exit();
        }
    }

    @Override
    public void synchronizeStream(long stream) {
        enter("synchronizeStream");
        try {
            inner.synchronizeStream(stream);
        } finally {
            exit();
        }
    }

    @Override
    public void upload(long dst, float[] src, int offset, int count, long stream) {
        enter("upload");
        try {
            inner.upload(dst, src, offset, count, stream);
        } finally {
            exit();
        }
    }

    @Override
    public void upload(long dst, int[] src, int offset, int count, long stream) {
        enter("upload");
        try {
            inner.upload(dst, src, offset, count, stream);
        } finally {
            exit();
        }
    }

    @Override
    public void download(float[] dst, int offset, long src, int count, long stream) {
        enter("download");
        try {
            inner.download(dst, offset, src, count, stream);
        } finally {
            exit();
        }
    }

    @Override
    public void download(int[] dst, int offset, long src, int count, long stream) {
        enter("download");
        try {
            inner.download(dst, offset, src, count, stream);
        } finally {
            exit();
        }
    }

    @Override
    public void copy(long dst, long src, long bytes, long stream) {
        enter("copy");
        try {
            inner.copy(dst, src, bytes, stream);
        } finally {
            exit();
        }
    }

    @Override
    public void copyFromPinned(long dst, long pinnedSrc, long bytes, long stream) {
        enter("copyFromPinned");
        try {
            inner.copyFromPinned(dst, pinnedSrc, bytes, stream);
        } finally {
            exit();
        }
    }

    @Override
    public void memset(long dst, int value, long bytes, long stream) {
        enter("memset");
        try {
            inner.memset(dst, value, bytes, stream);
        } finally {
            exit();
        }
    }

    @Override
    public Kernel kernel(String name) {
        enter("kernel");
        try {
            return inner.kernel(name);
        } finally {
            exit();
        }
    }

    @Override
    public void launch(Kernel kernel, int gridX, int blockX, KernelArgs args, long stream) {
        enter("launch");
        try {
            inner.launch(kernel, gridX, blockX, args, stream);
        } finally {
            exit();
        }
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b,
            int ldb, float beta, long c, int ldc, long stream) {
        enter("sgemm");
        try {
            inner.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, stream);
        } finally {
            exit();
        }
    }

    @Override
    public void setTf32(boolean enabled) {
        enter("setTf32");
        try {
            inner.setTf32(enabled);
        } finally {
            exit();
        }
    }

    @Override
    public boolean tf32() {
        return inner.tf32();
    }

    /** Closes the device behind the gate; {@link CudaOps} calls it from its teardown. */
    @Override
    public void close() {
        enter("close");
        try {
            inner.close();
        } finally {
            exit();
        }
    }

    @Override
    public String toString() {
        return "GatedDevice[" + inner + "]";
    }
}
