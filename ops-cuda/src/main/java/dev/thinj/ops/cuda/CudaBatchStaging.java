package dev.thinj.ops.cuda;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.BatchSlot;
import dev.thinj.ops.batching.DefaultBatchStaging;
import dev.thinj.ops.batching.Rows;
import dev.thinj.ops.cuda.device.Device;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The CUDA backend's batch staging (one per pass): host rows travel through pinned host memory and a
 * copy stream of their own, so the copy of batch {@code b + 1} overlaps the training step on batch
 * {@code b}, and the compute stream waits for a batch on the device, never on the host.
 *
 * <p><b>Per batch, for each host array of the batch</b> (producer thread):
 * <ol>
 *   <li>the rows are gathered into a pinned host slot ({@link Device#writePinned}: one write for a
 *       contiguous batch, else the rows are first gathered into a reusable Java scratch array);</li>
 *   <li>the batch's device array is allocated from the backend's caching pool ({@code newFloats},
 *       {@code newInts}; an int batch keeps its host values, which the producer knows, so index checks
 *       on it need no download);</li>
 *   <li>an <em>order event</em> is recorded on the compute stream and the copy stream waits on it: the
 *       pool lends a block as soon as its previous array was closed, possibly while compute work that
 *       reads or writes that block is still pending, and only the compute stream's order makes that
 *       safe (see {@code DevicePool}); the copy must come after that work;</li>
 *   <li>{@code copyFromPinned} on the copy stream.</li>
 * </ol>
 * {@link BatchSlot#ready()} records the <em>copy event</em> on the copy stream after the batch's last
 * copy. {@link BatchSlot#acquire()} (consumer) makes the compute stream wait on it, so every kernel
 * the consumer enqueues on the batch runs after its copy; the host does not wait.
 * {@link BatchSlot#retire()} records the <em>retire event</em> on the compute stream: it fires once
 * the consumer's step on the batch (everything enqueued before {@code retire()}) has finished.
 *
 * <p><b>Pinned slot reuse.</b> A pinned slot is written again only after the event that fences it has
 * been seen to fire: {@link Device#eventDone} polled when the producer looks for a free slot, or
 * {@link Device#synchronizeEvent} when it must wait; never on a guess. The fence of a retired batch is
 * its retire event, which comes after the compute stream's wait on the copy event and so also after the
 * copy that read the slot. The fence of a discarded batch (made but never handed out) is its copy
 * event: nothing on the compute stream ever read it. The pool grows while every slot is fenced and
 * fewer than {@code h + 1} exist, {@code h} being the most batches that have held a slot at once
 * (at most {@code buffer + 1}, see {@code BatchStaging}); past that the producer waits for the oldest
 * fence. So at most {@code buffer + 2} slots are ever allocated: one per batch that can be open,
 * queued or in the consumer's hands, and one more so that the producer need not wait for the step
 * that was issued last. A slot holds one pinned segment per array position of the batch, grown when
 * a batch needs more (only the first batches of a pass, and never while a copy reads it).
 *
 * <p><b>Device arrays are not recycled.</b> Each batch gets fresh arrays from the pool; they belong to
 * the consumer, who may keep them past the pass, and the pool's stream order handles their reuse once
 * closed. Discarding a batch first makes the compute stream wait on its copy event, so its blocks can
 * go back to the pool while the copy is still in flight.
 *
 * <p><b>Other sources.</b> An array of this backend is gathered on the device ({@code sliceRows} or
 * {@code gatherRows}, on the compute stream, from the producer thread: nothing to wait for in
 * {@code acquire()}). An array of another backend is cut on its own backend and its host values take
 * the pinned path.
 *
 * <p>Thread use: gathers and {@code ready()} run on one thread at a time (the producer, or the
 * consumer when {@code buffer = 1}); {@code acquire()}/{@code retire()} on the consumer; the slot
 * bookkeeping is guarded by one lock, and the device calls that may block are made outside it.
 */
final class CudaBatchStaging extends DefaultBatchStaging {
    private static final String KERNEL = "minibatch";

    private final CudaOps ops;
    private final CudaContext ctx;
    private final Device device;
    private final GatedDevice gate;
    private final long copyStream;

    private final Object lock = new Object();
    /** Every pinned slot ever made (for close). */
    private final List<PinnedSlot> all = new ArrayList<>();
    /** Slots whose fence has been seen to fire, or that never held a batch. */
    private final ArrayDeque<PinnedSlot> free = new ArrayDeque<>();
    /** Slots retired or discarded whose fence has not yet been seen to fire, oldest first. */
    private final ArrayDeque<PinnedSlot> fenced = new ArrayDeque<>();
    /** Slots bound to a batch that is neither retired nor discarded. */
    private int active;
    /** The most slots that have been bound at once. */
    private int highWater;
    private boolean closed;
    /** Guards {@link #released}: the consumer's close and the backend's close may both release. */
    private final Object releaseLock = new Object();
    private boolean released;

    /** Producer-side scratch for shuffled float rows, grown to the largest batch array (one thread at a time). */
    private float[] scratch = new float[0];

    CudaBatchStaging(CudaOps ops, CudaContext ctx, GatedDevice gate) {
        super(ops);
        this.ops = ops;
        this.ctx = ctx;
        this.device = gate;
        this.gate = gate;
        this.copyStream = device.createStream();
    }

    @Override
    public BatchSlot open() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("minibatch: the CUDA batch staging was closed");
            }
        }
        return new CudaSlot();
    }

    /**
     * Waits for every fence and copy, then frees the pinned slots, their events and the copy stream.
     * Batches already handed out keep their device arrays. If the backend is closing, its teardown
     * does this instead ({@link #release()}).
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (ops.isClosed()) {
            return;  // the backend's close releases (or released) what is still held
        }
        try {
            // As one call through the gate: the backend's close cannot begin half way through.
            gate.run("closing a batch staging", this::release);
        } catch (ArrayStateException refused) {
            // The backend began closing first; its teardown releases this staging.
        }
    }

    /**
     * Frees the device resources once (the consumer's close, or the backend's close for a pass still
     * open): waits for the copy stream and every fence, then frees the pinned slots, their events and
     * the copy stream.
     */
    void release() {
        synchronized (releaseLock) {
            if (released) {
                return;
            }
            released = true;
        }
        List<PinnedSlot> slots;
        synchronized (lock) {
            closed = true;
            slots = new ArrayList<>(all);
            all.clear();
            free.clear();
            fenced.clear();
        }
        RuntimeException failure = null;
        try {
            // The copy stream's work reads the pinned slots; the retire fences are the steps on the
            // batches, which must be over before the slots they were staged in go away.
            device.synchronizeStream(copyStream);
            for (PinnedSlot s : slots) {
                if (s.fenced) {
                    device.synchronizeEvent(s.fence);
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        for (PinnedSlot s : slots) {
            try {
                s.free();
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
        }
        try {
            device.destroyStream(copyStream);
        } catch (RuntimeException e) {
            failure = add(failure, e);
        }
        ops.forget(this);
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

    // ---- the pinned slot pool ------------------------------------------------------------------

    /** Binds a pinned slot to a new batch: a free one, one whose fence fired, a new one, or the oldest after a wait. */
    private PinnedSlot take() {
        PinnedSlot wait;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("minibatch: the CUDA batch staging was closed");
            }
            active++;
            highWater = Math.max(highWater, active);
            // eventDone never blocks, so it may run under the lock.
            for (Iterator<PinnedSlot> it = fenced.iterator(); it.hasNext(); ) {
                PinnedSlot s = it.next();
                if (device.eventDone(s.fence)) {
                    it.remove();
                    s.fenced = false;
                    free.add(s);
                }
            }
            PinnedSlot ready = free.poll();
            if (ready != null) {
                return ready;
            }
            // Slots = bound (at most highWater, this batch included) + fenced + free: once there are
            // highWater + 1 and none is free, at least one is fenced. The second test is only a guard.
            if (all.size() < highWater + 1 || fenced.isEmpty()) {
                PinnedSlot s = new PinnedSlot();
                all.add(s);
                return s;
            }
            wait = fenced.poll();
        }
        // Only the producing thread takes slots, so no one else can claim this one while it waits.
        device.synchronizeEvent(wait.fence);
        wait.fenced = false;
        return wait;
    }

    /** A batch gave its slot back, to be written again once {@code fence} has fired. */
    private void giveBack(PinnedSlot s, long fence) {
        synchronized (lock) {
            active--;
            s.fence = fence;
            s.fenced = true;
            fenced.add(s);
        }
    }

    /** A batch gave back a slot no copy has read: free at once. */
    private void giveBack(PinnedSlot s) {
        synchronized (lock) {
            active--;
            free.add(s);
        }
    }

    /**
     * One pinned host slot: a segment per array position of a batch (grown when a batch needs more),
     * and the events that order its use. Events are made once and re-recorded for every batch.
     */
    private final class PinnedSlot {
        private final List<long[]> segments = new ArrayList<>(2);  // {address, bytes}
        private final long orderEvent = device.createEvent();
        private final long copyEvent = device.createEvent();
        private final long retireEvent = device.createEvent();
        /** The event that must fire before the slot is written again, when {@link #fenced}. */
        private long fence;
        private boolean fenced;

        /** @return the address of segment {@code k}, at least {@code bytes} long */
        long segment(int k, long bytes) {
            while (segments.size() <= k) {
                segments.add(new long[] {0, 0});
            }
            long[] seg = segments.get(k);
            if (seg[1] < bytes) {
                // Safe to free: the slot is bound to a batch, so its fence has fired and no copy reads it.
                if (seg[0] != 0) {
                    device.freePinned(seg[0]);
                    seg[0] = 0;
                    seg[1] = 0;
                }
                seg[0] = device.mallocPinned(bytes);
                seg[1] = bytes;
            }
            return seg[0];
        }

        void free() {
            for (long[] seg : segments) {
                if (seg[0] != 0) {
                    device.freePinned(seg[0]);
                    seg[0] = 0;
                }
            }
            device.destroyEvent(orderEvent);
            device.destroyEvent(copyEvent);
            device.destroyEvent(retireEvent);
        }
    }

    // ---- one batch -----------------------------------------------------------------------------

    /** One batch: its arrays (through the default slot's bookkeeping) and, once it copies, a pinned slot. */
    private final class CudaSlot extends Slot {
        private PinnedSlot pinned;
        /** Host arrays copied so far: the segment index of the next one. */
        private int copies;
        private boolean readied;
        private boolean ended;

        CudaSlot() {
            super(ops);
        }

        @Override
        public FloatArray gather(float[] data, int[] shape, Rows rows) {
            int width = Rows.rowWidth("host float array", data.length, shape);
            int[] out = Rows.batchShape(shape, rows);
            int n = rows.count();
            int count = Math.multiplyExact(n, width);
            long bytes = 4L * count;
            long seg = bytes > 0 ? segment(bytes) : 0;
            if (rows.isContiguous()) {
                Rows.checkRange(rows, shape);
                if (count > 0) {
                    device.writePinned(seg, data, rows.first() * width, count);
                }
            } else if (count > 0) {
                if (scratch.length < count) {
                    scratch = new float[count];
                }
                for (int i = 0; i < n; i++) {
                    System.arraycopy(data, Rows.checkRow(rows.row(i), shape) * width, scratch, i * width, width);
                }
                device.writePinned(seg, scratch, 0, count);
            }
            CudaFloatArray dst = own(ctx.newFloats(KERNEL, out));
            copy(dst.address(), seg, bytes);
            return dst;
        }

        @Override
        public IntArray gather(int[] data, int[] shape, Rows rows) {
            int width = Rows.rowWidth("host int array", data.length, shape);
            int[] out = Rows.batchShape(shape, rows);
            // The batch keeps these values as its host copy, so they are a fresh array (never reused).
            int[] values = Rows.gatherRows(data, shape, width, rows);
            return stageInts(values, out);
        }

        @Override
        public FloatArray gather(FloatArray data, Rows rows) {
            Ops home = data.ops();
            if (home == ops) {
                Check.usable(ops, KERNEL, "data", data);
                // Own arrays: gathered on the device, on the compute stream, so ordered before the
                // consumer's work on the batch without any event.
                if (rows.isContiguous()) {
                    return own(ops.sliceRows(data, rows.first(), rows.first() + rows.count()));
                }
                try (IntArray idx = ops.asInts(rows.toArray())) {
                    return own(ops.gatherRows(data, idx));
                }
            }
            // Another backend: cut there, then its host values take the pinned path.
            float[] values;
            if (rows.isContiguous()) {
                try (FloatArray cut = home.sliceRows(data, rows.first(), rows.first() + rows.count())) {
                    values = cut.toFloatArray();
                }
            } else {
                try (IntArray idx = home.asInts(rows.toArray()); FloatArray cut = home.gatherRows(data, idx)) {
                    values = cut.toFloatArray();
                }
            }
            return gather(values, Rows.batchShape(data.shape(), rows), Rows.range(0, rows.count()));
        }

        @Override
        public IntArray gather(IntArray data, Rows rows) {
            Ops home = data.ops();
            if (home == ops) {
                Check.usable(ops, KERNEL, "data", data);
                if (rows.isContiguous()) {
                    return own(ops.sliceRows(data, rows.first(), rows.first() + rows.count()));
                }
                try (IntArray idx = ops.asInts(rows.toArray())) {
                    return own(ops.gatherRows(data, idx));
                }
            }
            int[] values;
            if (rows.isContiguous()) {
                try (IntArray cut = home.sliceRows(data, rows.first(), rows.first() + rows.count())) {
                    values = cut.toIntArray();
                }
            } else {
                try (IntArray idx = home.asInts(rows.toArray()); IntArray cut = home.gatherRows(data, idx)) {
                    values = cut.toIntArray();
                }
            }
            return stageInts(values, Rows.batchShape(data.shape(), rows));
        }

        /** Pinned path for int values the batch keeps as its host copy. */
        private IntArray stageInts(int[] values, int[] shape) {
            long bytes = 4L * values.length;
            long seg = bytes > 0 ? segment(bytes) : 0;
            if (bytes > 0) {
                device.writePinned(seg, values, 0, values.length);
            }
            CudaIntArray dst = own(ctx.newInts(KERNEL, values, shape));
            copy(dst.address(), seg, bytes);
            return dst;
        }

        /** @return this batch's next pinned segment, binding a pinned slot on first use */
        private long segment(long bytes) {
            if (pinned == null) {
                pinned = take();
            }
            return pinned.segment(copies, bytes);
        }

        /** Enqueues a copy of the segment just written into a new array, after compute's pending work on its block. */
        private void copy(long dst, long seg, long bytes) {
            if (bytes == 0) {
                return;
            }
            device.recordEvent(pinned.orderEvent, ctx.stream());
            device.streamWaitEvent(copyStream, pinned.orderEvent);
            device.copyFromPinned(dst, seg, bytes, copyStream);
            copies++;
        }

        @Override
        public void ready() {
            if (copies > 0) {
                device.recordEvent(pinned.copyEvent, copyStream);
            }
            readied = true;
        }

        @Override
        public void acquire() {
            if (copies > 0) {
                // Every kernel enqueued on the batch from now on runs after its copies; the host goes on.
                device.streamWaitEvent(ctx.stream(), pinned.copyEvent);
            }
        }

        @Override
        public void retire() {
            super.retire();
            if (ended) {
                return;
            }
            ended = true;
            if (pinned != null) {
                if (ops.isClosed()) {
                    // The backend was closed under the pass: its device takes no more calls (see close()).
                    giveBack(pinned);
                } else {
                    device.recordEvent(pinned.retireEvent, ctx.stream());
                    giveBack(pinned, pinned.retireEvent);
                }
                pinned = null;
            }
        }

        @Override
        public void discard() {
            if (ended) {
                super.discard();
                return;
            }
            ended = true;
            if (pinned != null && copies > 0 && !ops.isClosed()) {
                if (!readied) {
                    device.recordEvent(pinned.copyEvent, copyStream);
                }
                // The arrays' blocks go back to the pool, which lends them to compute work at once:
                // that work must come after the copies still writing them.
                device.streamWaitEvent(ctx.stream(), pinned.copyEvent);
            }
            super.discard();
            if (pinned != null) {
                if (copies > 0 && !ops.isClosed()) {
                    // Nothing on the compute stream read the batch: the copy event is the slot's fence.
                    giveBack(pinned, pinned.copyEvent);
                } else {
                    giveBack(pinned);
                }
                pinned = null;
            }
        }
    }
}
