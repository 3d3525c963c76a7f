package dev.thinj.ops.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Rows}, what a custom {@link BatchSource} is handed, and the public row helpers of
 * {@link DefaultBatchStaging} that backends' stagings share: a row outside the source is an error
 * that says so, never an index error from deep inside a copy.
 */
class RowsAndStagingHelpersTest {
    private static final int[] SHAPE = {5, 2};
    private static final float[] FLOATS = {0, 1, 10, 11, 20, 21, 30, 31, 40, 41};
    private static final int[] INTS = {0, 1, 10, 11, 20, 21, 30, 31, 40, 41};

    @Test
    void aRangeIsContiguousAndAListIsNot() {
        Rows range = Rows.range(2, 5);
        assertThat(range.count()).isEqualTo(3);
        assertThat(range.isContiguous()).isTrue();
        assertThat(range.first()).isEqualTo(2);
        assertThat(range.row(1)).isEqualTo(3);
        assertThat(range.toArray()).containsExactly(2, 3, 4);
        assertThat(range).hasToString("Rows[2, 5)");

        int[] picked = {4, 0, 3};
        Rows list = Rows.of(picked);
        picked[0] = 1;
        assertThat(list.count()).isEqualTo(3);
        assertThat(list.isContiguous()).isFalse();
        assertThat(list.first()).as("the first row in batch order, copied at creation").isEqualTo(4);
        assertThat(list.row(2)).isEqualTo(3);
        assertThat(list.toArray()).containsExactly(4, 0, 3);
        assertThat(list).hasToString("Rows[4, 0, 3]");

        assertThat(Rows.of().count()).isZero();
        assertThat(Rows.of().first()).isZero();
        assertThat(Rows.range(3, 3).toArray()).isEmpty();
    }

    @Test
    void aBadRangeIsRefused() {
        assertThatThrownBy(() -> Rows.range(-1, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-1, 2)");
        assertThatThrownBy(() -> Rows.range(3, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 2)");
        assertThat(Rows.range(0, 0).count()).isZero();
    }

    @Test
    void theRowHelpersGatherExactlyTheRowsAsked() {
        assertThat(Rows.rowWidth("x", 10, SHAPE)).isEqualTo(2);
        assertThat(Rows.rowWidth("x", 12, new int[] {2, 3, 2})).isEqualTo(6);
        assertThat(Rows.batchShape(new int[] {5, 3, 2}, Rows.of(1, 2))).containsExactly(2, 3, 2);
        assertThat(Rows.gatherRows(FLOATS, SHAPE, 2, Rows.range(3, 5))).containsExactly(30, 31, 40, 41);
        assertThat(Rows.gatherRows(FLOATS, SHAPE, 2, Rows.of(4, 0))).containsExactly(40, 41, 0, 1);
        assertThat(Rows.gatherRows(INTS, SHAPE, 2, Rows.range(1, 3))).containsExactly(10, 11, 20, 21);
        assertThat(Rows.gatherRows(INTS, SHAPE, 2, Rows.of(2, 1, 2))).containsExactly(20, 21, 10, 11, 20, 21);
        assertThat(Rows.gatherRows(INTS, SHAPE, 2, Rows.range(5, 5))).isEmpty();
        assertThat(Rows.checkRow(0, SHAPE)).isZero();
        assertThat(Rows.checkRow(4, SHAPE)).isEqualTo(4);
    }

    @Test
    void aRowOutsideTheSourceIsNamed() {
        for (Rows bad : List.of(Rows.range(4, 6), Rows.range(5, 6), Rows.of(1, 5), Rows.of(-1))) {
            for (Throwable t : List.of(catchThrowable(() -> Rows.gatherRows(FLOATS, SHAPE, 2, bad)),
                    catchThrowable(() -> Rows.gatherRows(INTS, SHAPE, 2, bad)))) {
                assertThat(t).as("%s of 5 rows", bad).isInstanceOf(IndexOutOfBoundsException.class)
                        .hasMessageMatching("minibatch: row -?\\d+ outside a source of 5 rows");
            }
        }
        assertThatThrownBy(() -> Rows.checkRow(5, SHAPE)).hasMessage("minibatch: row 5 outside a source of 5 rows");
        assertThatThrownBy(() -> Rows.rowWidth("host float array", 9, SHAPE)).isInstanceOf(ShapeException.class)
                .hasMessage("minibatch: host float array of 9 values does not fill shape (5, 2)");
    }

    @Test
    void intRowsOfDifferentLengthsAreRefused() {
        assertThatThrownBy(() -> BatchSource.of(new int[][] {{1, 2}, {3}})).isInstanceOf(ShapeException.class)
                .hasMessage("minibatch: row 1 has 1 values, row 0 has 2");
        assertThatThrownBy(() -> BatchSource.of(new float[][] {{1, 2}, {3, 4, 5}})).isInstanceOf(ShapeException.class)
                .hasMessage("minibatch: row 1 has 3 values, row 0 has 2");
        assertThat(BatchSource.of(new int[0][]).length()).isZero();
        assertThat(BatchSource.of(new int[][] {{1, 2}, {3, 4}, {5, 6}}).length()).isEqualTo(3);
    }

    @Test
    void batchesDescribeThemselves() {
        SizedBatches<List<Integer>> b = SizedBatches.create(new RecordingStaging.Factory()::get, BatchSizes.fixed(4),
                BatchSource.of(TestSources.range(10)), BatchOptions.defaults().buffer(2));
        assertThat(b).hasToString("SizedBatches[3 batches of 10 rows, buffer 2]");
    }

    @Test
    void aFailedBatchWhoseSlotAlsoFailsToBeDiscardedKeepsBothErrors() {
        RuntimeException broken = new IllegalStateException("source broke");
        BatchSource<List<Integer>> failing = new BatchSource<>() {
            @Override
            public int length() {
                return 3;
            }

            @Override
            public List<Integer> batch(BatchSlot slot, Rows rows) {
                throw broken;
            }
        };
        BatchStaging failingDiscard = new BatchStaging() {
            @Override
            public BatchSlot open() {
                return new UnusedSlot() {
                    @Override
                    public void discard() {
                        throw new IllegalStateException("discard broke");
                    }
                };
            }

            @Override
            public void close() {
            }
        };
        SizedBatches<List<Integer>> b = SizedBatches.create(() -> failingDiscard, BatchSizes.fixed(2), failing,
                BatchOptions.defaults());
        Throwable t = catchThrowable(() -> b.iterator().next());
        assertThat(t).isInstanceOf(BatchException.class).hasMessageContaining("making batch 1 of 2 failed")
                .hasCause(broken);
        assertThat(broken.getSuppressed()).extracting(Throwable::getMessage).containsExactly("discard broke");
    }

    /** A slot for sources that stage no arrays. */
    private abstract static class UnusedSlot implements BatchSlot {
        @Override
        public Ops ops() {
            throw new UnsupportedOperationException();
        }

        @Override
        public FloatArray gather(float[] data, int[] shape, Rows rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IntArray gather(int[] data, int[] shape, Rows rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FloatArray gather(FloatArray data, Rows rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IntArray gather(IntArray data, Rows rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void ready() {
        }

        @Override
        public void acquire() {
        }

        @Override
        public void retire() {
        }
    }
}
