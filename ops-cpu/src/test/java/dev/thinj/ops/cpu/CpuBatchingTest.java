package dev.thinj.ops.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchIterator;
import dev.thinj.ops.batching.BatchSource;
import dev.thinj.ops.batching.SizedBatches;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend's batching: its own staging, and a thousand short buffered passes over real arrays
 * leaving no producer thread and no direct (off-heap) memory behind.
 */
class CpuBatchingTest {
    private final Ops ops = Ops.get("cpu");

    @Test
    void theCpuBackendStagesBatchesItself() {
        assertThat(ops.batchStaging()).isInstanceOf(CpuBatchStaging.class);
    }

    @Test
    void aBatchOfHostRowsIsWrittenStraightIntoAnArrayTheKernelsRead() {
        float[] x = {0, 1, 10, 11, 20, 21};
        try (BatchIterator<FloatArray> it = ops.minibatch(2, BatchSource.of(x, 3, 2), false, 1).iterator()) {
            FloatArray b = it.next();
            assertThat(b).isInstanceOf(CpuFloatArray.class);
            assertThat(((CpuFloatArray) b).data()).as("exactly the batch's values, from index 0")
                    .containsExactly(0, 1, 10, 11);
            assertThat(ops.relu(b, false).toFloatArray()).as("usable by a kernel").containsExactly(0, 1, 10, 11);
        }
    }

    @Test
    void anArrayOfAnotherCpuBackendIsBatchedIntoArraysOfThisOne() {
        CpuOps other = new CpuOps(1);
        try {
            FloatArray x = other.asArray(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, 4, 2);
            IntArray y = other.asInts(new int[] {0, 10, 1, 11, 2, 12, 3, 13}, 4, 2);
            for (boolean shuffle : new boolean[] {false, true}) {
                List<Integer> seen = new ArrayList<>();
                for (Batch b : ops.multibatch(3, shuffle, 1, x, y)) {
                    assertThat(b.floats(0).ops()).isSameAs(ops);
                    assertThat(b.ints(1).ops()).isSameAs(ops);
                    float[] xs = b.floats(0).toFloatArray();
                    int[] ys = b.ints(1).toIntArray();
                    for (int r = 0; r < b.rows(); r++) {
                        int row = ys[2 * r];
                        assertThat(ys[2 * r + 1]).isEqualTo(row + 10);
                        assertThat(xs[2 * r]).isEqualTo(row * 10f);
                        assertThat(xs[2 * r + 1]).isEqualTo(row * 10f + 1);
                        seen.add(row);
                    }
                }
                assertThat(seen).as("shuffle=%s", shuffle).containsExactlyInAnyOrder(0, 1, 2, 3);
            }
        } finally {
            Blas.setThreads(((CpuOps) ops).threads());
            other.close();
        }
    }

    @Test
    void aClosedArrayIsRefusedWhenItsBatchIsMade() {
        FloatArray x = ops.alloc(4, 2);
        IntArray y = ops.allocInts(4);
        x.close();
        y.close();
        for (Object data : new Object[] {x, y}) {
            assertThat(catchThrowable(() -> ops.multibatch(2, false, 1, data).iterator().next()))
                    .as("batching a closed %s", data.getClass().getSimpleName())
                    .hasRootCauseInstanceOf(ArrayStateException.class)
                    .hasStackTraceContaining("minibatch");
        }
    }

    private static long directMemory() {
        long used = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            used += pool.getMemoryUsed();
        }
        return used;
    }

    private static List<Thread> producers() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("thinj-batch-producer")) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The producers still alive after waiting up to a minute for them to end. close() joins its
     * producer only for a bounded time (a stuck source must not hang the consumer), so on a loaded
     * machine the last one may still be leaving when the loop ends: wait for it, never assume it.
     */
    private static List<Thread> awaitNoProducers() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!producers().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return producers();
    }

    @Test
    void aThousandShortBufferedPassesLeaveNoThreadOrOffHeapMemoryBehind() throws InterruptedException {
        float[] host = new float[512 * 64];
        int[] labels = new int[512];
        FloatArray x = ops.asArray(host, 512, 64);
        SizedBatches<Batch> batches = ops.multibatch(32, true, 4, x, labels);
        long directBefore = directMemory();
        for (int i = 0; i < 1000; i++) {
            try (BatchIterator<Batch> it = batches.iterator()) {
                Batch b = it.next();
                FloatArray bx = b.floats(0);
                IntArray by = b.ints(1);
                assertThat(bx.dim(0)).isEqualTo(by.dim(0));
                b.close();
            }
        }
        assertThat(awaitNoProducers()).as("producer threads after 1,000 closed passes").isEmpty();
        assertThat(directMemory()).as("direct buffer memory").isLessThanOrEqualTo(directBefore);
    }
}
