package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchIterator;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.BatchSource;
import dev.thinj.ops.batching.DefaultBatchStaging;
import dev.thinj.ops.batching.SizedBatches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.thinj.ops.BatchingOps} on a backend: batches of backend and host arrays come out as new
 * contiguous arrays of the backend holding exactly the right rows, shuffled or not, inline or from a
 * producer thread, through the backend's own staging and through the default one; a batch handed out
 * is never written again.
 *
 * <p>Row {@code r} of every source holds values derived from {@code r}, so a batch's content tells
 * which rows it took.
 */
abstract class BatchingContract extends KernelContract {
    private static final int ROWS = 37;
    private static final int WIDTH = 5;

    /** Row r of the float data: r * 10 + column. */
    private static float[] hostFloats() {
        float[] x = new float[ROWS * WIDTH];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < WIDTH; c++) {
                x[r * WIDTH + c] = r * 10 + c;
            }
        }
        return x;
    }

    /** Label of row r: r. */
    private static int[] hostLabels() {
        int[] y = new int[ROWS];
        Arrays.setAll(y, r -> r);
        return y;
    }

    /** Asserts a float batch holds, row for row, the rows its labels name. */
    private void assertRowsMatchLabels(String what, FloatArray x, IntArray y) {
        assertThat(x.ops()).as(what + ": batch belongs to the backend").isSameAs(ops());
        assertThat(y.ops()).as(what + ": labels belong to the backend").isSameAs(ops());
        assertThat(x.dim(0)).as(what + ": rows").isEqualTo(y.dim(0));
        assertThat(x.shape()).as(what + ": shape").containsExactly(y.dim(0), WIDTH);
        float[] xs = x.toFloatArray();
        int[] ys = y.toIntArray();
        for (int i = 0; i < ys.length; i++) {
            for (int c = 0; c < WIDTH; c++) {
                assertThat(xs[i * WIDTH + c]).as(what + ": row " + i + " column " + c).isEqualTo(ys[i] * 10f + c);
            }
        }
    }

    private List<Integer> collectLabels(SizedBatches<Batch> batches) {
        List<Integer> seen = new ArrayList<>();
        for (Batch b : batches) {
            assertRowsMatchLabels("multibatch", b.floats(0), b.ints(1));
            for (int v : b.ints(1).toIntArray()) {
                seen.add(v);
            }
        }
        return seen;
    }

    @Test
    void multibatchOfBackendArraysKeepsRowsTogetherShuffledOrNot() {
        FloatArray x = ops().asArray(hostFloats(), ROWS, WIDTH);
        IntArray y = ops().asInts(hostLabels());
        for (int buffer : new int[] {1, 3}) {
            List<Integer> plain = collectLabels(ops().multibatch(8, false, buffer, x, y));
            assertThat(plain).as("unshuffled, buffer " + buffer).containsExactlyElementsOf(range(ROWS));
            List<Integer> shuffled = collectLabels(ops().multibatch(8, true, buffer, x, y));
            assertThat(shuffled).as("shuffled, buffer " + buffer).containsExactlyInAnyOrderElementsOf(range(ROWS))
                    .isNotEqualTo(range(ROWS));
        }
    }

    @Test
    void multibatchOfHostArraysCopiesRowsToTheBackend() {
        SizedBatches<Batch> batches = ops().multibatch(BatchSizes.fixed(6),
                BatchOptions.defaults().shuffle(true).seed(3).buffer(2),
                BatchSource.of(hostFloats(), ROWS, WIDTH), hostLabels());
        assertThat(batches.size()).isEqualTo(7);
        assertThat(collectLabels(batches)).containsExactlyInAnyOrderElementsOf(range(ROWS));
        float[][] rows = new float[ROWS][];
        float[] flat = hostFloats();
        for (int r = 0; r < ROWS; r++) {
            rows[r] = Arrays.copyOfRange(flat, r * WIDTH, (r + 1) * WIDTH);
        }
        assertThat(collectLabels(ops().multibatch(10, false, 1, rows, ops().asInts(hostLabels()))))
                .as("float[][] rows").containsExactlyElementsOf(range(ROWS));
    }

    @Test
    void minibatchOfEachKindGivesArraysOfTheBackend() {
        SizedBatches<FloatArray> xs = ops().minibatch(10, ops().asArray(hostFloats(), ROWS, WIDTH), false, 2);
        List<Float> firsts = new ArrayList<>();
        for (FloatArray b : xs) {
            assertThat(b.ops()).isSameAs(ops());
            firsts.add(b.get(0, 0));
        }
        assertThat(firsts).containsExactly(0f, 100f, 200f, 300f);
        SizedBatches<IntArray> ys = ops().minibatch(BatchSizes.fixed(20), ops().asInts(hostLabels()), true, 1);
        List<Integer> seen = new ArrayList<>();
        ys.forEach(b -> {
            assertThat(b.ops()).isSameAs(ops());
            for (int v : b.toIntArray()) {
                seen.add(v);
            }
        });
        assertThat(seen).containsExactlyInAnyOrderElementsOf(range(ROWS));
        SizedBatches<IntArray> host = ops().minibatch(16, BatchSource.of(hostLabels()), false, 3);
        assertThat(host.size()).isEqualTo(3);
        for (IntArray b : host) {
            assertThat(b.ops()).isSameAs(ops());
            assertThat(b.rank()).isEqualTo(1);
        }
    }

    @Test
    void higherRankRowsAreCutAlongTheFirstDimension() {
        float[] data = new float[6 * 2 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        FloatArray x = ops().asArray(data, 6, 2, 3);
        List<FloatArray> batches = new ArrayList<>();
        ops().minibatch(4, x, false, 2).forEach(batches::add);
        assertThat(batches.get(0).shape()).containsExactly(4, 2, 3);
        assertThat(batches.get(1).shape()).containsExactly(2, 2, 3);
        assertThat(batches.get(1).get(0, 0, 0)).isEqualTo(24f);
    }

    @Test
    void fractionalSizesBelowOneGiveEmptyBatchesAsInThinc() {
        FloatArray x = ops().asArray(hostFloats(), ROWS, WIDTH);
        SizedBatches<FloatArray> b = ops().minibatch(BatchSizes.from(List.of(0.5, 0.5, 40.0).iterator()), x, false, 2);
        List<int[]> shapes = new ArrayList<>();
        b.forEach(a -> shapes.add(a.shape()));
        assertThat(shapes).containsExactly(new int[] {0, WIDTH}, new int[] {0, WIDTH}, new int[] {ROWS, WIDTH});
    }

    @Test
    void batchesHandedOutAreNeverOverwritten() {
        FloatArray x = ops().asArray(hostFloats(), ROWS, WIDTH);
        IntArray y = ops().asInts(hostLabels());
        List<Batch> kept = new ArrayList<>();
        ops().multibatch(BatchSizes.fixed(2), BatchOptions.defaults().shuffle(true).buffer(4), x, y)
                .forEach(kept::add);
        for (Batch b : kept) {
            assertRowsMatchLabels("a batch kept until the end of the pass", b.floats(0), b.ints(1));
        }
    }

    @Test
    void theDefaultStagingWorksOnThisBackendToo() {
        FloatArray x = ops().asArray(hostFloats(), ROWS, WIDTH);
        SizedBatches<Batch> batches = SizedBatches.create(() -> new DefaultBatchStaging(ops()), BatchSizes.fixed(9),
                BatchSource.together(x, hostLabels(), BatchSource.of(hostFloats(), ROWS, WIDTH)),
                BatchOptions.defaults().shuffle(true).buffer(3));
        List<Integer> seen = new ArrayList<>();
        for (Batch b : batches) {
            assertRowsMatchLabels("backend source", b.floats(0), b.ints(1));
            assertRowsMatchLabels("host source", b.floats(2), b.ints(1));
            for (int v : b.ints(1).toIntArray()) {
                seen.add(v);
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(range(ROWS));
    }

    @Test
    void closingAPassEarlyIsClean() {
        FloatArray x = ops().asArray(hostFloats(), ROWS, WIDTH);
        try (BatchIterator<FloatArray> it = ops().minibatch(1, x, true, 4).iterator()) {
            assertThat(it.next().shape()).containsExactly(1, WIDTH);
        }
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
