package dev.thinj.ops.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CPU backend's thread count: where it comes from, what it says about itself, and that a backend
 * of one thread (serial kernels, no pool) and one of several (large kernels split into chunks) compute
 * the same values as a plain loop. The conformance suite runs the shared instance only, whose count
 * depends on the machine.
 */
class CpuThreadsTest {
    /** Large enough for three chunks of {@link Parallel#GRAIN} and an uneven last one. */
    private static final int N = 3 * Parallel.GRAIN + 7;

    @AfterEach
    void restoreTheSharedBackendsBlasThreads() {
        // OpenBLAS's thread count is global: a backend built here set it.
        Blas.setThreads(((CpuOps) Ops.get("cpu")).threads());
    }

    private static float[] randomValues(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3})
    void everyThreadCountComputesWhatAPlainLoopDoes(int threads) {
        CpuOps ops = new CpuOps(threads);
        try {
            assertThat(ops.threads()).isEqualTo(threads);
            float[] a = randomValues(N, 1);
            float[] b = randomValues(N, 2);
            FloatArray da = ops.asArray(a);
            FloatArray db = ops.asArray(b);

            float[] relu = ops.relu(da, false).toFloatArray();
            float[] sum = ops.add(da, db).toFloatArray();
            FloatArray y = ops.copy(db);
            ops.axpy(0.5f, da, y);
            float[] axpy = y.toFloatArray();
            float[] sigmoid = ops.sigmoid(da, false).toFloatArray();
            for (int i = 0; i < N; i++) {
                assertThat(relu[i]).as("relu[%d]", i).isEqualTo(Math.max(a[i], 0f));
                assertThat(sum[i]).as("add[%d]", i).isEqualTo(a[i] + b[i]);
                assertThat(axpy[i]).as("axpy[%d]", i).isEqualTo(b[i] + 0.5f * a[i]);
                assertThat((double) sigmoid[i]).as("sigmoid[%d]", i).isCloseTo(1 / (1 + Math.exp(-a[i])),
                        within(1e-6));
            }
            // Row kernels split by rows: every row of a softmax sums to one.
            int rows = N / 7;
            float[] softmax = ops.softmax(ops.asArray(Arrays.copyOf(a, rows * 7), rows, 7)).toFloatArray();
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int j = 0; j < 7; j++) {
                    s += softmax[r * 7 + j];
                }
                assertThat(s).as("softmax row %d", r).isCloseTo(1.0, within(1e-5));
            }
        } finally {
            ops.close();
        }
    }

    @Test
    void oneThreadSaysSoInTheSingular() {
        CpuOps one = new CpuOps(1);
        CpuOps three = new CpuOps(3);
        try {
            assertThat(one.description()).contains(", 1 thread,");
            assertThat(three.description()).contains(", 3 threads,");
            assertThat(one.toString()).isEqualTo("CpuOps[1 threads]");
            assertThat(three.toString()).isEqualTo("CpuOps[3 threads]");
            assertThat(Blas.threads()).isEqualTo(3);
        } finally {
            one.close();
            three.close();
        }
        // No thread count below one: a pool of none would never run a chunk.
        assertThat(new Parallel(0).threads()).isEqualTo(1);
        assertThat(new Parallel(-4).threads()).isEqualTo(1);
    }

    @Test
    void thePropertySetsTheCountWhenTheEnvironmentDoesNot() {
        assumeTrue(System.getenv("OPENBLAS_NUM_THREADS") == null, "OPENBLAS_NUM_THREADS is set: it wins");
        String before = System.getProperty("thinj.cpu.threads");
        try {
            System.setProperty("thinj.cpu.threads", " 1 ");
            assertThat(CpuOpsProvider.configuredThreads()).isEqualTo(1);
            System.setProperty("thinj.cpu.threads", "5");
            assertThat(CpuOpsProvider.configuredThreads()).isEqualTo(5);
            int processors = Runtime.getRuntime().availableProcessors();
            for (String ignored : new String[] {"0", "-2", "two", " "}) {
                System.setProperty("thinj.cpu.threads", ignored);
                assertThat(CpuOpsProvider.configuredThreads()).as("thinj.cpu.threads=\"%s\"", ignored)
                        .isEqualTo(processors);
            }
        } finally {
            if (before == null) {
                System.clearProperty("thinj.cpu.threads");
            } else {
                System.setProperty("thinj.cpu.threads", before);
            }
        }
    }

    /**
     * A kernel never waits for a pool thread that is busy elsewhere: the caller takes every chunk and
     * the queued hand-over is dropped. Here the pool's only thread is held inside another caller's
     * chunk (released only after this test's kernel returned), so the old fixed halves would hang.
     */
    @Test
    void aCallerTakesTheChunksOfABusyPoolThread() throws Exception {
        Parallel parallel = new Parallel(2);
        Thread caller = Thread.currentThread();
        java.util.concurrent.CountDownLatch helperInside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        float[] first = new float[N];
        Thread other = new Thread(() -> parallel.forRange(N, Parallel.CHEAP, (from, to) -> {
            try {
                if (Thread.currentThread().getName().startsWith("thinj-cpu-")) {
                    helperInside.countDown();
                    release.await();  // the pool's thread stays here until the test says
                } else {
                    helperInside.await();  // this caller lets the pool's thread take a chunk first
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = from; i < to; i++) {
                first[i] = 1f;
            }
        }), "other-caller");
        other.start();
        try {
            assertThat(helperInside.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the pool's thread took a chunk")
                    .isTrue();
            float[] out = new float[N];
            parallel.forRange(N, Parallel.CHEAP, (from, to) -> {
                assertThat(Thread.currentThread()).as("who runs this kernel's chunks").isSameAs(caller);
                for (int i = from; i < to; i++) {
                    out[i] = i;
                }
            });
            for (int i = 0; i < N; i++) {
                assertThat(out[i]).as("out[%d]", i).isEqualTo((float) i);
            }
        } finally {
            release.countDown();
            other.join();
            parallel.shutdown();
        }
        for (int i = 0; i < N; i++) {
            assertThat(first[i]).as("first[%d]", i).isEqualTo(1f);
        }
    }

    /** A chunk that throws fails the kernel with its exception, after the other chunks have stopped. */
    @Test
    void aFailingChunkFailsTheKernel() {
        Parallel parallel = new Parallel(2);
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> parallel.forRange(N, Parallel.CHEAP, (from, to) -> {
                if (from <= N / 2 && N / 2 < to) {
                    throw new IllegalArgumentException("bad chunk " + from);
                }
            })).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bad chunk");
        } finally {
            parallel.shutdown();
        }
    }
}
