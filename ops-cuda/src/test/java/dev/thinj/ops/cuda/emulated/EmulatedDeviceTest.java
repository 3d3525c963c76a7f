package dev.thinj.ops.cuda.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.thinj.ops.cuda.device.CudaException;
import dev.thinj.ops.cuda.device.Device;
import dev.thinj.ops.cuda.device.DeviceOutOfMemoryException;
import dev.thinj.ops.cuda.device.KernelArgs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulated device itself: that it executes kernels as a GPU would where thinj relies on it
 * (barriers, block reductions, every parameter type, cuBLAS's GEMM semantics) and that it reports the
 * mistakes a GPU would only report as an illegal address, or not at all.
 */
@RequiresEmulator
class EmulatedDeviceTest {
    private EmulatedDevice device;
    private long stream;
    private final List<Long> allocations = new ArrayList<>();

    @BeforeEach
    void open() {
        device = new EmulatedDevice(64L << 20);
        stream = device.createStream();
    }

    @AfterEach
    void close() {
        for (long a : allocations) {
            device.free(a);
        }
        device.destroyStream(stream);
        device.close();
    }

    private long floats(float... values) {
        long a = device.malloc(4L * Math.max(1, values.length));
        allocations.add(a);
        device.upload(a, values, 0, values.length, stream);
        return a;
    }

    private long zeros(int n) {
        long a = device.malloc(4L * n);
        allocations.add(a);
        device.memset(a, 0, 4L * n, stream);
        return a;
    }

    private float[] read(long address, int n) {
        float[] out = new float[n];
        device.download(out, 0, address, n, stream);
        return out;
    }

    private static float[] ramp(int n, float offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = offset + i;
        }
        return v;
    }

    // ---- execution ---------------------------------------------------------------------------------

    @Test
    void aBarrierMakesNeighboursWritesVisible() {
        int n = 3 * 256;
        float[] x = ramp(n, 1);
        long in = floats(x);
        long out = zeros(n);
        Device.Kernel k = device.kernel("thinj_test_neighbour");
        device.launch(k, 3, 256, new KernelArgs().ptr(in).ptr(out).i32(1), stream);
        float[] got = read(out, n);
        for (int i = 0; i < n; i++) {
            int block = i / 256;
            assertThat(got[i]).as("thread %d", i).isEqualTo(x[block * 256 + (i % 256 + 1) % 256]);
        }
    }

    @Test
    void aMissingBarrierGivesAWrongAnswer() {
        // The shuffled order after each barrier makes some threads read their neighbour's slot before
        // the neighbour wrote it, whichever direction the neighbour lies in. One of the emulator's 16
        // orders is plain reverse order, in which no thread would: the launch count is set so that the
        // launch below takes a shuffled one, whatever ran before in this JVM.
        Device.Kernel k = device.kernel("thinj_test_neighbour");
        Emulator.restartLaunchCount(0);
        long previous = floats(ramp(256, -1000));
        long out = zeros(256);
        device.launch(k, 1, 256, new KernelArgs().ptr(previous).ptr(out).i32(1), stream);  // shared = old values
        float[] x = ramp(256, 1);
        long in = floats(x);
        device.launch(k, 1, 256, new KernelArgs().ptr(in).ptr(out).i32(0), stream);
        float[] got = read(out, 256);
        int stale = 0;
        for (int t = 0; t < 256; t++) {
            if (got[t] != x[(t + 1) % 256]) {
                stale++;
            }
        }
        assertThat(stale).as("threads that read a neighbour's stale slot").isBetween(10, 246);
    }

    @Test
    void anOrderDependentResultChangesFromLaunchToLaunch() {
        // Large and small values: a float sum of them depends on the order of the additions.
        float[] x = new float[256];
        for (int t = 0; t < 256; t++) {
            x[t] = t % 3 == 0 ? 1.0e7f * (t % 2 == 0 ? 1 : -1) : 0.3f + t;
        }
        long in = floats(x);
        long out = zeros(1);
        Emulator.restartLaunchCount(0);  // the same 8 orders in every run, not those the launch count gives
        java.util.Set<Float> sums = new java.util.HashSet<>();
        for (int launch = 0; launch < 8; launch++) {
            device.memset(out, 0, 4, stream);
            device.launch(device.kernel("thinj_test_atomic_sum"), 1, 256, new KernelArgs().ptr(in).ptr(out), stream);
            sums.add(read(out, 1)[0]);
        }
        assertThat(sums).as("float atomicAdd sums over 8 launches").hasSizeGreaterThan(1);
    }

    @Test
    void sharedMemoryStartsAsNanInEveryBlock() {
        // The kernel reads its slot before writing it: on a GPU that is whatever the memory held (here
        // it would be the previous block's values); the emulator makes it NaN.
        long in = floats(ramp(512, 1));
        long out = zeros(512);
        device.launch(device.kernel("thinj_test_shared_unwritten"), 2, 256, new KernelArgs().ptr(in).ptr(out), stream);
        for (float f : read(out, 512)) {
            assertThat(f).isNaN();
        }
    }

    @Test
    void blocksRunInAnOrderThatChangesFromLaunchToLaunch() {
        int blocks = 12;
        long order = device.malloc(4L * blocks);
        allocations.add(order);
        long counter = device.malloc(4);
        allocations.add(counter);
        java.util.Set<List<Integer>> orders = new java.util.HashSet<>();
        for (int launch = 0; launch < 4; launch++) {
            device.memset(counter, 0, 4, stream);
            device.launch(device.kernel("thinj_test_block_order"), blocks, 32,
                    new KernelArgs().ptr(order).ptr(counter), stream);
            int[] got = new int[blocks];
            device.download(got, 0, order, blocks, stream);
            assertThat(got).as("each block runs once").containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            orders.add(Arrays.stream(got).boxed().toList());
        }
        assertThat(orders).as("block orders over 4 launches").hasSizeGreaterThan(1);
    }

    @Test
    void barrierDivergenceIsReported() {
        long out = zeros(256);
        assertThatThrownBy(() -> device.launch(device.kernel("thinj_test_divergent_barrier"), 1, 256,
                new KernelArgs().ptr(out), stream))
                .isInstanceOf(CudaException.class)
                .hasMessageContaining("thinj_test_divergent_barrier")
                .hasMessageContaining("128 of 256 threads wait at __syncthreads() (emu_test_kernels.cu:");
        assertThatThrownBy(() -> device.launch(device.kernel("thinj_test_split_barrier"), 1, 256,
                new KernelArgs().ptr(out), stream))
                .isInstanceOf(CudaException.class)
                .hasMessageContaining("thinj_test_split_barrier")
                .hasMessageContaining("different __syncthreads()");
        // The scheduler is usable after an abandoned launch.
        aBarrierMakesNeighboursWritesVisible();
    }

    @Test
    void blockReductionsOfCommonHeaderMatchTheHost() {
        SplittableRandom random = new SplittableRandom(7);
        for (int cols : new int[] {1, 5, 255, 256, 257, 1000}) {
            int rows = 3;
            float[] x = new float[rows * cols];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble(-4, 4);
            }
            long in = floats(x);
            long out = zeros(2 * rows);
            device.launch(device.kernel("thinj_test_row_sum_max"), rows, 256,
                    new KernelArgs().ptr(in).i32(cols).ptr(out), stream);
            float[] got = read(out, 2 * rows);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    sum += x[r * cols + j];
                    max = Math.max(max, x[r * cols + j]);
                }
                assertThat((double) got[2 * r]).as("sum of row %d of %d", r, cols)
                        .isCloseTo(sum, within(1e-4 * (1 + Math.abs(sum))));
                assertThat(got[2 * r + 1]).as("max of row %d of %d", r, cols).isEqualTo(max);
            }
        }
    }

    @Test
    void everyParameterTypeArrivesInItsSlot() {
        long out = device.malloc(6 * 8);
        allocations.add(out);
        int[] three = {3};
        long p = device.malloc(4);
        allocations.add(p);
        device.upload(p, three, 0, 1, stream);
        device.launch(device.kernel("thinj_test_param_types"), 1, 32, new KernelArgs().ptr(out).i32(-7)
                .i64(1L << 40).f32(0.5f).f64(-2.25).i64(1L << 52).ptr(p), stream);
        float[] raw = read(out, 12);
        double[] got = new double[6];
        for (int i = 0; i < 6; i++) {
            long bits = (Float.floatToRawIntBits(raw[2 * i]) & 0xffffffffL)
                    | ((long) Float.floatToRawIntBits(raw[2 * i + 1]) << 32);
            got[i] = Double.longBitsToDouble(bits);
        }
        assertThat(got).containsExactly(-7, 1L << 40, 0.5, -2.25, 1L << 52, 3);
    }

    @Test
    void launchesAreCounted() {
        long out = zeros(256);
        Device.Kernel k = device.kernel("thinj_test_neighbour");
        device.launch(k, 1, 256, new KernelArgs().ptr(floats(ramp(256, 0))).ptr(out).i32(1), stream);
        device.launch(k, 1, 256, new KernelArgs().ptr(out).ptr(out).i32(1), stream);
        assertThat(device.launchCount("thinj_test_neighbour")).isEqualTo(2);
        assertThat(device.launchCounts()).containsEntry("thinj_test_neighbour", 2L);
        assertThat(device.launchCount("thinj_add")).isZero();
    }

    // ---- GEMM --------------------------------------------------------------------------------------

    @Test
    void sgemmMatchesColumnMajorReferenceForEveryTransposeAndPadding() {
        SplittableRandom random = new SplittableRandom(11);
        int m = 5;
        int n = 3;
        int k = 4;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int aRows = ta ? k : m;
                int aCols = ta ? m : k;
                int bRows = tb ? n : k;
                int bCols = tb ? k : n;
                int lda = aRows + 2;
                int ldb = bRows + 1;
                int ldc = m + 3;
                float[] a = randoms(random, lda * aCols);
                float[] b = randoms(random, ldb * bCols);
                float[] c = randoms(random, ldc * n);
                long pa = floats(a);
                long pb = floats(b);
                long pc = floats(c);
                device.sgemm(ta, tb, m, n, k, 1.5f, pa, lda, pb, ldb, 0.5f, pc, ldc, stream);
                float[] got = read(pc, ldc * n);
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < ldc; i++) {
                        if (i >= m) {
                            assertThat(got[j * ldc + i]).as("padding of C untouched").isEqualTo(c[j * ldc + i]);
                            continue;
                        }
                        double dot = 0;
                        for (int l = 0; l < k; l++) {
                            double av = ta ? a[i * lda + l] : a[l * lda + i];
                            double bv = tb ? b[l * ldb + j] : b[j * ldb + l];
                            dot += av * bv;
                        }
                        double expected = 1.5 * dot + 0.5 * c[j * ldc + i];
                        assertThat((double) got[j * ldc + i]).as("C(%d,%d) transA=%s transB=%s", i, j, ta, tb)
                                .isCloseTo(expected, within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void sgemmWithBetaZeroIgnoresNanInC() {
        long a = floats(1, 2, 3, 4);  // 2x2 column-major
        long b = floats(1, 0, 0, 1);
        long c = floats(Float.NaN, Float.NaN, Float.NaN, Float.NaN);
        device.sgemm(false, false, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2, stream);
        assertThat(read(c, 4)).containsExactly(1, 2, 3, 4);
        long d = floats(1, 1, 1, 1);
        long nan = floats(Float.NaN, Float.NaN, Float.NaN, Float.NaN);
        device.sgemm(false, false, 2, 2, 2, 0f, nan, 2, nan, 2, 2f, d, 2, stream);  // alpha 0: A, B unread
        assertThat(read(d, 4)).containsExactly(2, 2, 2, 2);
        long e = floats(5, 5, 5, 5);
        device.sgemm(false, false, 2, 2, 0, 1f, a, 2, b, 2, 0f, e, 2, stream);  // k = 0: C = beta * C
        assertThat(read(e, 4)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void sgemmRejectsBadLeadingDimensionsAndOutOfRangeOperands() {
        long a = floats(new float[6]);
        long b = floats(new float[6]);
        long c = floats(new float[6]);
        assertThatThrownBy(() -> device.sgemm(false, false, 3, 2, 2, 1f, a, 2, b, 2, 0f, c, 3, stream))
                .isInstanceOf(CudaException.class).hasMessageContaining("lda=2")
                .hasMessageContaining("CUBLAS_STATUS_INVALID_VALUE");
        assertThatThrownBy(() -> device.sgemm(false, false, 3, 3, 2, 1f, a, 3, b, 2, 0f, c, 3, stream))
                .isInstanceOf(CudaException.class).hasMessageContaining("illegal address");
    }

    private static float[] randoms(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    // ---- checks a GPU would not make ---------------------------------------------------------------

    @Test
    void wrongArgumentCountNamesKernelAndSource() {
        long out = zeros(256);
        assertThatThrownBy(() -> device.launch(device.kernel("thinj_test_neighbour"), 1, 256,
                new KernelArgs().ptr(out).ptr(out), stream))
                .isInstanceOf(CudaException.class)
                .hasMessageContaining("thinj_test_neighbour")
                .hasMessageContaining("2 arguments")
                .hasMessageContaining("emu_test_kernels.cu declares 3 parameters");
    }

    @Test
    void pointerArgumentOutsideEveryAllocationIsRefused() {
        long out = zeros(256);
        assertThatThrownBy(() -> device.launch(device.kernel("thinj_test_neighbour"), 1, 256,
                new KernelArgs().i64(256).ptr(out).i32(1), stream))  // a size where a pointer belongs
                .isInstanceOf(CudaException.class)
                .hasMessageContaining("pointer parameter 0 is 0x100");
        long freed = device.malloc(1024);
        device.free(freed);
        assertThatThrownBy(() -> device.launch(device.kernel("thinj_test_neighbour"), 1, 256,
                new KernelArgs().ptr(freed).ptr(out).i32(1), stream))
                .isInstanceOf(CudaException.class)
                .hasMessageContaining("not inside any live allocation");
    }

    @Test
    void unknownKernelAndBadLaunchShapesAreRefused() {
        assertThatThrownBy(() -> device.kernel("thinj_no_such_kernel")).isInstanceOf(CudaException.class)
                .hasMessageContaining("thinj_no_such_kernel");
        long out = zeros(256);
        KernelArgs args = new KernelArgs().ptr(out);
        Device.Kernel k = device.kernel("thinj_test_divergent_barrier");
        assertThatThrownBy(() -> device.launch(k, 1, 1025, args, stream)).isInstanceOf(CudaException.class)
                .hasMessageContaining("block=1025");
        assertThatThrownBy(() -> device.launch(k, 0, 256, args, stream)).isInstanceOf(CudaException.class)
                .hasMessageContaining("grid=0");
    }

    @Test
    void copiesOutsideAnAllocationAndDoubleFreesAreRefused() {
        long a = device.malloc(16);
        allocations.add(a);
        assertThatThrownBy(() -> device.upload(a, new float[5], 0, 5, stream)).isInstanceOf(CudaException.class)
                .hasMessageContaining("illegal address").hasMessageContaining("20 bytes");
        assertThatThrownBy(() -> device.download(new float[8], 0, a + 8, 3, stream))
                .isInstanceOf(CudaException.class);
        long b = device.malloc(16);
        assertThatThrownBy(() -> device.copy(b, a, 32, stream)).isInstanceOf(CudaException.class);
        assertThatThrownBy(() -> device.memset(a, 0, 17, stream)).isInstanceOf(CudaException.class);
        device.free(b);
        assertThatThrownBy(() -> device.free(b)).isInstanceOf(CudaException.class).hasMessageContaining("freed twice");
        assertThatThrownBy(() -> device.upload(a, new float[4], 2, 4, stream))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void freshMemoryIsNotZeroedAndAligned() {
        long a = device.malloc(16);
        allocations.add(a);
        long b = device.malloc(1000);
        allocations.add(b);
        assertThat(a % 256).isZero();
        assertThat(b % 256).isZero();
        for (float f : read(a, 4)) {
            assertThat(f).isNaN();  // 0xFF bytes, as uninitialised GPU memory is anything but zeros
        }
    }

    @Test
    void allocationsBeyondTheGuardedOnesStillWork() {
        // Past 20,000 live allocations the emulator stops adding guard pages (the process's memory
        // map count is limited); such allocations behave the same.
        long[] many = new long[20_100];
        for (int i = 0; i < many.length; i++) {
            many[i] = device.malloc(16);
        }
        long last = many[many.length - 1];
        assertThat(last % 256).isZero();
        device.upload(last, new float[] {1, 2, 3, 4}, 0, 4, stream);
        assertThat(read(last, 4)).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> device.upload(last, new float[5], 0, 5, stream)).isInstanceOf(CudaException.class);
        for (long a : many) {
            device.free(a);
        }
        assertThat(device.usedBytes()).isEqualTo(allocations.size() * 16L);
    }

    @Test
    void pinnedMemoryCopiesToTheDevice() {
        long pinned = device.mallocPinned(16);
        device.writePinned(pinned, new float[] {1, 2, 3, 4}, 0, 4);
        long a = zeros(4);
        device.copyFromPinned(a, pinned, 16, stream);
        assertThat(read(a, 4)).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> device.download(new float[4], 0, pinned, 4, stream))
                .as("pinned memory is not device memory").isInstanceOf(CudaException.class);
        device.freePinned(pinned);
    }

    @Test
    void capacityLimitGivesOutOfMemoryNamingRequestAndFreeMemory() {
        EmulatedDevice small = new EmulatedDevice(1000);
        long a = small.malloc(600);
        assertThat(small.memoryInfo()).containsExactly(400, 1000);
        assertThatThrownBy(() -> small.malloc(500)).isInstanceOf(DeviceOutOfMemoryException.class)
                .hasMessageContaining("requested 500 bytes").hasMessageContaining("free 400 of 1000 bytes");
        small.free(a);
        assertThat(small.memoryInfo()).containsExactly(1000, 1000);
        small.free(small.malloc(1000));
        small.close();
    }

    @Test
    void streamsAndEventsAreCheckedHandles() {
        long event = device.createEvent();
        device.recordEvent(event, stream);
        device.streamWaitEvent(stream, event);
        assertThat(device.eventDone(event)).isTrue();
        device.synchronizeEvent(event);
        device.destroyEvent(event);
        assertThatThrownBy(() -> device.eventDone(event)).isInstanceOf(CudaException.class);
        assertThatThrownBy(() -> device.synchronizeStream(stream + 1000)).isInstanceOf(CudaException.class);
        device.synchronizeStream(0);  // the legacy default stream always exists
    }

    @Test
    void registryHoldsEveryKernelOfTheSources() {
        assertThat(Arrays.asList(EmulatedDevice.kernelNames())).contains("thinj_add", "thinj_partial_sums",
                "thinj_finish_sum", "thinj_test_neighbour").doesNotHaveDuplicates();
    }
}
