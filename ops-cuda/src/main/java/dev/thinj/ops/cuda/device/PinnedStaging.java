package dev.thinj.ops.cuda.device;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A small pool of pinned host buffers, shared by every thread of one {@link Device}, through which
 * host arrays are copied to the device: the bytes are written into a buffer, copied asynchronously on
 * the caller's stream, and an event recorded after the copy fences the buffer until the copy has read
 * it. So {@code upload} returns as soon as the values are out of the caller's array, and copies stay
 * asynchronous.
 *
 * <p><b>Why shared.</b> A batch producer thread starts for every pass over the data; buffers kept per
 * thread would pin {@code 2 x} {@link #DEFAULT_BUFFER_BYTES} more each epoch until the device closes.
 * The pool holds at most {@code maxBuffers} buffers, whatever the number of threads.
 *
 * <p><b>Reuse.</b> A buffer is written again only after its event has been seen to fire:
 * {@link Device#eventDone} when a thread looks for a free buffer (oldest first), else
 * {@link Device#synchronizeEvent} on the oldest fenced one once the pool is full. A thread holds at most
 * one buffer at a time and gives it back after one chunk, so a thread that finds every buffer in other
 * threads' hands waits only for one of them to come back.
 *
 * <p>{@link #take()} and {@link #giveBack(Buffer)} lend a buffer for a synchronous use (a download,
 * which waits for its copy before it returns the buffer).
 */
public final class PinnedStaging implements AutoCloseable {
    /** Bytes per buffer: larger transfers go in chunks. */
    public static final int DEFAULT_BUFFER_BYTES = 4 << 20;

    /** Buffers at most: double buffering for two threads that copy at once (a trainer and a producer). */
    public static final int DEFAULT_MAX_BUFFERS = 4;

    private final Device device;
    private final int bufferBytes;
    private final int maxBuffers;
    private final Object lock = new Object();
    /** Buffers no thread holds, oldest give-back first. */
    private final ArrayDeque<Buffer> idle = new ArrayDeque<>();
    /** Buffers whose copy failed after it was enqueued: never lent again, freed at close. */
    private final List<Buffer> retired = new ArrayList<>();
    private int count;
    private boolean closed;

    /** A pool of {@link #DEFAULT_MAX_BUFFERS} buffers of {@link #DEFAULT_BUFFER_BYTES}. */
    public PinnedStaging(Device device) {
        this(device, DEFAULT_BUFFER_BYTES, DEFAULT_MAX_BUFFERS);
    }

    /**
     * @param device whose pinned memory, events and copies the pool uses
     * @param bufferBytes bytes per buffer, a positive multiple of 4
     * @param maxBuffers buffers at most, at least 1
     */
    public PinnedStaging(Device device, int bufferBytes, int maxBuffers) {
        if (bufferBytes < 4 || bufferBytes % 4 != 0) {
            throw new IllegalArgumentException("PinnedStaging: bufferBytes must be a positive multiple of 4, got "
                    + bufferBytes);
        }
        if (maxBuffers < 1) {
            throw new IllegalArgumentException("PinnedStaging: maxBuffers must be at least 1, got " + maxBuffers);
        }
        this.device = device;
        this.bufferBytes = bufferBytes;
        this.maxBuffers = maxBuffers;
    }

    /** @return bytes per buffer */
    public int bufferBytes() {
        return bufferBytes;
    }

    /** @return pinned buffers allocated now: at most {@code maxBuffers}, unless a failed event call retired some */
    public int buffers() {
        synchronized (lock) {
            return count + retired.size();
        }
    }

    /** One pinned buffer and the event that fences it. */
    public static final class Buffer {
        private final long host;
        private final long event;
        /** An event was recorded after a copy out of this buffer and has not been seen to fire. */
        private boolean pending;

        private Buffer(long host, long event) {
            this.host = host;
            this.event = event;
        }

        /** @return the buffer's pinned host address */
        public long host() {
            return host;
        }
    }

    /**
     * Copies {@code count} floats from {@code src[offset]} to device address {@code dst} on {@code stream},
     * in chunks of {@link #bufferBytes()}; on return {@code src} may change.
     */
    public void upload(long dst, float[] src, int offset, int count, long stream) {
        upload(dst, count, stream, (host, from, n) -> device.writePinned(host, src, offset + from, n));
    }

    /** Int variant of {@link #upload(long, float[], int, int, long)}. */
    public void upload(long dst, int[] src, int offset, int count, long stream) {
        upload(dst, count, stream, (host, from, n) -> device.writePinned(host, src, offset + from, n));
    }

    /** Writes values {@code [from, from + n)} of the caller's array into pinned memory at {@code host}. */
    private interface Writer {
        void write(long host, int from, int n);
    }

    private void upload(long dst, int count, long stream, Writer writer) {
        int chunk = bufferBytes / 4;
        for (int done = 0; done < count; done += chunk) {
            int n = Math.min(chunk, count - done);
            Buffer b = take();
            try {
                writer.write(b.host, done, n);
                device.copyFromPinned(dst + 4L * done, b.host, 4L * n, stream);
            } catch (RuntimeException e) {
                giveBack(b);  // the copy was not enqueued: nothing reads the buffer
                throw e;
            }
            try {
                device.recordEvent(b.event, stream);
            } catch (RuntimeException e) {
                retire(b);  // the copy may read it, and there is no fence to say when it is done
                throw e;
            }
            synchronized (lock) {
                b.pending = true;
                idle.addLast(b);
                lock.notifyAll();
            }
        }
    }

    /**
     * Lends a buffer no pending copy reads: one whose fence fired, a new one while fewer than
     * {@code maxBuffers} exist, else the oldest fenced one after waiting for its fence.
     *
     * @return the buffer, the caller's alone until {@link #giveBack}
     */
    public Buffer take() {
        Buffer wait;
        synchronized (lock) {
            while (true) {
                checkOpen();
                for (Iterator<Buffer> it = idle.iterator(); it.hasNext(); ) {
                    Buffer b = it.next();
                    // eventDone never blocks, so it may run under the lock.
                    if (!b.pending || device.eventDone(b.event)) {
                        it.remove();
                        b.pending = false;
                        return b;
                    }
                }
                if (count < maxBuffers) {
                    count++;
                    wait = null;
                    break;
                }
                if (!idle.isEmpty()) {
                    wait = idle.pollFirst();
                    break;
                }
                // Every buffer is in another thread's hands, for one chunk: wait for one to come back.
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a pinned staging buffer", e);
                }
            }
        }
        if (wait != null) {
            try {
                device.synchronizeEvent(wait.event);
            } catch (RuntimeException e) {
                retire(wait);
                throw e;
            }
            wait.pending = false;
            return wait;
        }
        return allocate();
    }

    private Buffer allocate() {
        long host = 0;
        try {
            host = device.mallocPinned(bufferBytes);
            return new Buffer(host, device.createEvent());
        } catch (RuntimeException e) {
            if (host != 0) {
                try {
                    device.freePinned(host);
                } catch (RuntimeException again) {
                    e.addSuppressed(again);
                }
            }
            synchronized (lock) {
                count--;
                lock.notifyAll();
            }
            throw e;
        }
    }

    /** Gives back a buffer no pending copy reads (after a synchronous use). */
    public void giveBack(Buffer b) {
        synchronized (lock) {
            b.pending = false;
            idle.addLast(b);
            lock.notifyAll();
        }
    }

    /**
     * A buffer a copy may still read, with no fence that says when (an event call failed): never lent
     * again, freed at close after the device has finished. It stops counting towards the limit, so the
     * pool stays usable.
     */
    private void retire(Buffer b) {
        synchronized (lock) {
            retired.add(b);
            count--;
            lock.notifyAll();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("PinnedStaging: closed (its device was closed)");
        }
    }

    /**
     * Waits for every fenced buffer's copy, then frees the buffers and their events. Call it while the
     * device still takes calls, with no copy in flight from another thread (after a device-wide
     * synchronisation, for the buffers retired after a failed event call); later uploads fail.
     */
    @Override
    public void close() {
        List<Buffer> all;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(idle);
            all.addAll(retired);
            idle.clear();
            retired.clear();
            count = 0;
            lock.notifyAll();
        }
        RuntimeException failure = null;
        for (Buffer b : all) {
            try {
                if (b.pending) {
                    device.synchronizeEvent(b.event);
                }
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
            try {
                device.destroyEvent(b.event);
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
            try {
                device.freePinned(b.host);
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException add(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
