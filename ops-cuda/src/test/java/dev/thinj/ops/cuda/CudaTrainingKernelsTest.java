package dev.thinj.ops.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.NumericException;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.cuda.emulated.Emulated;
import dev.thinj.ops.cuda.emulated.EmulatedDevice;
import dev.thinj.ops.cuda.emulated.RequiresEmulator;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the conformance suite cannot see of {@link CudaNormalization}, {@link CudaReductions},
 * {@link CudaOptimizers} and {@link CudaLosses}: shapes that make the kernels' loops and chunkings
 * iterate (rows longer than a block, batches taller than one chunk, sequences longer than the grid),
 * reproducibility of the two-pass column sums, the summation order of the sequence sums, and the
 * faults found on the device (a NaN gradient norm, a device-made {@code which} outside its sequence),
 * reported at the next synchronisation. Runs on the emulated device.
 */
@RequiresEmulator
class CudaTrainingKernelsTest {
    private static CudaOps ops;

    @BeforeAll
    static void backend() {
        ops = Emulated.ops();
    }

    private static float[] uniform(Random rnd, int n, float low, float high) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = low + (high - low) * rnd.nextFloat();
        }
        return v;
    }

    @Test
    void layerNormParamGradientsOfATallNarrowBatchAreExactSumsAndReproducible() {
        // 2,000 rows of 3 columns: the gain and bias gradients split the rows into several chunks.
        int rows = 2000;
        int n = 3;
        Random rnd = new Random(7);
        float[] x = uniform(rnd, rows * n, -2f, 3f);
        float[] dy = uniform(rnd, rows * n, -1f, 1f);
        float[] gain = {0.5f, 1f, 1.5f};
        FloatArray dx = ops.asArray(x, rows, n);
        FloatArray dg = ops.asArray(gain);
        LayerNormResult forward = ops.layerNorm(dx, dg, ops.asArray(new float[] {0f, 0.1f, -0.1f}));
        float[] mean = forward.mean().toFloatArray();
        float[] var = forward.variance().toFloatArray();

        double[] expectG = {1, 2, 3};  // the accumulators start at these values
        double[] expectB = {-1, 0, 1};
        for (int r = 0; r < rows; r++) {
            float invStd = (float) (1.0 / Math.sqrt(var[r]));
            for (int j = 0; j < n; j++) {
                float d = dy[r * n + j];
                expectG[j] += d * (x[r * n + j] - mean[r]) * invStd;
                expectB[j] += d;
            }
        }
        float[] first = null;
        for (int run = 0; run < 2; run++) {
            FloatArray dGain = ops.asArray(new float[] {1, 2, 3});
            FloatArray dBias = ops.asArray(new float[] {-1, 0, 1});
            ops.backpropLayerNorm(ops.asArray(dy, rows, n), dx, dg, forward, dGain, dBias);
            float[] g = dGain.toFloatArray();
            float[] b = dBias.toFloatArray();
            for (int j = 0; j < n; j++) {
                assertThat((double) g[j]).as("dGain[%d] run %d", j, run).isCloseTo(expectG[j], within(1e-3));
                assertThat((double) b[j]).as("dBias[%d] run %d", j, run).isCloseTo(expectB[j], within(1e-3));
            }
            if (first == null) {
                first = g;
            } else {
                assertThat(g).as("two runs give the same bits").containsExactly(first);
            }
        }
    }

    @Test
    void layerNormOfRowsLongerThanABlock() {
        int n = 1000;  // four times the block: every thread loops
        Random rnd = new Random(3);
        float[] x = uniform(rnd, 2 * n, -1f, 4f);
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        LayerNormResult r = ops.layerNorm(ops.asArray(x, 2, n), ops.asArray(ones), ops.alloc(n));
        float[] y = r.output().toFloatArray();
        for (int row = 0; row < 2; row++) {
            double s = 0;
            double ss = 0;
            for (int j = 0; j < n; j++) {
                s += x[row * n + j];
            }
            double mu = s / n;
            for (int j = 0; j < n; j++) {
                ss += (x[row * n + j] - mu) * (x[row * n + j] - mu);
            }
            assertThat((double) r.mean().get(row)).as("mean of row %d", row).isCloseTo(mu, within(1e-5));
            assertThat((double) r.variance().get(row)).as("variance of row %d", row).isCloseTo(ss / n + 1e-8, within(1e-5));
            double check = 0;
            for (int j = 0; j < n; j++) {
                check += y[row * n + j];
            }
            assertThat(check / n).as("normalised row %d has zero mean", row).isCloseTo(0.0, within(1e-5));
        }
    }

    @Test
    void sequenceSumsAddRowsInOrderLikeTheCpu() {
        // One sequence of 3,000 rows, longer than the grid: each output adds its column in row order in
        // float, so the result is bit-identical to a sequential float loop.
        int rows = 3000;
        int n = 5;
        Random rnd = new Random(11);
        float[] x = uniform(rnd, rows * n, -1f, 1f);
        int[] lengths = {0, 1000, 2000, 0};
        float[] sum = ops.reduceSum(ops.asArray(x, rows, n), ops.asInts(lengths)).toFloatArray();
        float[] mean = ops.reduceMean(ops.asArray(x, rows, n), ops.asInts(lengths)).toFloatArray();
        int start = 0;
        for (int s = 0; s < lengths.length; s++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int r = start; r < start + lengths[s]; r++) {
                    acc += x[r * n + j];
                }
                assertThat(sum[s * n + j]).as("sum[%d, %d]", s, j).isEqualTo(acc);
                float m = lengths[s] > 0 ? acc * (1f / lengths[s]) : 0f;
                assertThat(mean[s * n + j]).as("mean[%d, %d]", s, j).isEqualTo(m);
            }
            start += lengths[s];
        }
    }

    @Test
    void backpropReduceMeanFindsTheSequenceOfEveryRowPastEmptyOnes() {
        int[] lengths = {0, 2, 0, 0, 3, 1, 0};
        float[] dy = new float[lengths.length * 2];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = i + 1;
        }
        float[] dx = ops.backpropReduceMean(ops.asArray(dy, lengths.length, 2), ops.asInts(lengths)).toFloatArray();
        assertThat(dx).as("rows of sequences 1, 4 and 5, each dY / length").containsExactly(
                3f / 2, 4f / 2, 3f / 2, 4f / 2,
                9f / 3, 10f / 3, 9f / 3, 10f / 3, 9f / 3, 10f / 3,
                11f, 12f);
    }

    @Test
    void reduceMaxBackpropChecksADeviceMadeWhichOnTheDevice() {
        FloatArray x = ops.asArray(new float[] {1, 9, 4, 2, 4, 3, 0, 0, 7, 8}, 5, 2);
        IntArray lengths = ops.asInts(new int[] {3, 2});
        MaxResult r = ops.reduceMax(x, lengths);
        CudaIntArray which = (CudaIntArray) r.which();
        assertThat(which.knownHostValues()).as("reduceMax's which is computed on the device").isNull();

        FloatArray dX = ops.backpropReduceMax(ops.asArray(new float[] {10, 20, 30, 40}, 2, 2), which, lengths);

        assertThat(which.knownHostValues()).as("backpropReduceMax did not download which").isNull();
        assertThat(dX.toFloatArray()).as("backpropReduceMax").containsExactly(0, 20, 10, 0, 0, 0, 0, 0, 30, 40);
        assertThat(r.max().toFloatArray()).as("reduceMax max").containsExactly(4, 9, 7, 8);
        assertThat(which.toIntArray()).as("reduceMax which: the first row holding the maximum")
                .containsExactly(1, 0, 1, 1);

        // The same rows against lengths [1, 4]: which[0, 0] = 1 lies outside a sequence of one row.
        FloatArray bad = ops.backpropReduceMax(ops.alloc(2, 2), ops.reduceMax(x, lengths).which(),
                ops.asInts(new int[] {1, 4}));
        assertThat(catchThrowable(bad::toFloatArray)).as("a device-made which checked on the device")
                .isInstanceOf(ShapeException.class).hasMessageContaining("backpropReduceMax");
        ops.synchronize();  // reported once, then cleared
        assertThatThrownBy(() -> ops.backpropReduceMax(ops.alloc(2, 2), which, ops.asInts(new int[] {1, 4})))
                .as("a which whose values the host knows is checked at the call").isInstanceOf(ShapeException.class)
                .hasMessageContaining("which[0, 0] = 1 is outside its sequence of length 1");
    }

    @Test
    void clipGradientReportsANaNNormAtTheNextSynchronisationAndLeavesTheGradient() {
        EmulatedDevice device = Emulated.device();
        float[] values = uniform(new Random(5), 5000, -1f, 1f);
        values[4999] = Float.NaN;
        FloatArray g = ops.asArray(values);
        long scales = device.launchCount("thinj_clip_scale");

        ops.clipGradient(g, 0.5f);  // nothing waits here: the fault is on the device

        assertThat(device.launchCount("thinj_clip_scale")).as("clipGradient enqueued its rescale").isEqualTo(scales + 1);
        assertThatThrownBy(ops::synchronize).isInstanceOf(NumericException.class).hasMessageContaining("clipGradient");
        ops.synchronize();  // reported once, then cleared
        float[] after = g.toFloatArray();
        assertThat(after[0]).as("a NaN norm leaves the gradient as it was").isEqualTo(values[0]);
    }

    @Test
    void clipGradientOfZerosWithThresholdZeroStaysZero() {
        // Thinc would divide by the zero norm; the norm > 0 guard keeps zeros (no NaN).
        FloatArray g = ops.alloc(300);
        ops.clipGradient(g, 0f);
        assertThat(g.toFloatArray()).as("clipped zeros").containsOnly(0f);
        FloatArray big = ops.asArray(new float[] {3f, 4f});
        ops.clipGradient(big, 0f);
        assertThat(big.toFloatArray()).as("threshold 0 rescales to norm 0").containsExactly(0f, 0f);
    }

    @Test
    void allInRangeTreatsNaNAsOutside() {
        float[] v = new float[1000];
        v[777] = Float.NaN;
        assertThat(ops.allInRange(ops.asArray(v), -1f, 1f)).as("a NaN is in no range").isFalse();
        v[777] = 0.5f;
        assertThat(ops.allInRange(ops.asArray(v), -1f, 1f)).as("all in range").isTrue();
    }

    @Test
    void cosineDistanceOfRowsLongerThanABlock() {
        int rows = 3;
        int n = 600;
        Random rnd = new Random(13);
        float[] g = uniform(rnd, rows * n, -1f, 1f);
        float[] t = uniform(rnd, rows * n, -1f, 1f);
        CosineDistanceResult r = ops.cosineDistance(ops.asArray(g, rows, n), ops.asArray(t, rows, n), false, 0.5f);
        double loss = 0;
        float[] grad = r.gradient().toFloatArray();
        for (int i = 0; i < rows; i++) {
            double a = 0;
            double b = 0;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                double yh = g[i * n + j] + 1e-8;
                double y = t[i * n + j] + 1e-8;
                a += yh * yh;
                b += y * y;
                dot += yh * y;
            }
            double cos = dot / (Math.sqrt(a) * Math.sqrt(b));
            loss += Math.abs(cos - 1) * 0.5;
            int j = n - 1;
            double yh = g[i * n + j] + 1e-8;
            double y = t[i * n + j] + 1e-8;
            double d = y / (Math.sqrt(a) * Math.sqrt(b)) - cos * (yh / a);
            assertThat((double) grad[i * n + j]).as("gradient of the last column, row %d", i).isCloseTo(-d * 0.5,
                    within(1e-6));
        }
        assertThat((double) r.loss().item()).as("loss").isCloseTo(loss, within(1e-5));
    }
}
