package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link dev.thinj.ops.LossKernels}: one-hot targets, loss gradients and the range check. */
abstract class LossContract extends KernelContract {

    static Stream<Arguments> oneHotCases() {
        return Stream.of(Arguments.of(0, 5, 0f), Arguments.of(1, 1, 0f), Arguments.of(7, 13, 0f),
                Arguments.of(33, 65, 0.1f), Arguments.of(300, 700, 0.2f), Arguments.of(40, 2, 0.3f));
    }

    @ParameterizedTest(name = "labels={0} classes={1} smoothing={2}")
    @MethodSource("oneHotCases")
    void oneHotWithSmoothing(int n, int classes, float smoothing) {
        String what = "oneHot labels=" + n + " classes=" + classes + " smoothing=" + smoothing;
        int[] labels = RandomArrays.forCase(what, n, classes).ints(n, 0, classes);
        IntArray dl = upInts(labels);

        FloatArray y = ops().oneHot(dl, classes, smoothing);

        Approx.ELEMENTWISE.assertClose(what, LossReference.oneHot(labels, classes, smoothing), y);
        Approx.assertInts(what + " must not modify 'labels'", labels, dl);
    }

    static Stream<Arguments> scaledDifferenceCases() {
        return ConformanceShapes.anyRank().flatMap(s -> Stream.of(Arguments.of(s, false), Arguments.of(s, true)));
    }

    @ParameterizedTest(name = "{0} mask={1}")
    @MethodSource("scaledDifferenceCases")
    void scaledDifference(int[] shape, boolean withMask) {
        String what = what("scaledDifference", shape) + (withMask ? " masked" : "");
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray guesses = rnd.uniform(shape, 0f, 1f);
        HostArray truths = rnd.uniform(shape, 0f, 1f);
        HostArray mask = withMask ? rnd.integers(shape, 0, 1) : null;
        FloatArray dg = up(guesses);
        FloatArray dt = up(truths);
        FloatArray dm = withMask ? up(mask) : null;
        float scale = 1f / Math.max(1, shape[0]);

        FloatArray d = ops().scaledDifference(dg, dt, dm, scale);

        Approx.ELEMENTWISE.assertClose(what, LossReference.scaledDifference(guesses, truths, mask, scale), d);
        assertUnchanged(what, "guesses", guesses, dg);
        assertUnchanged(what, "truths", truths, dt);
        if (withMask) {
            assertUnchanged(what, "mask", mask, dm);
        }
    }

    @Test
    void allInRangeIncludesBothBounds() {
        assertThat(ops().allInRange(ops().asArray(new float[] {0f, 0.5f, 1f}), 0f, 1f)).as("allInRange [0, 0.5, 1] in [0, 1]")
                .isTrue();
        assertThat(ops().allInRange(ops().asArray(new float[] {0f, 1.0000001f}), 0f, 1f)).as("allInRange 1.0000001 in [0, 1]")
                .isFalse();
        assertThat(ops().allInRange(ops().asArray(new float[] {-1e-7f, 0.5f}), 0f, 1f)).as("allInRange -1e-7 in [0, 1]")
                .isFalse();
        assertThat(ops().allInRange(ops().alloc(0, 3), 0f, 1f)).as("allInRange of an empty array").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void allInRangeFindsAnyOutlier(int[] shape) {
        String what = what("allInRange", shape);
        HostArray x = RandomArrays.forCase(what, shape).uniform(shape, 0f, 1f);
        FloatArray dx = up(x);
        assertThat(ops().allInRange(dx, 0f, 1f)).as("%s of values in [0, 1)", what).isTrue();
        assertUnchanged(what, "x", x, dx);
        if (x.size() > 0) {
            // The last element: a parallel backend must not skip the tail of its last chunk.
            HostArray outlier = x.copy();
            outlier.data()[x.size() - 1] = 1.5;
            assertThat(ops().allInRange(up(outlier), 0f, 1f)).as("%s with 1.5 as the last element", what).isFalse();
        }
    }

    static Stream<Arguments> cosineCases() {
        return ConformanceShapes.matrices().flatMap(s -> Stream.of(Arguments.of(s, false), Arguments.of(s, true)));
    }

    @ParameterizedTest(name = "{0} ignoreZeros={1}")
    @MethodSource("cosineCases")
    void cosineDistanceGradientAndLoss(int[] shape, boolean ignoreZeros) {
        String what = what("cosineDistance", shape) + " ignoreZeros=" + ignoreZeros;
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray guesses = rnd.uniform(shape);
        HostArray truths = rnd.uniform(shape);
        int rows = shape[0];
        int n = shape[1];
        if (rows > 2) {
            // All-zero truth rows: skipped with ignoreZeros, otherwise scored against Thinc's 1e-8 offset.
            Arrays.fill(truths.data(), 0, n, 0.0);
            Arrays.fill(truths.data(), (rows - 1) * n, rows * n, 0.0);
        }
        float scale = 1f / Math.max(1, rows);
        FloatArray dg = up(guesses);
        FloatArray dt = up(truths);

        CosineDistanceResult r = ops().cosineDistance(dg, dt, ignoreZeros, scale);

        LossReference.Cosine expected = LossReference.cosineDistance(guesses, truths, ignoreZeros, scale);
        Approx.REDUCTION.assertClose(what + " gradient", expected.gradient(), gradientScale(guesses, truths, scale), r.gradient());
        assertThat(r.loss().size()).as("%s loss is one element", what).isEqualTo(1);
        Approx.REDUCTION.assertClose(what + " loss", expected.loss(), 2.0 * rows * scale, r.loss().item());
        assertUnchanged(what, "guesses", guesses, dg);
        assertUnchanged(what, "truths", truths, dt);
    }

    /**
     * A guess row of zeros, as from Thinc's zero-initialised output layers, has a direction only
     * through the 1e-8 added to it: along (1, ..., 1). Its cosine with the truth, and so its loss,
     * depends on that offset's sign; the gradient does not (the sign cancels), so the loss is what
     * must match.
     */
    @ParameterizedTest(name = "ignoreZeros={0}")
    @ValueSource(booleans = {false, true})
    void cosineDistanceOfAllZeroGuessRows(boolean ignoreZeros) {
        int[] shape = {4, 3};
        String what = "cosineDistance with zero guess rows ignoreZeros=" + ignoreZeros;
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray guesses = rnd.uniform(shape, 0.1f, 1f);
        HostArray truths = rnd.uniform(shape, 0.1f, 1f);
        Arrays.fill(guesses.data(), 0, 3, 0.0);
        Arrays.fill(guesses.data(), 9, 12, 0.0);
        // Row 0 is pointed away from (1, 1, 1), so the loss of its zero guess is far from 0 and 2.
        truths.data()[0] = -1.0;
        truths.data()[1] = -0.5;
        Arrays.fill(truths.data(), 3, 6, 0.0);
        float scale = 0.25f;

        CosineDistanceResult r = ops().cosineDistance(up(guesses), up(truths), ignoreZeros, scale);

        LossReference.Cosine expected = LossReference.cosineDistance(guesses, truths, ignoreZeros, scale);
        Approx.REDUCTION.assertClose(what + " loss", expected.loss(), 2.0 * shape[0] * scale, r.loss().item());
        Approx.REDUCTION.assertClose(what + " gradient", expected.gradient(), gradientScale(guesses, truths, scale),
                r.gradient());
    }

    /**
     * The size of the two terms whose difference is the cosine gradient,
     * {@code |y| / (|yh| |y|) + |cos| |yh| / |yh|^2}: float32 rounds them, not their small difference.
     */
    private static HostArray gradientScale(HostArray guesses, HostArray truths, double scale) {
        int rows = guesses.dim(0);
        int n = guesses.dim(1);
        double[] r = new double[guesses.size()];
        for (int i = 0; i < rows; i++) {
            double yhSq = 0;
            double ySq = 0;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                double yh = guesses.at(i, j) + LossReference.COSINE_OFFSET;
                double y = truths.at(i, j) + LossReference.COSINE_OFFSET;
                yhSq += yh * yh;
                ySq += y * y;
                dot += yh * y;
            }
            double norms = Math.sqrt(yhSq) * Math.sqrt(ySq);
            double cos = Math.abs(dot / norms);
            for (int j = 0; j < n; j++) {
                double yh = guesses.at(i, j) + LossReference.COSINE_OFFSET;
                double y = truths.at(i, j) + LossReference.COSINE_OFFSET;
                r[i * n + j] = (Math.abs(y) / norms + cos * Math.abs(yh) / yhSq) * scale;
            }
        }
        return new HostArray(r, guesses.shape().clone());
    }

    // ---- bad input -----------------------------------------------------------------------------

    @Test
    void oneHotRejectsOutOfRangeLabelsAndSmoothing() {
        Rejects.badInput("oneHot label 3 with 3 classes", () -> ops().oneHot(upInts(new int[] {0, 3}), 3, 0f), "oneHot");
        Rejects.badInput("oneHot label -1", () -> ops().oneHot(upInts(new int[] {-1, 0}), 3, 0f), "oneHot");
        Rejects.badInput("oneHot 2-d labels", () -> ops().oneHot(ops().asInts(new int[] {0, 1}, 1, 2), 3, 0f), "oneHot");
        // Thinc's to_categorical: smoothing must be >= 0 and below (nClasses - 1) / nClasses.
        Rejects.badInput("oneHot smoothing 2/3 with 3 classes", () -> ops().oneHot(upInts(new int[] {0}), 3, 2f / 3f), "oneHot");
        Rejects.badInput("oneHot smoothing -0.1", () -> ops().oneHot(upInts(new int[] {0}), 3, -0.1f), "oneHot");
        Rejects.badInput("oneHot smoothing 0.1 with 1 class", () -> ops().oneHot(upInts(new int[] {0}), 1, 0.1f), "oneHot");
        Rejects.badInput("oneHot with 0 classes", () -> ops().oneHot(upInts(new int[] {}), 0, 0f), "oneHot");
    }

    @Test
    void lossKernelsRejectMismatchedShapes() {
        FloatArray g = ops().alloc(4, 3);
        Rejects.badInput("scaledDifference truths (4, 2)", () -> ops().scaledDifference(g, ops().alloc(4, 2), null, 1f),
                "scaledDifference");
        Rejects.badInput("scaledDifference mask (3, 3)", () -> ops().scaledDifference(g, ops().alloc(4, 3), ops().alloc(3, 3), 1f),
                "scaledDifference");
        Rejects.badInput("cosineDistance truths (4, 2)", () -> ops().cosineDistance(g, ops().alloc(4, 2), false, 1f),
                "cosineDistance");
        Rejects.badInput("cosineDistance of 1-d arrays", () -> ops().cosineDistance(ops().alloc(3), ops().alloc(3), false, 1f),
                "cosineDistance");
    }
}
