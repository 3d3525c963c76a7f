package dev.thinj.ops.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What a {@link SizedBatches} promises, on list data, inline and buffered alike. */
class SizedBatchesTest {
    private final RecordingStaging.Factory stagings = new RecordingStaging.Factory();

    private SizedBatches<List<Integer>> batches(int n, BatchSizes sizes, BatchOptions options) {
        return SizedBatches.create(stagings::get, sizes, BatchSource.of(TestSources.range(n)), options);
    }

    private static List<List<Integer>> pass(SizedBatches<List<Integer>> batches) {
        List<List<Integer>> out = new ArrayList<>();
        for (List<Integer> b : batches) {
            out.add(b);
        }
        return out;
    }

    private static List<Integer> flat(List<List<Integer>> pass) {
        List<Integer> out = new ArrayList<>();
        pass.forEach(out::addAll);
        return out;
    }

    @ParameterizedTest(name = "buffer {0}")
    @ValueSource(ints = {1, 2, 4})
    void sizeIsKnownUpFrontAndEveryPassGivesThatManyBatches(int buffer) {
        SizedBatches<List<Integer>> b = batches(10, BatchSizes.fixed(3), BatchOptions.defaults().buffer(buffer));
        assertThat(b.size()).isEqualTo(4);
        for (int p = 0; p < 3; p++) {
            assertThat(pass(b)).as("pass " + p).containsExactly(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8),
                    List.of(9));
        }
        stagings.all().forEach(RecordingStaging::assertEndedCleanly);
        assertThat(stagings.all()).as("one staging per pass").hasSize(3);
    }

    @ParameterizedTest(name = "buffer {0}")
    @ValueSource(ints = {1, 3})
    void shufflingDrawsANewPermutationEveryPass(int buffer) {
        SizedBatches<List<Integer>> b = batches(50, BatchSizes.fixed(8),
                BatchOptions.defaults().shuffle(true).seed(7).buffer(buffer));
        Set<List<Integer>> orders = new HashSet<>();
        for (int p = 0; p < 4; p++) {
            List<List<Integer>> pass = pass(b);
            assertThat(pass).as("batches").hasSize(7);
            assertThat(flat(pass)).as("pass " + p + " visits every row once").containsExactlyInAnyOrderElementsOf(
                    TestSources.range(50));
            orders.add(flat(pass));
        }
        assertThat(orders).as("four passes, four orders").hasSize(4);
        assertThat(orders).as("shuffled").doesNotContain(TestSources.range(50));
    }

    @Test
    void aSeedMakesEveryPassReproducibleAndBufferingDoesNotChangeTheBatches() {
        BatchOptions seeded = BatchOptions.defaults().shuffle(true).seed(42);
        SizedBatches<List<Integer>> inline = batches(40, BatchSizes.fixed(6), seeded);
        SizedBatches<List<Integer>> buffered = batches(40, BatchSizes.fixed(6), seeded.buffer(4));
        SizedBatches<List<Integer>> otherSeed = batches(40, BatchSizes.fixed(6), seeded.seed(43));
        for (int p = 0; p < 3; p++) {
            List<List<Integer>> a = pass(inline);
            assertThat(pass(buffered)).as("pass " + p + ", buffer 4 vs 1").isEqualTo(a);
            assertThat(pass(otherSeed)).as("pass " + p + ", another seed").isNotEqualTo(a);
        }
    }

    @Test
    void withoutASeedTwoCallsShuffleDifferently() {
        BatchOptions random = BatchOptions.defaults().shuffle(true);
        assertThat(pass(batches(100, BatchSizes.fixed(100), random)))
                .isNotEqualTo(pass(batches(100, BatchSizes.fixed(100), random)));
    }

    @Test
    void sizesAreDrawnAtTheCallAndAStepFunctionGoesOnAcrossCalls() {
        List<Long> steps = new ArrayList<>();
        BatchSizes sizes = BatchSizes.schedule(step -> {
            steps.add(step);
            return 2 + step;
        });
        SizedBatches<List<Integer>> first = batches(10, sizes, BatchOptions.defaults());
        assertThat(steps).as("drawn when minibatch is called, not when iterated").containsExactly(0L, 1L, 2L, 3L);
        assertThat(pass(first)).containsExactly(List.of(0, 1), List.of(2, 3, 4), List.of(5, 6, 7, 8), List.of(9));
        SizedBatches<List<Integer>> second = batches(10, sizes, BatchOptions.defaults());
        assertThat(steps).as("the next call continues at step 4").containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(pass(second)).containsExactly(List.of(0, 1, 2, 3, 4, 5), List.of(6, 7, 8, 9));
        assertThat(steps).as("iterating draws nothing").hasSize(6);
        assertThat(pass(first)).as("a pass reuses its call's sizes").hasSize(4);
    }

    @Test
    void badSizesAreRefusedInsteadOfLoopingForEver() {
        assertThatThrownBy(() -> BatchSizes.fixed(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> batches(5, () -> 0.0, BatchOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("greater than 0");
        assertThatThrownBy(() -> batches(5, () -> Double.NaN, BatchOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> batches(5, BatchSizes.from(List.of(1, 2).iterator()), BatchOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ran out");
        assertThatThrownBy(() -> BatchOptions.defaults().buffer(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyDataHasNoBatches() {
        SizedBatches<List<Integer>> b = batches(0, BatchSizes.fixed(4), BatchOptions.defaults().buffer(2));
        assertThat(b.size()).isZero();
        BatchIterator<List<Integer>> it = b.iterator();
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        stagings.all().forEach(RecordingStaging::assertEndedCleanly);
    }

    @Test
    void theSpliteratorKnowsTheSizeSoProgressBarsCanShowATotal() {
        SizedBatches<List<Integer>> b = batches(10, BatchSizes.fixed(4), BatchOptions.defaults());
        Spliterator<List<Integer>> s = b.spliterator();
        assertThat(s.hasCharacteristics(Spliterator.SIZED)).isTrue();
        assertThat(s.getExactSizeIfKnown()).isEqualTo(3);
        assertThat(s.tryAdvance(x -> { })).isTrue();
        assertThat(s.getExactSizeIfKnown()).as("after one batch").isEqualTo(2);
        List<List<Integer>> seen = new ArrayList<>();
        s.forEachRemaining(seen::add);
        assertThat(seen).hasSize(2);
        stagings.all().forEach(RecordingStaging::assertEndedCleanly);
    }

    @Test
    void askingTheSpliteratorForTheSizeStartsNoPassAndDrawsNoOrder() {
        BatchOptions seeded = BatchOptions.defaults().shuffle(true).seed(5);
        SizedBatches<List<Integer>> asked = batches(30, BatchSizes.fixed(4), seeded);
        SizedBatches<List<Integer>> notAsked = batches(30, BatchSizes.fixed(4), seeded);
        assertThat(asked.spliterator().getExactSizeIfKnown()).isEqualTo(8);
        assertThat(stagings.all()).as("passes started").isEmpty();
        assertThat(pass(asked)).as("the first pass is still the seed's first").isEqualTo(pass(notAsked));
    }

    @Test
    void iteratorCountsBatchesAndWaitTime() {
        SizedBatches<List<Integer>> b = batches(10, BatchSizes.fixed(2), BatchOptions.defaults().buffer(2));
        long start = System.nanoTime();
        try (BatchIterator<List<Integer>> it = b.iterator()) {
            it.next();
            it.next();
            long elapsed = System.nanoTime() - start;
            assertThat(it.taken()).isEqualTo(2);
            assertThat(it.waitNanos()).as("time inside next(), part of the time since the pass began").isPositive()
                    .isLessThanOrEqualTo(elapsed);
        }
    }

    @Test
    void multibatchCutsEverySequenceByTheSameShuffledRows() {
        List<Integer> xs = TestSources.range(30);
        List<String> ys = new ArrayList<>();
        xs.forEach(x -> ys.add("y" + x));
        SizedBatches<Batch> b = SizedBatches.create(stagings::get, BatchSizes.fixed(7), BatchSource.together(xs, ys),
                BatchOptions.defaults().shuffle(true).seed(1).buffer(3));
        assertThat(b.size()).isEqualTo(5);
        for (Batch batch : b) {
            List<Integer> x = batch.list(0);
            List<String> y = batch.list(1);
            assertThat(batch.parts()).isEqualTo(2);
            assertThat(y).hasSize(batch.rows());
            for (int i = 0; i < x.size(); i++) {
                assertThat(y.get(i)).isEqualTo("y" + x.get(i));
            }
            assertThatThrownBy(() -> batch.floats(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a FloatArray");
        }
        assertThatThrownBy(() -> BatchSource.together(xs, TestSources.range(29)))
                .isInstanceOf(dev.thinj.ops.ShapeException.class).hasMessageContaining("30, 29");
        assertThatThrownBy(() -> BatchSource.together(xs, "not data"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
    }
}
