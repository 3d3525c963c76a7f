package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Shapes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link dev.thinj.ops.OptimizerKernels}: Adam, SGD, parameter averaging and gradient clipping. */
abstract class OptimizerContract extends KernelContract {
    /**
     * The moments can be far below 1, where an absolute 1e-5 would accept any value: compare them
     * relative to their own size (down to 1e-6), allowing for the cancellation of
     * {@code beta * m + (1 - beta) * g} through the scale term.
     */
    private static final Approx MOMENTS = new Approx(1e-5, 1e-6).withFloor(1e-6);

    /** Hyperparameters of one Adam step. */
    record AdamParams(float beta1, float beta2, float eps, float learnRate, float modRate) {
        @Override
        public String toString() {
            return "b1=" + beta1 + " b2=" + beta2 + " eps=" + eps + " lr=" + learnRate + " mod=" + modRate;
        }
    }

    static Stream<Arguments> adamCases() {
        // A large learning rate makes the update, not the weight, dominate the comparison.
        return ConformanceShapes.anyRank().flatMap(shape -> Stream.of(
                Arguments.of(shape, new AdamParams(0.9f, 0.999f, 1e-8f, 0.1f, 1f)),
                Arguments.of(shape, new AdamParams(0.8f, 0.99f, 1e-4f, 0.01f, 0.5f))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("adamCases")
    void adamStepUpdatesAllFourArrays(int[] shape, AdamParams p) {
        String what = what("adam", shape) + " " + p;
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray w = rnd.uniform(shape);
        HostArray g = rnd.uniform(shape);
        HostArray m1 = rnd.uniform(shape, -0.1f, 0.1f);
        HostArray m2 = rnd.uniform(shape, 0f, 0.01f);
        FloatArray dw = up(w);
        FloatArray dg = up(g);
        FloatArray dm1 = up(m1);
        FloatArray dm2 = up(m2);

        ops().adam(dw, dg, dm1, dm2, p.beta1(), p.beta2(), p.eps(), p.learnRate(), p.modRate());

        OptimizerReference.AdamState expected = OptimizerReference.adam(w, g, m1, m2, p.beta1(), p.beta2(), p.eps(), p.learnRate(), p.modRate());
        Approx.ELEMENTWISE.assertClose(what + " weights", expected.weights(), dw);
        HostArray scale1 = OptimizerReference.adam(w, g.abs(), m1.abs(), m2, p.beta1(), p.beta2(), p.eps(), 0, 1).mom1();
        MOMENTS.assertClose(what + " mom1", expected.mom1(), scale1, dm1);
        MOMENTS.assertClose(what + " mom2", expected.mom2(), dm2);
        assertSameFloats(what + " zeroes the gradient", new float[Shapes.size(shape)], dg.toFloatArray());
    }

    static Stream<Arguments> adamUpdateCases() {
        return ConformanceShapes.anyRank().flatMap(shape -> Stream.of(
                Arguments.of(shape, -1e-3f, true), Arguments.of(shape, 0f, true),
                Arguments.of(shape, -1e-3f, false), Arguments.of(shape, 0f, false)));
    }

    /**
     * The fused update is the three kernels one after another, to the bit, on every backend: Thinc's
     * optimizer (and a model's fixtures) give the same numbers whichever path a backend takes.
     */
    @ParameterizedTest(name = "{0} decay={1} averages={2}")
    @MethodSource("adamUpdateCases")
    void adamUpdateIsAdamThenDecayThenAverages(int[] shape, float decay, boolean withAverages) {
        String what = what("adamUpdate", shape) + " decay=" + decay + " averages=" + withAverages;
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray w = rnd.uniform(shape);
        HostArray g = rnd.uniform(shape);
        HostArray m1 = rnd.uniform(shape, -0.1f, 0.1f);
        HostArray m2 = rnd.uniform(shape, 0f, 0.01f);
        HostArray ema = rnd.uniform(shape);
        float rate = dev.thinj.ops.OptimizerKernels.averagesRate(7, 0.9999);
        FloatArray[] fused = {up(w), up(g), up(m1), up(m2), up(ema)};
        FloatArray[] apart = {up(w), up(g), up(m1), up(m2), up(ema)};

        ops().adamUpdate(fused[0], fused[1], fused[2], fused[3], withAverages ? fused[4] : null, 0.9f, 0.999f, 1e-8f,
                0.05f, 1f, decay, rate);
        ops().adam(apart[0], apart[1], apart[2], apart[3], 0.9f, 0.999f, 1e-8f, 0.05f, 1f);
        if (decay != 0f) {
            ops().axpy(decay, apart[0], apart[0]);
        }
        if (withAverages) {
            ops().updateAverages(apart[4], apart[0], 7, 0.9999);
        }

        String[] names = {"weights", "gradient", "mom1", "mom2", "averages"};
        for (int i = 0; i < names.length; i++) {
            assertSameFloats(what + " " + names[i], apart[i].toFloatArray(), fused[i].toFloatArray());
        }
        if (!withAverages) {
            assertUnchanged(what, "averages", ema, fused[4]);
        }
    }

    static Stream<Arguments> radamCases() {
        return ConformanceShapes.anyRank().flatMap(shape -> Stream.of(
                Arguments.of(shape, true), Arguments.of(shape, false)));
    }

    @ParameterizedTest(name = "{0} rectified={1}")
    @MethodSource("radamCases")
    void radamStepUpdatesAllFourArrays(int[] shape, boolean rectified) {
        String what = what("radam", shape) + " rectified=" + rectified;
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray w = rnd.uniform(shape);
        HostArray g = rnd.uniform(shape);
        HostArray m1 = rnd.uniform(shape, -0.1f, 0.1f);
        HostArray m2 = rnd.uniform(shape, 0f, 0.01f);
        FloatArray dw = up(w);
        FloatArray dg = up(g);
        FloatArray dm1 = up(m1);
        FloatArray dm2 = up(m2);

        ops().radam(dw, dg, dm1, dm2, 0.9f, 0.999f, 1e-8f, 0.05f, rectified);

        OptimizerReference.AdamState expected = OptimizerReference.radam(w, g, m1, m2, 0.9f, 0.999f, 1e-8f, 0.05f, rectified);
        Approx.ELEMENTWISE.assertClose(what + " weights", expected.weights(), dw);
        HostArray scale1 = OptimizerReference.radam(w, g.abs(), m1.abs(), m2, 0.9f, 0.999f, 1e-8f, 0, rectified).mom1();
        MOMENTS.assertClose(what + " mom1", expected.mom1(), scale1, dm1);
        MOMENTS.assertClose(what + " mom2", expected.mom2(), dm2);
        assertSameFloats(what + " zeroes the gradient", new float[Shapes.size(shape)], dg.toFloatArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void sgdStepsAndZeroesGradient(int[] shape) {
        String what = what("sgd", shape);
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray w = rnd.uniform(shape);
        HostArray g = rnd.uniform(shape);
        FloatArray dw = up(w);
        FloatArray dg = up(g);

        ops().sgd(dw, dg, 0.125f);

        Approx.ELEMENTWISE.assertClose(what + " weights", OptimizerReference.sgd(w, g, 0.125f), dw);
        assertSameFloats(what + " zeroes the gradient", new float[Shapes.size(shape)], dg.toFloatArray());
    }

    static Stream<Arguments> averageCases() {
        return ConformanceShapes.anyRank().flatMap(shape -> Stream.of(
                Arguments.of(shape, 0), Arguments.of(shape, 7), Arguments.of(shape, 1_000_000)));
    }

    @ParameterizedTest(name = "{0} t={1}")
    @MethodSource("averageCases")
    void updateAveragesMovesTowardWeights(int[] shape, int t) {
        // t = 1,000,000 makes (1 + t) / (10 + t) exceed maxDecay, so the cap is what is tested.
        String what = what("updateAverages", shape) + " t=" + t;
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray ema = rnd.uniform(shape);
        HostArray w = rnd.uniform(shape);
        FloatArray dema = up(ema);
        FloatArray dw = up(w);

        ops().updateAverages(dema, dw, t, 0.9999);

        Approx.ELEMENTWISE.assertClose(what, OptimizerReference.updateAverages(ema, w, t, 0.9999), dema);
        assertUnchanged(what, "weights", w, dw);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void clipGradientRescalesToThreshold(int[] shape) {
        String what = what("clipGradient", shape) + " norm above threshold";
        HostArray g = RandomArrays.forCase(what, shape).uniform(shape, -3f, 3f);
        double norm = Math.sqrt(ElementwiseReference.sumOfSquares(g));
        float threshold = (float) Math.max(norm / 2, 1e-3);
        FloatArray dg = up(g);

        ops().clipGradient(dg, threshold);

        Approx.REDUCTION.assertClose(what, OptimizerReference.clipGradient(g, threshold), dg);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void clipGradientLeavesSmallGradientsAlone(int[] shape) {
        String what = what("clipGradient", shape) + " norm below threshold";
        HostArray g = RandomArrays.forCase(what, shape).uniform(shape);
        FloatArray dg = up(g);
        ops().clipGradient(dg, 1e6f);
        assertUnchanged(what, "gradient", g, dg);
    }

    @Test
    void clipGradientLeavesAZeroGradientZeroEvenAtThresholdZero() {
        // Thinc would divide 0 by a zero norm here; a zero gradient has nothing to rescale.
        for (float threshold : new float[] {0f, 1f}) {
            FloatArray g = ops().alloc(4, 3);
            ops().clipGradient(g, threshold);
            assertThat(g.toFloatArray()).as("zero gradient clipped at %s", threshold).containsOnly(0f);
        }
        FloatArray g = ops().asArray(new float[] {3f, 4f});
        ops().clipGradient(g, 0f);
        assertThat(g.toFloatArray()).as("norm 5 clipped to 0").containsOnly(0f);
    }

    @ParameterizedTest(name = "NaN at {0}")
    @ValueSource(ints = {0, 4321, 209_999})
    void clipGradientRejectsNaNNorm(int position) {
        float[] values = RandomArrays.forCase("clipGradient NaN", position).uniform(300, 700).toFloats();
        values[position] = Float.NaN;
        FloatArray g = ops().asArray(values, 300, 700);
        // An asynchronous backend may report the fault at its next synchronisation.
        Rejects.numeric("clipGradient with a NaN at " + position, () -> {
            ops().clipGradient(g, 1f);
            ops().synchronize();
        }, "clipGradient");
    }

    @Test
    void optimizersRejectMismatchedShapes() {
        FloatArray w = ops().alloc(6);
        Rejects.badInput("radam mom2 (5,) for weights (6,)",
                () -> ops().radam(w, ops().alloc(6), ops().alloc(6), ops().alloc(5), 0.9f, 0.999f, 1e-8f, 0.001f, true),
                "radam");
        Rejects.badInput("adam gradient (5,) for weights (6,)",
                () -> ops().adam(w, ops().alloc(5), ops().alloc(6), ops().alloc(6), 0.9f, 0.999f, 1e-8f, 0.001f, 1f), "adam");
        Rejects.badInput("adam mom1 (7,) for weights (6,)",
                () -> ops().adam(w, ops().alloc(6), ops().alloc(7), ops().alloc(6), 0.9f, 0.999f, 1e-8f, 0.001f, 1f), "adam");
        Rejects.badInput("adam mom2 (5,) for weights (6,)",
                () -> ops().adam(w, ops().alloc(6), ops().alloc(6), ops().alloc(5), 0.9f, 0.999f, 1e-8f, 0.001f, 1f), "adam");
        Rejects.badInput("adamUpdate averages (5,) for weights (6,)",
                () -> ops().adamUpdate(w, ops().alloc(6), ops().alloc(6), ops().alloc(6), ops().alloc(5), 0.9f, 0.999f,
                        1e-8f, 0.001f, 1f, 0f, 0.1f), "adamUpdate");
        Rejects.badInput("adamUpdate mom1 (7,) for weights (6,)",
                () -> ops().adamUpdate(w, ops().alloc(6), ops().alloc(7), ops().alloc(6), null, 0.9f, 0.999f, 1e-8f,
                        0.001f, 1f, 0f, 0f), "adamUpdate");
        Rejects.badInput("sgd gradient (5,) for weights (6,)", () -> ops().sgd(w, ops().alloc(5), 0.1f), "sgd");
        Rejects.badInput("updateAverages weights (5,) for ema (6,)",
                () -> ops().updateAverages(w, ops().alloc(5), 1, 0.9999), "updateAverages");
    }
}
