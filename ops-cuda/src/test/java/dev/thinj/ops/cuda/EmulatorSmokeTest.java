package dev.thinj.ops.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.cuda.emulated.Emulated;
import dev.thinj.ops.cuda.emulated.RequiresEmulator;
import dev.thinj.ops.cuda.emulated.EmulatedDevice;
import org.junit.jupiter.api.Test;

/**
 * The emulated device end to end through the real {@link CudaOps}: arrays uploaded through
 * {@link CudaContext} (independent of the array kernels), elementwise kernels and two-pass sums from
 * {@code native/elementwise.cu}, downloads. Sizes cross the grid-stride cap so the loops iterate.
 */
@RequiresEmulator
class EmulatorSmokeTest {
    private static CudaOps ops() {
        return Emulated.ops();
    }

    private static float[] values(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((i * 37) % 101 - 50) * scale;
        }
        return v;
    }

    private static CudaFloatArray upload(float[] v, int... shape) {
        return ops().context().upload("smoke", v, 0, shape);
    }

    @Test
    void uploadDownloadRoundTrip() {
        float[] v = values(1000, 0.5f);
        try (CudaFloatArray a = upload(v, 10, 100)) {
            assertThat(a.toFloatArray()).containsExactly(v);
            assertThat(a.get(3, 7)).isEqualTo(v[307]);
        }
    }

    @Test
    void elementwiseMatchesHostArithmetic() {
        int n = 5000;  // > 4 blocks * 256 threads: each thread loops
        float[] x = values(n, 0.25f);
        float[] y = values(n, -0.125f);
        try (CudaFloatArray a = upload(x, n); CudaFloatArray b = upload(y, n);
                FloatArray sum = ops().add(a, b); FloatArray diff = ops().sub(a, b);
                FloatArray prod = ops().mul(a, b); FloatArray scaled = ops().scale(a, 3f)) {
            float[] s = sum.toFloatArray();
            float[] d = diff.toFloatArray();
            float[] p = prod.toFloatArray();
            float[] c = scaled.toFloatArray();
            for (int i = 0; i < n; i++) {
                assertThat(s[i]).isEqualTo(x[i] + y[i]);
                assertThat(d[i]).isEqualTo(x[i] - y[i]);
                assertThat(p[i]).isEqualTo(x[i] * y[i]);
                assertThat(c[i]).isEqualTo(x[i] * 3f);
            }
            ops().axpy(2f, a, b);
            ops().addInPlace(a, b);
            float[] after = a.toFloatArray();
            for (int i = 0; i < n; i++) {
                assertThat(after[i]).isEqualTo(x[i] + (y[i] + 2f * x[i]));
            }
        }
    }

    @Test
    void sumsReduceAcrossBlocks() {
        for (int n : new int[] {1, 255, 256, 257, 1024, 1025, 100_003}) {
            float[] x = values(n, 0.01f);
            double expected = 0;
            double squares = 0;
            for (float f : x) {
                expected += f;
                squares += (double) f * f;
            }
            try (CudaFloatArray a = upload(x, n); FloatArray s = ops().sum(a); FloatArray q = ops().sumOfSquares(a)) {
                assertThat(s.toFloatArray()[0]).as("sum of %d", n).isCloseTo((float) expected, within(1e-3f));
                assertThat(q.toFloatArray()[0]).as("sum of squares of %d", n)
                        .isCloseTo((float) squares, within((float) (squares * 1e-6) + 1e-6f));
            }
        }
    }

    @Test
    void closingTheBackendFreesLiveArraysWhichReportClosed() {
        EmulatedDevice device = new EmulatedDevice(16L << 20);
        CudaOps own = new CudaOps(device, 1L << 30);
        CudaFloatArray a = own.context().upload("smoke", values(100, 1f), 0, new int[] {10, 10});
        FloatArray view = a.reshape(100);
        FloatArray b = own.add(a, a);
        assertThat(device.usedBytes()).isPositive();
        own.close();
        assertThat(a.isClosed()).isTrue();
        assertThat(view.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
        assertThat(device.usedBytes()).as("device memory after close").isZero();
        assertThatThrownBy(a::toFloatArray).isInstanceOf(ArrayStateException.class)
                .hasMessageContaining("its CUDA backend was closed");
    }

    @Test
    void launchesAreCountedPerKernel() {
        EmulatedDevice device = Emulated.device();
        long before = device.launchCount("thinj_add");
        try (CudaFloatArray a = upload(values(10, 1f), 10); FloatArray b = ops().add(a, a)) {
            assertThat(b.toFloatArray()[1]).isEqualTo(2 * values(10, 1f)[1]);
        }
        assertThat(device.launchCount("thinj_add")).isEqualTo(before + 1);
    }
}
