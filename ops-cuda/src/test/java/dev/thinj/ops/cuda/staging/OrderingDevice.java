package dev.thinj.ops.cuda.staging;

import dev.thinj.ops.cuda.device.Device;
import dev.thinj.ops.cuda.device.KernelArgs;
import dev.thinj.ops.cuda.device.PinnedStaging;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Device} for tests that delegates every call to another device (the emulated one, which
 * runs everything at once) while keeping the books a real GPU would make matter: which work each
 * stream has enqueued, which stream waits on which event, and which work the host has <em>seen</em>
 * finish. A test can hold events "not yet fired" ({@link #holdEvents}): {@link #eventDone} then
 * answers false, so the code under test must wait ({@link #synchronizeEvent}) or do without, exactly
 * as on a GPU that is still busy.
 *
 * <p><b>The model.</b> Every piece of stream work (launch, copy, memset, GEMM) gets the next position
 * on its stream. A stream also carries what it has waited for: {@code streamWaitEvent} merges the
 * event's dependencies into the stream's. An event recorded on a stream depends on everything enqueued
 * there so far plus what that stream waited for. The host learns that work has finished only from a
 * synchronisation: {@code eventDone} answering true, {@code synchronizeEvent}, {@code synchronizeStream}
 * or a download.
 *
 * <p><b>What it checks</b> (each breach is recorded in {@link #violations()}, with no exception thrown
 * into the code under test):
 * <ul>
 *   <li>pinned memory is rewritten ({@code writePinned}) or freed only once the host has seen finish
 *       both the copy that read it and every launch that read the device memory that copy filled (the
 *       step on the batch);</li>
 *   <li>a launch, GEMM, copy or download that reads device memory filled by a copy from pinned memory
 *       on another stream comes after its stream waited for that copy;</li>
 *   <li>nothing calls the device after {@link #close()} (a real device refuses), and no stream or
 *       event is used after it was destroyed (undefined on a real GPU);</li>
 *   <li>with {@code stageUploads}, uploads go through a {@link PinnedStaging} over this wrapper, as
 *       {@code CudaRuntimeDevice}'s do; its buffers may be rewritten or freed once the copy that read
 *       them was seen to finish (they fill no batch, so the readers of the memory they filled do not
 *       matter).</li>
 * </ul>
 * It also counts live pinned allocations (and their peak), streams and events, and keeps a log of the
 * operations for failure messages. Thread-safe: every method is synchronised (the delegate's calls all
 * return at once).
 */
public final class OrderingDevice implements Device {
    private final Device inner;
    private final Map<Long, Map<Long, Long>> streamWaits = new HashMap<>();
    private final Map<Long, Long> streamPos = new HashMap<>();
    private final Map<Long, Map<Long, Long>> eventDeps = new HashMap<>();
    private final Map<Long, Long> seenDone = new HashMap<>();
    private final Map<Long, Long> pinnedSize = new HashMap<>();
    private final Map<Long, PinnedUse> pinnedUse = new HashMap<>();
    private final List<Filled> filled = new ArrayList<>();
    private final Set<Long> liveStreams = new HashSet<>();
    private final Set<Long> liveEvents = new HashSet<>();
    private final Set<Long> destroyedStreams = new HashSet<>();
    private final Set<Long> destroyedEvents = new HashSet<>();
    /** Pinned allocations of the upload staging pool (with {@code stageUploads}). */
    private final Set<Long> stagingPinned = new HashSet<>();
    /** Set while this thread is inside the upload staging pool's calls. */
    private final ThreadLocal<Boolean> inStaging = ThreadLocal.withInitial(() -> false);
    private final PinnedStaging staging;
    private final List<String> log = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private boolean hold;
    private boolean closed;
    private int peakPinned;
    private long synchronizeEventCalls;
    private long pinnedRewrites;
    private long downloads;

    /** @param inner the device that does the work; uploads go straight to it */
    public OrderingDevice(Device inner) {
        this(inner, false);
    }

    /**
     * @param inner the device that does the work
     * @param stageUploads true: uploads go through a {@link PinnedStaging} over this wrapper (small
     *     buffers, so transfers take several chunks), as a real device's do, and are checked as above
     */
    public OrderingDevice(Device inner, boolean stageUploads) {
        this.inner = inner;
        this.staging = stageUploads ? new PinnedStaging(this, 4096, PinnedStaging.DEFAULT_MAX_BUFFERS) : null;
    }

    // ---- test controls and inspection ------------------------------------------------------------

    /**
     * @param held true: {@link #eventDone} answers false until the event is synchronised; false: events
     *     report what the delegate says (the emulated device: fired)
     */
    public synchronized void holdEvents(boolean held) {
        this.hold = held;
    }

    /** @return the breaches of stream order seen so far */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** @return pinned allocations not yet freed */
    public synchronized int livePinned() {
        return pinnedSize.size();
    }

    /** @return the most pinned allocations alive at once since the last {@link #resetPeak()} */
    public synchronized int peakPinned() {
        return peakPinned;
    }

    /** Starts a new peak count from the allocations alive now. */
    public synchronized void resetPeak() {
        peakPinned = pinnedSize.size();
    }

    /** @return streams created and not destroyed */
    public synchronized int liveStreams() {
        return liveStreams.size();
    }

    /** @return events created and not destroyed */
    public synchronized int liveEvents() {
        return liveEvents.size();
    }

    /** @return how many times the host waited for an event */
    public synchronized long synchronizeEventCalls() {
        return synchronizeEventCalls;
    }

    /** @return how many times pinned memory that a copy had read was written again */
    public synchronized long pinnedRewrites() {
        return pinnedRewrites;
    }

    /** @return how many downloads (device to host reads) there were */
    public synchronized long downloads() {
        return downloads;
    }

    /** @return the operations so far, oldest first (the last {@code n}) */
    public synchronized List<String> log(int n) {
        return List.copyOf(log.subList(Math.max(0, log.size() - n), log.size()));
    }

    // ---- the books -------------------------------------------------------------------------------

    /** What a pinned allocation's last contents were read by: the copy, and the memory it filled. */
    private static final class PinnedUse {
        final List<long[]> copies = new ArrayList<>();  // {stream, position}
        final List<Filled> filled = new ArrayList<>();
    }

    /** Device memory filled by a copy from pinned memory, and the launches that read it since. */
    private static final class Filled {
        final long start;
        final long end;
        final long stream;
        final long position;
        final List<long[]> readers = new ArrayList<>();  // {stream, position}

        Filled(long start, long end, long stream, long position) {
            this.start = start;
            this.end = end;
            this.stream = stream;
            this.position = position;
        }
    }

    private long enqueue(long stream, String what) {
        long p = streamPos.merge(stream, 1L, Long::sum);
        log.add(what + " @" + stream + "#" + p);
        return p;
    }

    private Map<Long, Long> waitsOf(long stream) {
        return streamWaits.computeIfAbsent(stream, s -> new HashMap<>());
    }

    private static void mergeMax(Map<Long, Long> into, Map<Long, Long> from) {
        for (Map.Entry<Long, Long> e : from.entrySet()) {
            into.merge(e.getKey(), e.getValue(), Math::max);
        }
    }

    /** The host has seen everything in {@code deps} finish. */
    private void seen(Map<Long, Long> deps) {
        if (deps != null) {
            mergeMax(seenDone, deps);
        }
    }

    private Map<Long, Long> streamDeps(long stream) {
        Map<Long, Long> deps = new HashMap<>(waitsOf(stream));
        deps.merge(stream, streamPos.getOrDefault(stream, 0L), Math::max);
        return deps;
    }

    private boolean isSeenDone(long stream, long position) {
        return seenDone.getOrDefault(stream, 0L) >= position;
    }

    /** Checks that work on {@code stream} reading [address, address + bytes) comes after the copies that filled it. */
    private void read(long address, long bytes, long stream, long position, String what) {
        long end = address + Math.max(bytes, 1);
        for (Filled f : filled) {
            if (address < f.end && f.start < end) {
                if (f.stream != stream && waitsOf(stream).getOrDefault(f.stream, 0L) < f.position) {
                    violations.add(what + " on stream " + stream + " read device memory 0x" + Long.toHexString(f.start)
                            + " before waiting for the copy that fills it (stream " + f.stream + " #" + f.position
                            + ")");
                }
                f.readers.add(new long[] {stream, position});
            }
        }
    }

    /** Checks that pinned memory at {@code address} may be written or freed: its last readers are seen done. */
    private void release(long address, String what) {
        Long base = pinnedBase(address);
        if (base == null) {
            violations.add(what + " at 0x" + Long.toHexString(address) + ": not a live pinned allocation");
            return;
        }
        PinnedUse use = pinnedUse.remove(base);
        if (use == null) {
            return;
        }
        pinnedRewrites++;
        boolean stagingBuffer = stagingPinned.contains(base);
        for (long[] c : use.copies) {
            if (!isSeenDone(c[0], c[1])) {
                violations.add(what + " at 0x" + Long.toHexString(address) + " before the copy that read it (stream "
                        + c[0] + " #" + c[1] + ") was seen to finish");
            }
        }
        for (Filled f : use.filled) {
            if (stagingBuffer) {
                break;  // an upload's buffer: only its copy reads it
            }
            for (long[] r : f.readers) {
                if (!isSeenDone(r[0], r[1])) {
                    violations.add(what + " at 0x" + Long.toHexString(address)
                            + " before the work that read the batch it staged (stream " + r[0] + " #" + r[1]
                            + ") was seen to finish");
                }
            }
            filled.remove(f);
        }
    }

    private Long pinnedBase(long address) {
        for (Map.Entry<Long, Long> e : pinnedSize.entrySet()) {
            if (address >= e.getKey() && address < e.getKey() + Math.max(1, e.getValue())) {
                return e.getKey();
            }
        }
        return null;
    }

    private void alive(String what) {
        if (closed) {
            violations.add(what + " after the device was closed");
        }
    }

    /** Records a use of a destroyed stream (undefined behaviour on a GPU). */
    private void stream(long stream, String what) {
        if (destroyedStreams.contains(stream)) {
            violations.add(what + " on stream " + stream + " after it was destroyed");
        }
    }

    /** Records a use of a destroyed event. */
    private void event(long event, String what) {
        if (destroyedEvents.contains(event)) {
            violations.add(what + " of event " + event + " after it was destroyed");
        }
    }

    // ---- Device ----------------------------------------------------------------------------------

    @Override
    public synchronized String describe() {
        return "ordering checks over " + inner.describe();
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
    public synchronized long malloc(long bytes) {
        alive("malloc");
        return inner.malloc(bytes);
    }

    @Override
    public synchronized void free(long address) {
        alive("free");
        inner.free(address);
    }

    @Override
    public synchronized long[] memoryInfo() {
        return inner.memoryInfo();
    }

    @Override
    public synchronized long mallocPinned(long bytes) {
        alive("mallocPinned");
        long a = inner.mallocPinned(bytes);
        pinnedSize.put(a, bytes);
        if (inStaging.get()) {
            stagingPinned.add(a);
        }
        peakPinned = Math.max(peakPinned, pinnedSize.size());
        log.add("mallocPinned " + bytes + " -> 0x" + Long.toHexString(a));
        return a;
    }

    @Override
    public synchronized void freePinned(long address) {
        alive("freePinned");
        release(address, "freePinned");
        pinnedSize.remove(address);
        stagingPinned.remove(address);
        log.add("freePinned 0x" + Long.toHexString(address));
        inner.freePinned(address);
    }

    @Override
    public synchronized void writePinned(long pinned, float[] src, int offset, int count) {
        alive("writePinned");
        release(pinned, "writePinned");
        log.add("writePinned 0x" + Long.toHexString(pinned) + " " + count + " floats");
        inner.writePinned(pinned, src, offset, count);
    }

    @Override
    public synchronized void writePinned(long pinned, int[] src, int offset, int count) {
        alive("writePinned");
        release(pinned, "writePinned");
        log.add("writePinned 0x" + Long.toHexString(pinned) + " " + count + " ints");
        inner.writePinned(pinned, src, offset, count);
    }

    @Override
    public synchronized long createStream() {
        alive("createStream");
        long s = inner.createStream();
        liveStreams.add(s);
        destroyedStreams.remove(s);  // a handle may be reused
        log.add("createStream " + s);
        return s;
    }

    @Override
    public synchronized void destroyStream(long stream) {
        alive("destroyStream");
        stream(stream, "destroyStream");
        liveStreams.remove(stream);
        destroyedStreams.add(stream);
        log.add("destroyStream " + stream);
        inner.destroyStream(stream);
    }

    @Override
    public synchronized long createEvent() {
        alive("createEvent");
        long e = inner.createEvent();
        liveEvents.add(e);
        destroyedEvents.remove(e);
        return e;
    }

    @Override
    public synchronized void destroyEvent(long event) {
        alive("destroyEvent");
        event(event, "destroyEvent");
        liveEvents.remove(event);
        destroyedEvents.add(event);
        inner.destroyEvent(event);
    }

    @Override
    public synchronized void recordEvent(long event, long stream) {
        alive("recordEvent");
        stream(stream, "recordEvent");
        event(event, "recordEvent");
        eventDeps.put(event, streamDeps(stream));
        log.add("record event " + event + " @" + stream + "#" + streamPos.getOrDefault(stream, 0L));
        inner.recordEvent(event, stream);
    }

    @Override
    public synchronized void streamWaitEvent(long stream, long event) {
        alive("streamWaitEvent");
        stream(stream, "streamWaitEvent");
        event(event, "streamWaitEvent");
        Map<Long, Long> deps = eventDeps.get(event);
        if (deps != null) {
            mergeMax(waitsOf(stream), deps);
        }
        log.add("stream " + stream + " waits event " + event);
        inner.streamWaitEvent(stream, event);
    }

    @Override
    public synchronized boolean eventDone(long event) {
        alive("eventDone");
        event(event, "eventDone");
        if (hold) {
            log.add("poll event " + event + " -> held");
            return false;
        }
        boolean done = inner.eventDone(event);
        if (done) {
            seen(eventDeps.get(event));
        }
        log.add("poll event " + event + " -> " + done);
        return done;
    }

    @Override
    public synchronized void synchronizeEvent(long event) {
        alive("synchronizeEvent");
        event(event, "synchronizeEvent");
        inner.synchronizeEvent(event);
        synchronizeEventCalls++;
        seen(eventDeps.get(event));
        log.add("synchronize event " + event);
    }

    @Override
    public synchronized void synchronizeStream(long stream) {
        alive("synchronizeStream");
        stream(stream, "synchronizeStream");
        inner.synchronizeStream(stream);
        seen(streamDeps(stream));
        log.add("synchronize stream " + stream);
    }

    @Override
    public void upload(long dst, float[] src, int offset, int count, long stream) {
        if (staging != null) {
            // Not under this wrapper's lock: the pool may wait for a buffer another thread holds.
            staged(() -> staging.upload(dst, src, offset, count, stream));
            return;
        }
        synchronized (this) {
            alive("upload");
            stream(stream, "upload");
            enqueue(stream, "upload " + count + " floats");
            inner.upload(dst, src, offset, count, stream);
        }
    }

    @Override
    public void upload(long dst, int[] src, int offset, int count, long stream) {
        if (staging != null) {
            staged(() -> staging.upload(dst, src, offset, count, stream));
            return;
        }
        synchronized (this) {
            alive("upload");
            stream(stream, "upload");
            enqueue(stream, "upload " + count + " ints");
            inner.upload(dst, src, offset, count, stream);
        }
    }

    /** Runs a call of the staging pool, whose pinned allocations are marked as the pool's. */
    private void staged(Runnable call) {
        inStaging.set(true);
        try {
            call.run();
        } finally {
            inStaging.set(false);
        }
    }

    /** @return the upload staging pool's pinned buffers now (0 without {@code stageUploads}) */
    public int stagingBuffers() {
        return staging == null ? 0 : staging.buffers();
    }

    @Override
    public synchronized void download(float[] dst, int offset, long src, int count, long stream) {
        alive("download");
        stream(stream, "download");
        read(src, 4L * count, stream, streamPos.getOrDefault(stream, 0L), "download");
        downloads++;
        inner.download(dst, offset, src, count, stream);
        seen(streamDeps(stream));
    }

    @Override
    public synchronized void download(int[] dst, int offset, long src, int count, long stream) {
        alive("download");
        stream(stream, "download");
        read(src, 4L * count, stream, streamPos.getOrDefault(stream, 0L), "download");
        downloads++;
        inner.download(dst, offset, src, count, stream);
        seen(streamDeps(stream));
    }

    @Override
    public synchronized void copy(long dst, long src, long bytes, long stream) {
        alive("copy");
        stream(stream, "copy");
        long p = enqueue(stream, "copy " + bytes + " bytes");
        read(src, bytes, stream, p, "device copy");
        inner.copy(dst, src, bytes, stream);
    }

    @Override
    public synchronized void copyFromPinned(long dst, long pinnedSrc, long bytes, long stream) {
        alive("copyFromPinned");
        stream(stream, "copyFromPinned");
        long p = enqueue(stream, "copyFromPinned 0x" + Long.toHexString(pinnedSrc) + " " + bytes + " bytes");
        Long base = pinnedBase(pinnedSrc);
        if (base == null) {
            violations.add("copyFromPinned from 0x" + Long.toHexString(pinnedSrc) + ": not a live pinned allocation");
        } else if (stagingPinned.contains(base)) {
            // An upload's chunk: on the stream of the work that reads it, so no batch books to keep.
            pinnedUse.computeIfAbsent(base, b -> new PinnedUse()).copies.add(new long[] {stream, p});
        } else {
            Filled f = new Filled(dst, dst + bytes, stream, p);
            // Memory refilled by a new copy starts a new batch: forget the old one's books.
            filled.removeIf(old -> old.start < f.end && f.start < old.end);
            filled.add(f);
            PinnedUse use = pinnedUse.computeIfAbsent(base, b -> new PinnedUse());
            use.copies.add(new long[] {stream, p});
            use.filled.add(f);
        }
        inner.copyFromPinned(dst, pinnedSrc, bytes, stream);
    }

    @Override
    public synchronized void memset(long dst, int value, long bytes, long stream) {
        alive("memset");
        stream(stream, "memset");
        enqueue(stream, "memset " + bytes + " bytes");
        inner.memset(dst, value, bytes, stream);
    }

    @Override
    public synchronized Kernel kernel(String name) {
        return inner.kernel(name);
    }

    @Override
    public synchronized void launch(Kernel kernel, int gridX, int blockX, KernelArgs args, long stream) {
        alive("launch");
        stream(stream, "launch of " + kernel.name());
        long p = enqueue(stream, "launch " + kernel.name());
        // Every 8-byte slot that holds an address inside memory filled from pinned memory is a read of it
        // (outputs included: writing a batch before its copy landed is as wrong as reading it).
        for (int i = 0; i < args.count(); i++) {
            long v = args.slots().getLong(8 * i);
            read(v, 1, stream, p, "kernel " + kernel.name());
        }
        inner.launch(kernel, gridX, blockX, args, stream);
    }

    @Override
    public synchronized void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda,
            long b, int ldb, float beta, long c, int ldc, long stream) {
        alive("sgemm");
        stream(stream, "sgemm");
        long p = enqueue(stream, "sgemm");
        read(a, 1, stream, p, "sgemm A");
        read(b, 1, stream, p, "sgemm B");
        read(c, 1, stream, p, "sgemm C");
        inner.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, stream);
    }

    @Override
    public void setTf32(boolean enabled) {
        inner.setTf32(enabled);
    }

    @Override
    public boolean tf32() {
        return inner.tf32();
    }

    @Override
    public void close() {
        if (staging != null) {
            // As CudaRuntimeDevice: the pool frees through this device's calls, before they are refused.
            staged(staging::close);
        }
        synchronized (this) {
            closed = true;
            inner.close();
        }
    }
}
