package dev.thinj.ops.cuda.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.cuda.CudaOps;
import dev.thinj.ops.cuda.device.PinnedStaging;
import dev.thinj.ops.cuda.emulated.Emulated;
import dev.thinj.ops.cuda.emulated.EmulatedDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pinned upload staging that {@code CudaRuntimeDevice} shares between threads, on the emulated
 * device seen through an {@link OrderingDevice}, which checks that a buffer is written again only
 * after the copy that read it was seen to finish (with events held "not fired", the pool must wait
 * for them) and counts pinned allocations: a batch producer thread starts for every pass, and the
 * pinned memory must not grow with the passes.
 */
@Timeout(120)
class PinnedStagingTest {
    private static final int BUFFER_BYTES = 64;  // 16 values: every upload below takes many chunks

    @BeforeAll
    static void emulator() {
        Emulated.assumeAvailable();
    }

    private static float[] ramp(int n, float start) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = start + i;
        }
        return x;
    }

    private static String books(OrderingDevice d) {
        return "violations " + d.violations() + "\nlast operations:\n" + String.join("\n", d.log(40));
    }

    @ParameterizedTest(name = "events held: {0}")
    @ValueSource(booleans = {false, true})
    void uploadsArriveWholeAndABufferIsRewrittenOnlyAfterItsCopyWasSeenToFinish(boolean held) {
        OrderingDevice device = new OrderingDevice(new EmulatedDevice());
        device.holdEvents(held);
        PinnedStaging staging = new PinnedStaging(device, BUFFER_BYTES, 2);
        long stream = device.createStream();
        long dst = device.malloc(4L * 1000);
        float[] src = ramp(1000, 0.5f);
        staging.upload(dst, src, 0, 1000, stream);
        src[7] = -1f;  // the values were copied out on return
        float[] back = new float[1000];
        device.download(back, 0, dst, 1000, stream);
        assertThat(back).containsExactly(ramp(1000, 0.5f));
        // Ints too, from an offset.
        int[] ints = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        staging.upload(dst, ints, 2, 18, stream);
        int[] intsBack = new int[18];
        device.download(intsBack, 0, dst, 18, stream);
        assertThat(intsBack).containsExactly(java.util.Arrays.copyOfRange(ints, 2, 20));

        // Events that fire at once: one buffer serves; held ones: the pool grows to its limit, then waits.
        assertThat(staging.buffers()).as("buffers").isEqualTo(held ? 2 : 1);
        assertThat(device.livePinned()).isEqualTo(held ? 2 : 1);
        assertThat(device.pinnedRewrites()).as("buffers were reused").isPositive();
        if (held) {
            assertThat(device.synchronizeEventCalls()).as("held events: the pool waited for them").isPositive();
        }
        assertThat(device.violations()).as(books(device)).isEmpty();

        staging.close();
        assertThat(device.livePinned()).as("close frees the buffers").isZero();
        assertThat(device.liveEvents()).as("and their events").isZero();
        assertThatThrownBy(() -> staging.upload(dst, src, 0, 4, stream)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        device.free(dst);
        device.destroyStream(stream);
        assertThat(device.violations()).as(books(device)).isEmpty();
    }

    @Test
    void threadsShareTheBuffersAndTheirNumberStaysBounded() throws Exception {
        OrderingDevice device = new OrderingDevice(new EmulatedDevice());
        device.holdEvents(true);
        PinnedStaging staging = new PinnedStaging(device, BUFFER_BYTES, 2);
        long stream = device.createStream();
        int threads = 6;
        int n = 300;
        long[] dst = new long[threads];
        for (int t = 0; t < threads; t++) {
            dst[t] = device.malloc(4L * n);
        }
        // Six threads at once on a pool of two: some must wait for a buffer another thread holds.
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    for (int round = 0; round < 5; round++) {
                        staging.upload(dst[id], ramp(n, id * 1000 + round), 0, n, stream);
                    }
                } catch (Throwable e) {
                    failed.set(e);
                }
            }, "uploader-" + t);
            th.start();
            started.add(th);
        }
        for (Thread th : started) {
            th.join(60_000);  // a hang guard
            assertThat(th.isAlive()).as(th.getName() + " finished").isFalse();
        }
        assertThat(failed.get()).isNull();
        for (int t = 0; t < threads; t++) {
            float[] back = new float[n];
            device.download(back, 0, dst[t], n, stream);
            assertThat(back).as("thread " + t + "'s last upload").containsExactly(ramp(n, t * 1000 + 4));
        }
        assertThat(device.peakPinned()).as("never more than the pool's two buffers").isLessThanOrEqualTo(2);
        assertThat(device.violations()).as(books(device)).isEmpty();
        staging.close();
        assertThat(device.livePinned()).isZero();
    }

    @ParameterizedTest(name = "events held: {0}")
    @ValueSource(booleans = {false, true})
    void twentyPassesOverDeviceResidentShuffledDataPinNoMoreMemoryThanThePool(boolean held) {
        // Uploads staged as on a GPU. Each shuffled pass runs a new producer thread, which uploads the
        // row indices of every batch it gathers on the device.
        OrderingDevice device = new OrderingDevice(new EmulatedDevice(), true);
        device.holdEvents(held);
        CudaOps ops = new CudaOps(device, 64L << 20);
        try {
            int rows = 40;
            int width = 3;
            FloatArray x = ops.asArray(ramp(rows * width, 0f), rows, width);
            int[] labels = new int[rows];
            java.util.Arrays.setAll(labels, r -> r);
            IntArray y = ops.asInts(labels);
            List<Integer> pinnedAfterPass = new ArrayList<>();
            for (int pass = 0; pass < 20; pass++) {
                BatchOptions options = BatchOptions.defaults().shuffle(true).seed(pass).buffer(3);
                int seen = 0;
                for (Batch b : ops.multibatch(BatchSizes.fixed(7), options, x, y)) {
                    int[] ids = b.ints(1).toIntArray();
                    float[] values = b.floats(0).toFloatArray();
                    for (int i = 0; i < ids.length; i++) {
                        assertThat(values[i * width]).as("pass %d: row %d", pass, ids[i]).isEqualTo(ids[i] * width);
                    }
                    seen += ids.length;
                    b.floats(0).close();
                    b.ints(1).close();
                }
                assertThat(seen).isEqualTo(rows);
                pinnedAfterPass.add(device.livePinned());
            }
            assertThat(device.stagingBuffers()).as("the pool was used").isPositive();
            assertThat(pinnedAfterPass).as("pinned allocations after each pass")
                    .allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(PinnedStaging.DEFAULT_MAX_BUFFERS));
            assertThat(device.peakPinned()).as("at any time").isLessThanOrEqualTo(PinnedStaging.DEFAULT_MAX_BUFFERS);
            assertThat(device.violations()).as(books(device)).isEmpty();
            x.close();
            y.close();
        } finally {
            ops.close();
        }
        assertThat(device.livePinned()).as("closing the backend frees the pool").isZero();
        assertThat(device.violations()).as(books(device)).isEmpty();
    }
}
