package dev.thinj.ops.cuda.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchException;
import dev.thinj.ops.batching.BatchIterator;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.BatchSlot;
import dev.thinj.ops.batching.BatchStaging;
import dev.thinj.ops.batching.BatchSource;
import dev.thinj.ops.batching.Rows;
import dev.thinj.ops.batching.SizedBatches;
import dev.thinj.ops.cuda.CudaOps;
import dev.thinj.ops.cuda.emulated.Emulated;
import dev.thinj.ops.cuda.emulated.EmulatedDevice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CUDA staging's stream discipline, on the emulated device seen through an {@link OrderingDevice}:
 * the emulator runs everything at once, so the ordering device keeps the books of a real GPU and can
 * hold events "not yet fired", which forces the staging to prove, by a host synchronisation it can
 * see, that the step on a batch finished before its pinned slot is written again.
 *
 * <p>Row {@code r} of the float source holds {@code r * 10 + column}; its label is {@code r}.
 */
@Timeout(120)
class CudaBatchStagingTest {
    private static final int ROWS = 41;
    private static final int WIDTH = 6;

    private OrderingDevice device;
    private CudaOps ops;
    private int baseStreams;
    private int baseEvents;
    private int baseArrays;

    @BeforeAll
    static void emulator() {
        Emulated.assumeAvailable();
    }

    @BeforeEach
    void backend() {
        device = new OrderingDevice(new EmulatedDevice());
        ops = new CudaOps(device, 64L << 20);
        baseStreams = device.liveStreams();
        baseEvents = device.liveEvents();
        baseArrays = ops.pool().liveCount();
    }

    @AfterEach
    void close() {
        if (ops != null) {
            ops.close();
        }
    }

    private static float[] hostFloats() {
        float[] x = new float[ROWS * WIDTH];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < WIDTH; c++) {
                x[r * WIDTH + c] = r * 10 + c;
            }
        }
        return x;
    }

    private static int[] hostLabels() {
        int[] y = new int[ROWS];
        Arrays.setAll(y, r -> r);
        return y;
    }

    private SizedBatches<Batch> batches(int size, boolean shuffle, int buffer) {
        return ops.multibatch(BatchSizes.fixed(size), BatchOptions.defaults().shuffle(shuffle).seed(7).buffer(buffer),
                BatchSource.of(hostFloats(), ROWS, WIDTH), hostLabels());
    }

    /** Asserts that {@code x} holds, scaled by {@code factor}, the rows the labels name. */
    private static void assertRows(String what, float[] x, int[] labels, float factor) {
        assertThat(x).as(what + ": size").hasSize(labels.length * WIDTH);
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < WIDTH; c++) {
                assertThat(x[i * WIDTH + c]).as(what + ": row " + i + " column " + c)
                        .isEqualTo(factor * (labels[i] * 10f + c));
            }
        }
    }

    private String books() {
        return "violations " + device.violations() + "\nlast operations:\n" + String.join("\n", device.log(60));
    }

    private void assertEverythingFreed(String what) {
        assertThat(device.livePinned()).as(what + ": pinned allocations left").isZero();
        assertThat(device.liveStreams()).as(what + ": streams left besides the compute stream").isEqualTo(baseStreams);
        assertThat(device.liveEvents()).as(what + ": events left").isEqualTo(baseEvents);
        assertThat(ops.pool().liveCount()).as(what + ": device arrays left").isEqualTo(baseArrays);
        assertThat(device.violations()).as(what + ": " + books()).isEmpty();
    }

    /** Waits (bounded) for what a garbage-collected iterator's cleaner and the producer thread do. */
    private static void awaitCollected(BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 400 && !done.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(25);
        }
    }

    @ParameterizedTest(name = "buffer {0}")
    @ValueSource(ints = {1, 2, 4})
    void aPinnedSlotIsRewrittenOnlyAfterTheStepOnItsBatchWasSeenToFinish(int buffer) {
        // No event ever reports itself fired: the staging must synchronise on the retire event of the
        // step that read a slot before it writes that slot again, or grow (up to buffer + 2 slots).
        device.holdEvents(true);
        device.resetPeak();
        List<FloatArray> scaled = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        // Batches stay referenced: a collected batch would give its block back for other work, which
        // the books would then count as more reads of that batch.
        List<Batch> kept = new ArrayList<>();
        for (Batch b : batches(3, true, buffer)) {
            kept.add(b);
            // The "step": a kernel that reads the batch, enqueued on the compute stream.
            scaled.add(ops.scale(b.floats(0), 2f));
            long downloads = device.downloads();
            labels.add(b.ints(1).toIntArray());
            assertThat(device.downloads()).as("an int batch keeps the host values it was staged from")
                    .isEqualTo(downloads);
        }
        assertThat(device.violations()).as(books()).isEmpty();
        assertThat(device.pinnedRewrites()).as("slots were reused").isPositive();
        assertThat(device.synchronizeEventCalls()).as("with every event held, reuse needs a host wait").isPositive();
        // Two arrays per batch, one pinned segment each per slot.
        assertThat(device.peakPinned()).as("pinned allocations at once").isLessThanOrEqualTo(2 * (buffer + 2));
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < scaled.size(); i++) {
            assertRows("batch " + i, scaled.get(i).toFloatArray(), labels.get(i), 2f);
            for (int v : labels.get(i)) {
                seen.add(v);
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(range(ROWS)).isNotEqualTo(range(ROWS));
    }

    @ParameterizedTest(name = "buffer {0}")
    @ValueSource(ints = {1, 3})
    void withEventsFiringTheSlotsAreReusedWithoutHostWaits(int buffer) {
        device.resetPeak();
        int batches = 0;
        for (Batch b : batches(4, false, buffer)) {
            FloatArray x = b.floats(0);
            IntArray y = b.ints(1);
            assertRows("batch " + batches, x.toFloatArray(), y.toIntArray(), 1f);
            x.close();
            y.close();
            batches++;
        }
        assertThat(batches).isEqualTo(11);
        assertThat(device.violations()).as(books()).isEmpty();
        assertThat(device.pinnedRewrites()).isPositive();
        assertThat(device.peakPinned()).isLessThanOrEqualTo(2 * (buffer + 2));
        assertEverythingFreed("a full pass");
    }

    @Test
    void theComputeStreamWaitsForTheCopyBeforeTheFirstKernelOnTheBatch() {
        device.holdEvents(true);
        try (BatchIterator<Batch> it = batches(5, true, 2).iterator()) {
            while (it.hasNext()) {
                Batch b = it.next();
                // Each of these reads the batch on the compute stream; the ordering device checks the
                // stream had waited for the copy stream's work that filled it.
                FloatArray s = ops.sum(b.floats(0));
                FloatArray t = ops.add(b.floats(0), b.floats(0));
                s.close();
                t.close();
            }
        }
        assertThat(device.violations()).as(books()).isEmpty();
    }

    @Test
    void theCheckerCatchesAMissingWaitAndAnEarlyRewrite() {
        // The negative control: the same books, driven wrongly by hand, must report both breaches.
        long copyStream = device.createStream();
        long compute = device.createStream();
        long event = device.createEvent();
        long pinned = device.mallocPinned(64);
        long dst = device.malloc(512);
        long other = device.malloc(512);
        device.writePinned(pinned, new float[16], 0, 16);
        device.copyFromPinned(dst, pinned, 64, copyStream);
        device.copy(other, dst, 64, compute);
        assertThat(device.violations()).singleElement().asString().contains("before waiting for the copy");
        device.writePinned(pinned, new float[16], 0, 16);
        assertThat(device.violations()).hasSize(3);
        assertThat(device.violations().get(1)).contains("before the copy that read it");
        assertThat(device.violations().get(2)).contains("before the work that read the batch it staged");
        // Done right: the copy is waited for and seen to finish before the next rewrite.
        device.copyFromPinned(dst, pinned, 64, copyStream);
        device.recordEvent(event, copyStream);
        device.streamWaitEvent(compute, event);
        device.copy(other, dst, 64, compute);
        device.recordEvent(event, compute);
        device.synchronizeEvent(event);
        device.writePinned(pinned, new float[16], 0, 16);
        assertThat(device.violations()).as("no new breach when done right").hasSize(3);
        device.freePinned(pinned);
        device.free(dst);
        device.free(other);
        device.destroyEvent(event);
        device.destroyStream(compute);
        device.destroyStream(copyStream);
    }

    @Test
    void everythingIsFreedWhenAnIterationIsAbandoned() throws InterruptedException {
        device.holdEvents(true);
        BatchIterator<Batch> it = batches(2, true, 4).iterator();
        for (int i = 0; i < 2; i++) {
            Batch b = it.next();
            b.floats(0).close();
            b.ints(1).close();
        }
        it = null;  // the consumer walks away: the pass's cleaner ends it once the iterator is collected
        awaitCollected(() -> device.livePinned() == 0 && device.liveStreams() == baseStreams
                && ops.pool().liveCount() == baseArrays);
        assertEverythingFreed("an abandoned iteration");
    }

    @Test
    void everythingIsFreedWhenTheConsumerThrows() {
        device.holdEvents(true);
        assertThatThrownBy(() -> {
            try (BatchIterator<Batch> it = batches(2, false, 3).iterator()) {
                int taken = 0;
                while (it.hasNext()) {
                    Batch b = it.next();
                    b.floats(0).close();
                    b.ints(1).close();
                    if (++taken == 4) {
                        throw new IllegalStateException("the step failed");
                    }
                }
            }
        }).hasMessage("the step failed");
        assertEverythingFreed("a consumer exception");
    }

    @Test
    void everythingIsFreedWhenTheProducerFails() {
        BatchSource<Batch> failing = new BatchSource<>() {
            private final BatchSource<Batch> inner = BatchSource.together(BatchSource.of(hostFloats(), ROWS, WIDTH),
                    hostLabels());

            @Override
            public int length() {
                return ROWS;
            }

            @Override
            public Batch batch(BatchSlot slot, Rows rows) {
                if (rows.row(0) >= 20) {
                    // Stage a host array (a pinned slot, a copy in flight), then fail: the slot is discarded.
                    slot.gather(hostFloats(), new int[] {ROWS, WIDTH}, rows);
                    throw new IllegalArgumentException("bad record near row " + rows.row(0));
                }
                return inner.batch(slot, rows);
            }
        };
        SizedBatches<Batch> batches = ops.minibatch(BatchSizes.fixed(5), failing, BatchOptions.defaults().buffer(3));
        List<Batch> kept = new ArrayList<>();
        assertThatThrownBy(() -> batches.forEach(kept::add)).isInstanceOf(BatchException.class)
                .hasMessageContaining("bad record near row 20");
        assertThat(kept).hasSize(4);
        for (Batch b : kept) {
            assertRows("batch before the failure", b.floats(0).toFloatArray(), b.ints(1).toIntArray(), 1f);
            b.floats(0).close();
            b.ints(1).close();
        }
        assertEverythingFreed("a producer failure");
    }

    @Test
    void arraysOfAnotherBackendTakeThePinnedPath() {
        Ops cpu = Ops.get("cpu");
        FloatArray x = cpu.asArray(hostFloats(), ROWS, WIDTH);
        IntArray y = cpu.asInts(hostLabels());
        List<Integer> seen = new ArrayList<>();
        for (boolean shuffle : new boolean[] {false, true}) {
            BatchOptions options = BatchOptions.defaults().shuffle(shuffle).buffer(2);
            for (Batch b : ops.multibatch(BatchSizes.fixed(8), options, x, y)) {
                assertThat(b.floats(0).ops()).isSameAs(ops);
                assertThat(b.ints(1).ops()).isSameAs(ops);
                int[] labels = b.ints(1).toIntArray();
                assertRows("CPU source", b.floats(0).toFloatArray(), labels, 1f);
                for (int v : labels) {
                    seen.add(v);
                }
                b.floats(0).close();
                b.ints(1).close();
            }
        }
        assertThat(seen).hasSize(2 * ROWS).containsAll(range(ROWS));
        assertThat(device.pinnedRewrites()).isPositive();
        assertEverythingFreed("foreign sources");
    }

    @Test
    void arraysOfThisBackendAreGatheredOnTheDeviceWhileTheConsumerComputes() {
        // The producer thread enqueues gathers on the compute stream while the consumer enqueues its
        // steps there: the batches must still hold exactly their rows (also a check that the device
        // takes launches from two threads).
        FloatArray x = ops.asArray(hostFloats(), ROWS, WIDTH);
        IntArray y = ops.asInts(hostLabels());
        for (int pass = 0; pass < 4; pass++) {
            List<Integer> seen = new ArrayList<>();
            BatchOptions options = BatchOptions.defaults().shuffle(true).seed(pass).buffer(4);
            for (Batch b : ops.multibatch(BatchSizes.fixed(3), options, x, y)) {
                try (FloatArray tripled = ops.scale(b.floats(0), 3f); FloatArray sum = ops.add(tripled, b.floats(0))) {
                    int[] labels = b.ints(1).toIntArray();
                    assertRows("pass " + pass, sum.toFloatArray(), labels, 4f);
                    for (int v : labels) {
                        seen.add(v);
                    }
                }
                b.floats(0).close();
                b.ints(1).close();
            }
            assertThat(seen).as("pass " + pass).containsExactlyInAnyOrderElementsOf(range(ROWS));
        }
        assertThat(device.livePinned()).as("device sources need no pinned memory").isZero();
        x.close();
        y.close();
        assertEverythingFreed("device sources");
    }

    @Test
    void closingTheBackendUnderAPassEndsItWithoutCallingTheClosedDevice() {
        // Driven by hand, so that no producer thread races the close: one batch handed out and one
        // still queued when the backend closes; then the pass ends (retire, discard, close).
        BatchStaging staging = ops.batchStaging();
        int[] shape = {ROWS, WIDTH};
        BatchSlot handedOut = staging.open();
        FloatArray first = handedOut.gather(hostFloats(), shape, Rows.of(3, 1, 4));
        handedOut.ready();
        handedOut.acquire();
        BatchSlot queued = staging.open();
        queued.gather(hostFloats(), shape, Rows.of(5, 9));
        queued.ready();

        ops.close();
        assertThat(first.isClosed()).as("the backend's close frees the batch it handed out").isTrue();
        assertThatThrownBy(first::toFloatArray).isInstanceOf(ArrayStateException.class);
        handedOut.retire();
        queued.discard();
        staging.close();
        assertThat(device.violations()).as(books()).isEmpty();
        ops = null;
    }

    @Test
    void emptyBatchesCopyNothing() {
        List<int[]> shapes = new ArrayList<>();
        for (FloatArray b : ops.minibatch(BatchSizes.from(List.of(0.5, 0.5, 50.0).iterator()),
                BatchSource.of(hostFloats(), ROWS, WIDTH), false, 2)) {
            shapes.add(b.shape());
            b.close();
        }
        assertThat(shapes).containsExactly(new int[] {0, WIDTH}, new int[] {0, WIDTH}, new int[] {ROWS, WIDTH});
        assertEverythingFreed("empty batches");
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
