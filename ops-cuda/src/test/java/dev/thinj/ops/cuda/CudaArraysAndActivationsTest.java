package dev.thinj.ops.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.cuda.emulated.Emulated;
import dev.thinj.ops.cuda.emulated.RequiresEmulator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * What the conformance suite cannot see of {@link CudaArrays}, {@link CudaLinear} and
 * {@link CudaActivations}: which int arrays keep their values on the host (so index checks need no
 * download), and the block-level reductions on rows longer than a block, with ties and NaNs spread
 * over different threads. Runs on the emulated device.
 */
@RequiresEmulator
class CudaArraysAndActivationsTest {
    private static CudaOps ops;

    @BeforeAll
    static void backend() {
        ops = Emulated.ops();
    }

    @Test
    void hostMadeIntArraysKeepTheirValuesThroughSliceGatherAndCopy() {
        CudaIntArray x = (CudaIntArray) ops.asInts(new int[] {10, 11, 20, 21, 30, 31}, 3, 2);
        assertThat(x.knownHostValues()).as("asInts keeps the host values").containsExactly(10, 11, 20, 21, 30, 31);
        assertThat(((CudaIntArray) ops.allocInts(2, 2)).knownHostValues()).as("allocInts: zeros known on the host")
                .containsExactly(0, 0, 0, 0);

        CudaIntArray slice = (CudaIntArray) ops.sliceRows(x, 1, 3);
        assertThat(slice.knownHostValues()).as("sliceRows of a host-known array").containsExactly(20, 21, 30, 31);

        CudaIntArray gathered = (CudaIntArray) ops.gatherRows(x, ops.asInts(new int[] {2, 0, 2}));
        assertThat(gathered.knownHostValues()).as("gatherRows of a host-known array")
                .containsExactly(30, 31, 10, 11, 30, 31);

        CudaIntArray copy = (CudaIntArray) ops.asInts(x);
        assertThat(copy.knownHostValues()).as("asInts(same backend) keeps the host values")
                .containsExactly(10, 11, 20, 21, 30, 31);

        ops.copyFromHost(x, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 2);
        assertThat(x.knownHostValues()).as("copyFromHost updates the host copy").containsExactly(2, 3, 4, 5, 6, 7);
        ops.synchronize();
        assertThat(slice.toIntArray()).as("the slice was a copy").containsExactly(20, 21, 30, 31);
    }

    @Test
    void deviceComputedIntArraysHaveNoHostValuesUntilRead() {
        FloatArray x = ops.asArray(new float[] {1, 5, 2, 7, 3, 0, 4, 4, 9, 1, 8, 2}, 2, 2, 3);
        MaxResult r = ops.maxout(x);
        CudaIntArray which = (CudaIntArray) r.which();
        assertThat(which.knownHostValues()).as("maxout's which is computed on the device").isNull();
        assertThat(which.toIntArray()).as("maxout which").containsExactly(1, 0, 2, 1);
        assertThat(r.max().toFloatArray()).as("maxout max").containsExactly(5, 7, 9, 8);

        // backpropMaxout checks a device-made `which` on the device: no download, and a bad index is
        // reported at the next synchronisation.
        MaxResult fresh = ops.maxout(x);
        FloatArray dX = ops.backpropMaxout(ops.asArray(new float[] {1, 2, 3, 4}, 2, 2), fresh.which(), 3);
        assertThat(((CudaIntArray) fresh.which()).knownHostValues()).as("backpropMaxout did not download which")
                .isNull();
        assertThat(dX.toFloatArray()).as("backpropMaxout with maxout's own which")
                .containsExactly(0, 1, 0, 2, 0, 0, 0, 0, 3, 0, 4, 0);
        FloatArray bad = ops.backpropMaxout(ops.alloc(2, 2), ops.maxout(x).which(), 2);
        assertThat(catchThrowable(bad::toFloatArray)).as("piece index 2 with 2 pieces, found on the device")
                .isInstanceOf(ShapeException.class).hasMessageContaining("backpropMaxout");
        ops.synchronize();  // the fault was reported once and cleared
        assertThat(catchThrowable(() -> ops.backpropMaxout(ops.alloc(2, 2), r.which(), 2)))
                .as("a which whose values the host knows is checked at the call").isInstanceOf(ShapeException.class)
                .hasMessageContaining("piece index 2");

        IntArray argmax = ops.argmax(ops.asArray(new float[] {1, 2, 2, 1}, 2, 2));
        CudaIntArray slice = (CudaIntArray) ops.sliceRows(argmax, 0, 2);
        assertThat(slice.knownHostValues()).as("a slice of a device-computed array").isNull();
        assertThat(slice.toIntArray()).as("argmax then slice").containsExactly(1, 0);

        // A device-made index array still gathers (its values are downloaded once for the range check).
        FloatArray rows = ops.asArray(new float[] {0, 1, 2, 3, 4, 5}, 3, 2);
        IntArray idx = ops.argmax(ops.asArray(new float[] {0, 0, 9, 9, 0, 0}, 2, 3));
        assertThat(ops.gatherRows(rows, idx).toFloatArray()).as("gather by argmax indices").containsExactly(4, 5, 0, 1);
    }

    @Test
    void argmaxOfLongRowsTakesTheFirstMaximumAcrossThreads() {
        int n = 1000;
        float[] x = new float[3 * n];
        for (int j = 0; j < n; j++) {
            x[j] = j % 97;                       // row 0: the maximum 96 first at column 96
            x[n + j] = -1f;                      // row 1: ties everywhere, then NaNs (the first NaN wins, as the CPU)
            x[2 * n + j] = j == 999 ? 5f : 4f;   // row 2: the maximum in the last column
        }
        x[n + 700] = Float.NaN;
        x[n + 900] = Float.NaN;
        assertThat(ops.argmax(ops.asArray(x, 3, n)).toIntArray()).containsExactly(96, 700, 999);
        // Narrow rows take the thread-per-row kernel: the same rule.
        float[] narrow = {-1, Float.NaN, 3, Float.NaN, 2, 7, 7, 1};
        assertThat(ops.argmax(ops.asArray(narrow, 2, 4)).toIntArray()).as("narrow rows").containsExactly(1, 1);
    }

    @Test
    void softmaxOfLongRowsSumsToOneAndMatchesTheFormula() {
        int n = 777;
        float[] x = new float[2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37) * 20f;
        }
        float[] y = ops.softmax(ops.asArray(x, 2, n), 0.5f, false).toFloatArray();
        for (int r = 0; r < 2; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, x[r * n + j] * 2.0);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x[r * n + j] * 2.0 - max);
            }
            for (int j = 0; j < n; j++) {
                double expected = Math.exp(x[r * n + j] * 2.0 - max) / sum;
                assertThat((double) y[r * n + j]).as("softmax[%d, %d]", r, j).isCloseTo(expected,
                        Offset.offset(1e-6 + 1e-5 * expected));
            }
        }
    }

    @Test
    void sumRowsOfTallArraysIsDeterministicAndAccumulates() {
        int rows = 5000;
        int cols = 45;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(i * 0.013) + 0.5f;
        }
        FloatArray a = ops.asArray(x, rows, cols);
        FloatArray out = ops.asArray(filled(cols, 3f));
        ops.sumRows(a, out, true);
        float[] first = out.toFloatArray();
        for (int j = 0; j < cols; j++) {
            double s = 3;
            for (int r = 0; r < rows; r++) {
                s += x[r * cols + j];
            }
            assertThat((double) first[j]).as("column %d", j).isCloseTo(s, Offset.offset(1e-4 * rows));
        }
        FloatArray again = ops.asArray(filled(cols, 3f));
        ops.sumRows(a, again, true);
        assertThat(again.toFloatArray()).as("the same bits on a second run").containsExactly(first);
        FloatArray fresh = ops.asArray(filled(cols, Float.NaN));
        ops.sumRows(a, fresh, false);
        float[] f = fresh.toFloatArray();
        for (int j = 0; j < cols; j++) {
            assertThat(f[j]).as("overwrite ignores NaN in out, column %d", j).isCloseTo(first[j] - 3f,
                    Offset.offset(1e-2f));
        }
    }

    @Test
    void columnKernelsMoveTheRightBlocks() {
        FloatArray a = ops.asArray(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        FloatArray b = ops.asArray(new float[][] {{7}, {8}, {9}});
        FloatArray c = ops.concatColumns(List.of(a, b, a));
        assertThat(c.shape()).containsExactly(3, 5);
        assertThat(c.toFloatArray()).containsExactly(1, 2, 7, 1, 2, 3, 4, 8, 3, 4, 5, 6, 9, 5, 6);
        assertThat(ops.sliceColumns(c, 1, 4).toFloatArray()).containsExactly(2, 7, 1, 4, 8, 3, 6, 9, 5);
        assertThat(ops.sliceColumns(c, 2, 2).shape()).containsExactly(3, 0);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
