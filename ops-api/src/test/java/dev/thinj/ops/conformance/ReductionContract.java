package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.MaxResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link dev.thinj.ops.ReductionKernels}: Thinc's per-sequence sum, mean and max over sequences laid
 * end to end, and their backward passes.
 */
abstract class ReductionContract extends KernelContract {

    /** A batch of sequences: the rows, their lengths, and the shapes for messages. */
    private record Batch(HostArray x, int[] lengths, String what) {
        static Batch of(String kernel, int[] spec, boolean allowEmpty, boolean integers) {
            int rows = spec[0];
            int width = spec[1];
            int sequences = spec[2];
            String what = kernel + " rows=" + rows + " width=" + width + " sequences=" + sequences;
            RandomArrays rnd = RandomArrays.forCase(what, spec);
            int[] lengths = rnd.lengths(rows, sequences, allowEmpty);
            HostArray x = integers ? rnd.integers(new int[] {rows, width}, -3, 3) : rnd.uniform(rows, width);
            return new Batch(x, lengths, what);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#sequenceShapes")
    void reduceSumPerSequence(int[] spec) {
        Batch b = Batch.of("reduceSum", spec, true, false);
        FloatArray x = up(b.x());
        IntArray lengths = upInts(b.lengths());

        FloatArray y = ops().reduceSum(x, lengths);

        Approx.REDUCTION.assertClose(b.what(), ReductionReference.reduceSum(b.x(), b.lengths()),
                ReductionReference.reduceSum(b.x().abs(), b.lengths()), y);
        assertUnchanged(b.what(), "x", b.x(), x);
        Approx.assertInts(b.what() + " must not modify 'lengths'", b.lengths(), lengths);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#sequenceShapes")
    void reduceMeanPerSequence(int[] spec) {
        Batch b = Batch.of("reduceMean", spec, true, false);
        FloatArray x = up(b.x());

        FloatArray y = ops().reduceMean(x, upInts(b.lengths()));

        Approx.REDUCTION.assertClose(b.what(), ReductionReference.reduceMean(b.x(), b.lengths()),
                ReductionReference.reduceMean(b.x().abs(), b.lengths()), y);
        assertUnchanged(b.what(), "x", b.x(), x);
    }

    @Test
    void emptySequencesReduceToZero() {
        HostArray x = RandomArrays.forCase("empty sequences").uniform(5, 3);
        int[] lengths = {0, 3, 0, 2, 0};
        String what = "reduceSum/reduceMean lengths=[0, 3, 0, 2, 0]";
        FloatArray sum = ops().reduceSum(up(x), upInts(lengths));
        FloatArray mean = ops().reduceMean(up(x), upInts(lengths));
        Approx.REDUCTION.assertClose(what + " sum", ReductionReference.reduceSum(x, lengths), sum);
        Approx.REDUCTION.assertClose(what + " mean", ReductionReference.reduceMean(x, lengths), mean);
        assertThat(sum.get(0, 1)).as("%s: an empty sequence sums to 0", what).isZero();
        assertThat(mean.get(4, 2)).as("%s: an empty sequence's mean is 0, not NaN", what).isZero();

        HostArray dY = RandomArrays.forCase("empty sequences dY").uniform(5, 3);
        Approx.ELEMENTWISE.assertClose("backpropReduceSum " + what, ReductionReference.backpropReduceSum(dY, lengths),
                ops().backpropReduceSum(up(dY), upInts(lengths)));
        Approx.ELEMENTWISE.assertClose("backpropReduceMean " + what, ReductionReference.backpropReduceMean(dY, lengths),
                ops().backpropReduceMean(up(dY), upInts(lengths)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#sequenceShapes")
    void backpropReduceSumCopiesGradientToEachRow(int[] spec) {
        Batch b = Batch.of("backpropReduceSum", spec, true, false);
        HostArray dY = RandomArrays.forCase(b.what() + " dY", spec).uniform(spec[2], spec[1]);
        FloatArray ddY = up(dY);

        FloatArray dX = ops().backpropReduceSum(ddY, upInts(b.lengths()));

        Approx.ELEMENTWISE.assertClose(b.what(), ReductionReference.backpropReduceSum(dY, b.lengths()), dX);
        assertUnchanged(b.what(), "dY", dY, ddY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#sequenceShapes")
    void backpropReduceMeanDividesByLength(int[] spec) {
        Batch b = Batch.of("backpropReduceMean", spec, true, false);
        HostArray dY = RandomArrays.forCase(b.what() + " dY", spec).uniform(spec[2], spec[1]);
        FloatArray ddY = up(dY);

        FloatArray dX = ops().backpropReduceMean(ddY, upInts(b.lengths()));

        Approx.ELEMENTWISE.assertClose(b.what(), ReductionReference.backpropReduceMean(dY, b.lengths()), dX);
        assertUnchanged(b.what(), "dY", dY, ddY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#sequenceShapes")
    void reduceMaxPicksFirstMaximumRow(int[] spec) {
        // Small integers make ties common: 'which' must name the first row holding the maximum.
        Batch b = Batch.of("reduceMax", spec, false, true);
        FloatArray x = up(b.x());

        MaxResult r = ops().reduceMax(x, upInts(b.lengths()));

        ActivationReference.Max expected = ReductionReference.reduceMax(b.x(), b.lengths());
        Approx.ELEMENTWISE.assertClose(b.what() + " max", expected.max(), r.max());
        assertThat(r.which().shape()).as("%s which shape", b.what()).containsExactly(spec[2], spec[1]);
        Approx.assertInts(b.what() + " which", expected.which(), r.which());
        assertUnchanged(b.what(), "x", b.x(), x);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#sequenceShapes")
    void backpropReduceMaxRoutesToMaximumRow(int[] spec) {
        Batch b = Batch.of("backpropReduceMax", spec, false, false);
        RandomArrays rnd = RandomArrays.forCase(b.what() + " dY", spec);
        HostArray dY = rnd.uniform(spec[2], spec[1]);
        int[] which = new int[spec[2] * spec[1]];
        for (int s = 0; s < spec[2]; s++) {
            for (int j = 0; j < spec[1]; j++) {
                which[s * spec[1] + j] = rnd.random().nextInt(b.lengths()[s]);
            }
        }
        FloatArray ddY = up(dY);

        FloatArray dX = ops().backpropReduceMax(ddY, ops().asInts(which, spec[2], spec[1]), upInts(b.lengths()));

        Approx.ELEMENTWISE.assertClose(b.what(), ReductionReference.backpropReduceMax(dY, which, b.lengths()), dX);
        assertUnchanged(b.what(), "dY", dY, ddY);
    }

    // ---- bad input -----------------------------------------------------------------------------

    @Test
    void reductionsRejectLengthsBeyondTheRows() {
        FloatArray x = ops().alloc(5, 2);
        IntArray tooLong = upInts(new int[] {3, 3});
        Rejects.badInput("reduceSum lengths [3, 3] over 5 rows", () -> ops().reduceSum(x, tooLong), "reduceSum");
        Rejects.badInput("reduceMean lengths [3, 3] over 5 rows", () -> ops().reduceMean(x, tooLong), "reduceMean");
        Rejects.badInput("reduceMax lengths [3, 3] over 5 rows", () -> ops().reduceMax(x, tooLong), "reduceMax");
    }

    @Test
    void reductionsOfNoRowsRejectLengthsThatNeedSome() {
        FloatArray none = ops().alloc(0, 2);
        Rejects.badInput("reduceSum lengths [1] over 0 rows", () -> ops().reduceSum(none, upInts(new int[] {1})), "reduceSum");
        Rejects.badInput("reduceMean lengths [1] over 0 rows", () -> ops().reduceMean(none, upInts(new int[] {1})),
                "reduceMean");
        Rejects.badInput("reduceMax lengths [1] over 0 rows", () -> ops().reduceMax(none, upInts(new int[] {1})), "reduceMax");
        // Empty sequences over no rows are fine: one zero row each.
        assertThat(ops().reduceSum(none, upInts(new int[] {0, 0})).toFloatArray()).containsExactly(0f, 0f, 0f, 0f);
    }

    @Test
    void reductionsRejectNegativeLengths() {
        FloatArray x = ops().alloc(5, 2);
        IntArray negative = upInts(new int[] {6, -1});
        Rejects.badInput("reduceSum lengths [6, -1]", () -> ops().reduceSum(x, negative), "reduceSum");
        Rejects.badInput("reduceMean lengths [6, -1]", () -> ops().reduceMean(x, negative), "reduceMean");
        Rejects.badInput("backpropReduceSum lengths [6, -1]",
                () -> ops().backpropReduceSum(ops().alloc(2, 2), negative), "backpropReduceSum");
        Rejects.badInput("backpropReduceMean lengths [6, -1]",
                () -> ops().backpropReduceMean(ops().alloc(2, 2), negative), "backpropReduceMean");
    }

    @Test
    void reduceMaxRejectsEmptySequences() {
        // Thinc's reduce_max: "all sequence lengths must be > 0".
        Rejects.badInput("reduceMax lengths [0, 5]", () -> ops().reduceMax(ops().alloc(5, 2), upInts(new int[] {0, 5})),
                "reduceMax");
        Rejects.badInput("backpropReduceMax lengths [0, 5]",
                () -> ops().backpropReduceMax(ops().alloc(2, 2), ops().allocInts(2, 2), upInts(new int[] {0, 5})),
                "backpropReduceMax");
    }

    @Test
    void reductionsRejectWrongRankOrGradientRows() {
        Rejects.badInput("reduceSum of a 1-d array", () -> ops().reduceSum(ops().alloc(4), upInts(new int[] {4})), "reduceSum");
        Rejects.badInput("reduceSum with 2-d lengths",
                () -> ops().reduceSum(ops().alloc(4, 2), ops().asInts(new int[] {2, 2}, 1, 2)), "reduceSum");
        Rejects.badInput("backpropReduceSum dY of 3 rows for 2 sequences",
                () -> ops().backpropReduceSum(ops().alloc(3, 2), upInts(new int[] {1, 1})), "backpropReduceSum");
        Rejects.badInput("backpropReduceMean dY of 3 rows for 2 sequences",
                () -> ops().backpropReduceMean(ops().alloc(3, 2), upInts(new int[] {1, 1})), "backpropReduceMean");
        Rejects.badInput("backpropReduceMax which (2, 3) for dY (2, 2)",
                () -> ops().backpropReduceMax(ops().alloc(2, 2), ops().allocInts(2, 3), upInts(new int[] {1, 1})),
                "backpropReduceMax");
    }

    @Test
    void backpropReduceMaxRejectsRowsOutsideTheSequence() {
        // which[s, j] indexes into sequence s: 2 is past a sequence of 2 rows.
        IntArray which = ops().asInts(new int[] {0, 2, 1, 0}, 2, 2);
        Rejects.badInput("backpropReduceMax which=2 in a sequence of 2",
                () -> ops().backpropReduceMax(ops().alloc(2, 2), which, upInts(new int[] {2, 3})), "backpropReduceMax");
        IntArray negative = ops().asInts(new int[] {0, -1, 0, 0}, 2, 2);
        Rejects.badInput("backpropReduceMax which=-1",
                () -> ops().backpropReduceMax(ops().alloc(2, 2), negative, upInts(new int[] {2, 3})), "backpropReduceMax");
    }
}
