package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchIterator;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.BatchSlot;
import dev.thinj.ops.batching.BatchSource;
import dev.thinj.ops.batching.DefaultBatchStaging;
import dev.thinj.ops.batching.Rows;
import dev.thinj.ops.batching.SizedBatches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Spliterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    /** Row r of an int source of this shape (rows first): r * 10 + the element's place in the row. */
    private static int[] hostInts(int... shape) {
        int width = Shapes.size(shape) / shape[0];
        int[] data = new int[shape[0] * width];
        for (int r = 0; r < shape[0]; r++) {
            for (int c = 0; c < width; c++) {
                data[r * width + c] = r * 10 + c;
            }
        }
        return data;
    }

    static Stream<Arguments> wideIntSources() {
        return Stream.of(false, true).flatMap(defaultStaging -> Stream.of(1, 3).flatMap(buffer -> Stream.of(
                Arguments.of("backend array (37, 3)", new int[] {ROWS, 3}, defaultStaging, buffer),
                Arguments.of("backend array (37, 2, 2)", new int[] {ROWS, 2, 2}, defaultStaging, buffer),
                Arguments.of("host int[] (37, 3)", new int[] {ROWS, 3}, defaultStaging, buffer),
                Arguments.of("host int[] (37, 2, 2)", new int[] {ROWS, 2, 2}, defaultStaging, buffer),
                Arguments.of("host int[][] (37, 3)", new int[] {ROWS, 3}, defaultStaging, buffer))));
    }

    @ParameterizedTest(name = "{0} default staging={2} buffer={3}")
    @MethodSource("wideIntSources")
    void intSourcesWiderThanOneColumnKeepEachRowWhole(String kind, int[] shape, boolean defaultStaging, int buffer) {
        int[] data = hostInts(shape);
        int width = data.length / ROWS;
        Object source;
        if (kind.startsWith("backend")) {
            source = ops().asInts(data, shape);
        } else if (kind.contains("[][]")) {
            int[][] rows = new int[ROWS][width];
            for (int r = 0; r < ROWS; r++) {
                System.arraycopy(data, r * width, rows[r], 0, width);
            }
            source = rows;
        } else {
            source = BatchSource.of(data, shape);
        }
        BatchOptions options = BatchOptions.defaults().shuffle(true).buffer(buffer);
        BatchSource<Batch> both = BatchSource.together(hostLabels(), source);
        SizedBatches<Batch> batches = defaultStaging
                ? SizedBatches.create(() -> new DefaultBatchStaging(ops()), BatchSizes.fixed(8), both, options)
                : ops().minibatch(BatchSizes.fixed(8), both, options);
        List<Integer> seen = new ArrayList<>();
        for (Batch b : batches) {
            IntArray labels = b.ints(0);
            IntArray part = b.ints(1);
            assertThat(part.ops()).isSameAs(ops());
            int[] expectedShape = shape.clone();
            expectedShape[0] = labels.dim(0);
            assertThat(part.shape()).as(kind + ": shape").containsExactly(expectedShape);
            int[] ys = labels.toIntArray();
            int[] values = part.toIntArray();
            for (int i = 0; i < ys.length; i++) {
                for (int c = 0; c < width; c++) {
                    assertThat(values[i * width + c]).as("%s: row %d element %d", kind, i, c).isEqualTo(ys[i] * 10 + c);
                }
                seen.add(ys[i]);
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(range(ROWS));
    }

    @Test
    void aSeedGivesTheSameShuffleOrderOnEveryBackendPassAfterPass() {
        // Pinned: a checkpoint resumed elsewhere must see the batches the first run would have.
        SizedBatches<IntArray> batches = ops().minibatch(BatchSizes.fixed(12), BatchSource.of(new int[] {0, 1, 2, 3, 4,
                5, 6, 7, 8, 9, 10, 11}), BatchOptions.defaults().shuffle(true).seed(7).buffer(2));
        List<List<Integer>> passes = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            List<Integer> order = new ArrayList<>();
            for (IntArray b : batches) {
                for (int v : b.toIntArray()) {
                    order.add(v);
                }
            }
            passes.add(order);
        }
        assertThat(passes).containsExactly(SEED_7_PASS_1, SEED_7_PASS_2, SEED_7_PASS_3);
    }

    /** The orders seed 7 gives 12 rows (each pass reshuffles the one before, as Thinc). */
    private static final List<Integer> SEED_7_PASS_1 = List.of(2, 1, 7, 0, 8, 5, 11, 10, 6, 3, 9, 4);
    private static final List<Integer> SEED_7_PASS_2 = List.of(2, 7, 11, 5, 1, 10, 8, 6, 4, 3, 0, 9);
    private static final List<Integer> SEED_7_PASS_3 = List.of(6, 7, 10, 8, 11, 9, 1, 3, 0, 5, 2, 4);

    @Test
    void closingAPassEarlyClosesTheBatchesMadeAheadOfTheConsumer() {
        List<FloatArray> made = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch aheadMade = new CountDownLatch(5);
        float[] data = hostFloats();
        BatchSource<FloatArray> recording = new BatchSource<>() {
            @Override
            public int length() {
                return ROWS;
            }

            @Override
            public FloatArray batch(BatchSlot slot, Rows rows) {
                FloatArray a = slot.gather(data, new int[] {ROWS, WIDTH}, rows);
                made.add(a);
                aheadMade.countDown();
                return a;
            }
        };
        FloatArray first;
        try (BatchIterator<FloatArray> it = ops().minibatch(BatchSizes.fixed(2), recording,
                BatchOptions.defaults().buffer(4)).iterator()) {
            first = it.next();
            // With the first handed out, the producer queues buffer - 1 more and makes one it cannot
            // queue: five made in all, whatever the scheduling (the wait is a hang guard).
            try {
                assertThat(aheadMade.await(30, TimeUnit.SECONDS)).as("batches made ahead").isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(made.get(0)).isSameAs(first);
        assertThat(made.size()).isGreaterThanOrEqualTo(5);
        synchronized (made) {
            for (int i = 1; i < made.size(); i++) {
                assertThat(made.get(i).isClosed()).as("batch %d, made but never handed out", i + 1).isTrue();
            }
        }
    }

    @Test
    void aBatchHandsOutItsPartsAndClosesItsArrays() {
        List<String> names = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            names.add("row" + r);
        }
        Batch b = ops().multibatch(5, false, 1, ops().asArray(hostFloats(), ROWS, WIDTH), hostLabels(), names)
                .iterator().next();
        assertThat(b.parts()).isEqualTo(3);
        assertThat(b.rows()).isEqualTo(5);
        assertThat(b.get(0)).isSameAs(b.floats(0));
        assertThat(b.get(1)).isSameAs(b.ints(1));
        assertThat(b.<String>list(2)).containsExactly("row0", "row1", "row2", "row3", "row4");
        assertThat(b.asList()).containsExactly(b.get(0), b.get(1), b.get(2));
        assertThat(b.toString()).startsWith("Batch[").contains("row4");
        assertThat(catchThrowable(() -> b.ints(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch part 0")
                .hasMessageContaining("not a IntArray");
        assertThat(catchThrowable(() -> b.floats(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a FloatArray");
        assertThat(catchThrowable(() -> b.list(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a List");

        b.close();

        assertThat(b.floats(0).isClosed()).isTrue();
        assertThat(b.ints(1).isClosed()).isTrue();
        assertThat(b.<String>list(2)).hasSize(5);
    }

    @Test
    void streamsOfBatchesSkipNoneAndStopWhenTold() {
        FloatArray x = ops().asArray(hostFloats(), ROWS, WIDTH);
        SizedBatches<FloatArray> batches = ops().minibatch(10, x, false, 1);
        assertThat(StreamSupport.stream(batches.spliterator(), false).findFirst())
                .hasValueSatisfying(b -> assertThat(b.get(0, 0)).isEqualTo(0f));
        assertThat(StreamSupport.stream(batches.spliterator(), false).limit(2).map(b -> b.get(0, 0)))
                .containsExactly(0f, 100f);
        assertThat(StreamSupport.stream(batches.spliterator(), false).map(b -> b.get(0, 0)))
                .containsExactly(0f, 100f, 200f, 300f);

        Spliterator<FloatArray> s = batches.spliterator();
        assertThat(s.estimateSize()).isEqualTo(4);
        List<Float> firsts = new ArrayList<>();
        assertThat(s.tryAdvance(b -> firsts.add(b.get(0, 0)))).isTrue();
        assertThat(s.estimateSize()).isEqualTo(3);
        s.forEachRemaining(b -> firsts.add(b.get(0, 0)));
        assertThat(s.estimateSize()).isZero();
        assertThat(s.tryAdvance(b -> firsts.add(-1f))).isFalse();
        assertThat(firsts).containsExactly(0f, 100f, 200f, 300f);
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
