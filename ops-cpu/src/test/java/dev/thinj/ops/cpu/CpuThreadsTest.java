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
        Blas.configureFor(((CpuOps) Ops.get("cpu")).threads());
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

    /**
     * The products the backend splits into blocks of rows or columns are the whole product: the MLP's
     * eight products of a training step (accumulating into a gradient where the step does), shapes whose
     * blocks are uneven or not whole SIMD tiles, and large ones of several blocks per thread. Each
     * element is within the textbook bound of a float dot product of length k (k ulps of the sum of
     * |products|) of the exact value, as on one thread, and the same bits on every run. (Not the bits of one thread: OpenBLAS's
     * Haswell kernel sums a tile's edge in another order, so a block boundary moves a few ulps, as
     * OpenBLAS's own threads did.)
     */
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3})
    void splitProductsAreTheWholeProduct(int threads) {
        CpuOps ops = new CpuOps(threads);
        try {
            // {m, n, k, transA, transB, accumulate}: c (m x n) = 0.5 op(a) (m x k) . op(b) (k x n) + beta c
            int[][] cases = {
                {128, 512, 784, 0, 1, 0}, {128, 512, 512, 0, 1, 0}, {128, 10, 512, 0, 1, 0},
                {512, 784, 128, 1, 0, 1}, {10, 512, 128, 1, 0, 1}, {128, 512, 10, 0, 0, 0},
                {512, 512, 128, 1, 0, 1}, {128, 512, 512, 0, 0, 0},
                {1000, 7, 300, 0, 0, 0}, {7, 1000, 300, 1, 1, 1}, {333, 250, 97, 1, 1, 0}, {250, 333, 97, 0, 1, 1},
                {97, 4111, 2, 1, 0, 0}, {4111, 97, 2, 0, 1, 1},
                // several blocks per thread: an evaluation's 4096 rows, and 5000 columns
                {4096, 64, 96, 0, 1, 0}, {64, 5000, 40, 1, 0, 1},
            };
            long seed = 10;
            for (int[] c : cases) {
                int m = c[0];
                int n = c[1];
                int k = c[2];
                boolean ta = c[3] == 1;
                boolean tb = c[4] == 1;
                float beta = c[5];
                float[] a = randomValues(m * k, seed++);
                float[] b = randomValues(k * n, seed++);
                float[] start = randomValues(m * n, seed++);
                FloatArray da = ops.asArray(a, ta ? new int[] {k, m} : new int[] {m, k});
                FloatArray db = ops.asArray(b, tb ? new int[] {n, k} : new int[] {k, n});
                FloatArray out = ops.asArray(start.clone(), m, n);
                ops.gemm(da, db, out, ta, tb, 0.5f, beta);
                float[] got = out.toFloatArray();
                FloatArray again = ops.asArray(start.clone(), m, n);
                ops.gemm(da, db, again, ta, tb, 0.5f, beta);
                // isEqualTo, not containsExactly: AssertJ's diff of 400K elements is quadratic.
                assertThat(again.toFloatArray()).as("%s run twice", Arrays.toString(c)).isEqualTo(got);
                String firstOff = firstBeyondTheBound(got, a, b, start, m, n, k, ta, tb, 0.5f, beta);
                assertThat(firstOff).as("%s", Arrays.toString(c)).isNull();
            }
        } finally {
            ops.close();
        }
    }

    /**
     * The first element of {@code got} farther from the exact (double) value of
     * {@code alpha op(a) op(b) + beta start} than k + 2 ulps of its terms' magnitude, or null.
     */
    private static String firstBeyondTheBound(float[] got, float[] a, float[] b, float[] start, int m, int n, int k,
            boolean ta, boolean tb, float alpha, float beta) {
        double[] rows = new double[m * k];  // op(a), row-major
        double[] cols = new double[n * k];  // op(b) transposed, row-major: both read along l
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < k; l++) {
                rows[i * k + l] = a[ta ? l * m + i : i * k + l];
            }
        }
        for (int j = 0; j < n; j++) {
            for (int l = 0; l < k; l++) {
                cols[j * k + l] = b[tb ? j * k + l : l * n + j];
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = 0;
                double magnitude = 0;
                for (int l = 0; l < k; l++) {
                    double p = rows[i * k + l] * cols[j * k + l];
                    exact += p;
                    magnitude += Math.abs(p);
                }
                double initial = beta * start[i * n + j];
                exact = alpha * exact + initial;
                double bound = (k + 2) * 0x1p-24 * (alpha * magnitude + Math.abs(initial));
                if (!(Math.abs(got[i * n + j] - exact) <= bound)) {
                    return "c[" + i + "][" + j + "] = " + got[i * n + j] + ", exact " + exact;
                }
            }
        }
        return null;
    }

    @Test
    void blocksAreEvenSharesInWholeTiles() {
        assertThat(Blas.blockStart(512, 0, 2)).isZero();
        assertThat(Blas.blockStart(512, 1, 2)).isEqualTo(256);
        assertThat(Blas.blockStart(784, 1, 2)).isEqualTo(400);
        assertThat(Blas.blockStart(784, 2, 2)).isEqualTo(784);
        assertThat(Blas.blockStart(10, 1, 3)).isEqualTo(10);  // a block may be empty, never past the end
        assertThat(Blas.blockStart(1000, 1, 3)).isEqualTo(336);
        assertThat(Blas.blockStart(1000, 2, 3)).isEqualTo(672);
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
            // With the shim the backend splits products over its own threads and OpenBLAS runs one.
            assertThat(Blas.threads()).isEqualTo(CriticalBlas.available() ? 1 : 3);
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

    /** The pool reuses one job object from kernel to kernel: a failure does not leak into the next kernel. */
    @Test
    void theKernelAfterAFailingOneRunsWhole() {
        Parallel parallel = new Parallel(2);
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> parallel.forRange(N, Parallel.CHEAP, (from, to) -> {
                throw new IllegalStateException("first kernel");
            })).hasMessage("first kernel");
            int[] runs = new int[N];
            for (int kernel = 0; kernel < 3; kernel++) {
                parallel.forRange(N, Parallel.CHEAP, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        runs[i]++;
                    }
                });
            }
            assertThat(runs).as("every element run once per kernel").containsOnly(3);
        } finally {
            parallel.shutdown();
        }
    }

    /**
     * What {@code splits} says is what forRange does: work it does not split runs as one call on the
     * calling thread (so a kernel may call its loop directly instead), work it splits runs in chunks.
     */
    @Test
    void splitsSaysWhetherForRangeSplits() {
        Parallel parallel = new Parallel(2);
        try {
            int small = Parallel.GRAIN;
            assertThat(parallel.splits(small, Parallel.CHEAP)).isFalse();
            java.util.List<int[]> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Thread caller = Thread.currentThread();
            parallel.forRange(small, Parallel.CHEAP, (from, to) -> {
                assertThat(Thread.currentThread()).isSameAs(caller);
                calls.add(new int[] {from, to});
            });
            assertThat(calls).hasSize(1);
            assertThat(calls.get(0)).containsExactly(0, small);

            assertThat(parallel.splits(N, Parallel.CHEAP)).isTrue();
            assertThat(parallel.splits(small, 2)).as("the cost per item counts").isTrue();
            calls.clear();
            parallel.forRange(N, Parallel.CHEAP, (from, to) -> calls.add(new int[] {from, to}));
            assertThat(calls).hasSizeGreaterThan(1);
            assertThat(calls.stream().mapToInt(c -> c[1] - c[0]).sum()).as("chunks cover the range once").isEqualTo(N);
        } finally {
            parallel.shutdown();
        }
        assertThat(parallel.splits(N, Parallel.CHEAP)).as("a closed pool computes serially").isFalse();
    }
}
