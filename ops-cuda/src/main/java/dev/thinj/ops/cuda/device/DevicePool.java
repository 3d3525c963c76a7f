package dev.thinj.ops.cuda.device;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * A caching allocator: device blocks are kept by rounded size and lent again, so a training step
 * calls no {@code cudaMalloc} once the first steps have filled the cache (as PyTorch's allocator).
 *
 * <p><b>Ordering.</b> A block given back is lent again only to work enqueued later. Work on the
 * backend's compute stream runs in order, so reuse by it is safe without a wait; a user on another
 * stream (the batching copy stream) makes that stream wait on an event recorded on the compute stream
 * after taking the block.
 *
 * <p><b>Arrays nobody closes.</b> Model code leaves temporaries to the garbage collector, as on the
 * heap. A buffer whose owner is collected goes back through a {@link Cleaner}. Because the JVM does not
 * see device memory, the pool asks for a collection when fresh allocations since the last one exceed
 * {@code gcBytes}, and on an allocation failure it empties its cache, collects, and tries again before
 * it reports {@link DeviceOutOfMemoryException}.
 */
public final class DevicePool implements AutoCloseable {
    /** Blocks are multiples of this many bytes (cuBLAS and vector loads like 256-byte alignment). */
    public static final long GRANULE = 512;

    private static final Cleaner CLEANER = Cleaner.create();

    private final Device device;
    private final long gcBytes;
    private final Map<Long, ArrayDeque<Long>> cache = new HashMap<>();
    private final Set<DeviceBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private long cachedBytes;
    private long liveBytes;
    private long freshSinceGc;
    private long mallocCalls;
    private boolean closed;

    /**
     * @param device where blocks come from
     * @param gcBytes fresh allocations between requested garbage collections
     */
    public DevicePool(Device device, long gcBytes) {
        this.device = device;
        this.gcBytes = gcBytes;
    }

    /**
     * Lends a block of at least {@code bytes} bytes.
     *
     * @param bytes the request (0 gives a one-granule block, so every array has an address)
     * @return the block
     */
    public DeviceBuffer allocate(long bytes) {
        long size = round(bytes);
        long address = take(size);
        DeviceBuffer buffer = new DeviceBuffer(this, address, size);
        synchronized (this) {
            if (closed) {
                device.free(address);
                throw new IllegalStateException("DevicePool: the CUDA backend was closed");
            }
            live.add(buffer);
            liveBytes += size;
        }
        return buffer;
    }

    /**
     * Gives {@code buffer} back when {@code owner} becomes unreachable (an array nobody closed).
     *
     * @param owner the object whose reachability keeps the block lent
     * @param buffer its block
     */
    public void watch(Object owner, DeviceBuffer buffer) {
        CLEANER.register(owner, buffer::release);
    }

    private long take(long size) {
        boolean collect;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("DevicePool: the CUDA backend was closed");
            }
            ArrayDeque<Long> free = cache.get(size);
            if (free != null && !free.isEmpty()) {
                cachedBytes -= size;
                return free.pop();
            }
            freshSinceGc += size;
            collect = freshSinceGc > gcBytes;
            if (collect) {
                freshSinceGc = 0;
            }
        }
        if (collect) {
            // Unclosed temporaries hold device memory the JVM cannot see; let their cleaners run.
            System.gc();
            synchronized (this) {
                ArrayDeque<Long> free = cache.get(size);
                if (free != null && !free.isEmpty()) {
                    cachedBytes -= size;
                    return free.pop();
                }
            }
        }
        DeviceOutOfMemoryException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                long address = device.malloc(size);
                synchronized (this) {
                    mallocCalls++;
                }
                return address;
            } catch (DeviceOutOfMemoryException e) {
                failure = e;
                trim();
                System.gc();
                try {
                    Thread.sleep(20L * (attempt + 1));  // cleaners run on their own thread
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                trim();
            }
        }
        long[] info = device.memoryInfo();
        throw new DeviceOutOfMemoryException("CUDA out of memory: could not allocate " + size + " bytes ("
                + mib(size) + "); device free " + mib(info[0]) + " of " + mib(info[1]) + ", this backend's arrays hold "
                + mib(liveBytes()) + (failure != null ? " (" + failure.getMessage() + ")" : ""));
    }

    /** Takes a block back into the cache (or frees it once the pool is closed). */
    void giveBack(DeviceBuffer buffer) {
        if (!buffer.markReleased()) {
            return;
        }
        synchronized (this) {
            if (closed || !live.remove(buffer)) {
                return;
            }
            liveBytes -= buffer.bytes();
            cache.computeIfAbsent(buffer.bytes(), k -> new ArrayDeque<>()).push(buffer.address());
            cachedBytes += buffer.bytes();
        }
    }

    /** Frees every cached block (not the lent ones). */
    public void trim() {
        synchronized (this) {
            for (Map.Entry<Long, ArrayDeque<Long>> e : cache.entrySet()) {
                for (long address : e.getValue()) {
                    device.free(address);
                }
            }
            cache.clear();
            cachedBytes = 0;
        }
    }

    /** @return bytes lent to arrays now */
    public synchronized long liveBytes() {
        return liveBytes;
    }

    /** @return bytes cached for reuse */
    public synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** @return blocks lent now */
    public synchronized int liveCount() {
        return live.size();
    }

    /** @return how many times the pool has called the device's malloc */
    public synchronized long mallocCalls() {
        return mallocCalls;
    }

    /**
     * Frees every block, lent or cached; arrays still alive see themselves closed.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            trim();
            for (DeviceBuffer b : live) {
                b.markReleased();
                device.free(b.address());
            }
            live.clear();
            liveBytes = 0;
            closed = true;
        }
    }

    static long round(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("DevicePool: negative size " + bytes);
        }
        long b = Math.max(bytes, 1);
        return (b + GRANULE - 1) / GRANULE * GRANULE;
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
