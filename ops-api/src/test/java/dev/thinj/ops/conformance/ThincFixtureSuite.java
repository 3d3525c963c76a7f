package dev.thinj.ops.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.conformance.ThincFixtures.Case;
import dev.thinj.ops.conformance.ThincFixtures.FixtureArray;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every case of {@code /fixtures/thinc_ops.json} (numbers computed by Thinc's
 * {@code NumpyOps}, see {@link ThincFixtures}) against a backend and checks our kernels reproduce
 * them to float32 precision. Each case is its own dynamic test, grouped by Thinc kernel.
 *
 * <p>A backend module runs it with a one-line subclass:
 *
 * <pre>{@code
 * class CpuThincFixtureTest extends ThincFixtureSuite {
 *     protected Ops ops() { return Ops.get("cpu"); }
 * }
 * }</pre>
 *
 * <p><b>Tolerance.</b> An element passes when {@code |actual - expected| <= 1e-5 * max(|expected|, floor)}
 * where {@code floor = min(1, max |expected|)} over the whole output array. For arrays of ordinary
 * magnitude this is the usual {@code 1e-5 * max(1, |expected|)}; for arrays of small numbers (Adam's
 * second moment, batch-normalised gradients) the floor shrinks with them, so a 1e-5 absolute error
 * that would be a large relative one is not accepted. An all-zero expectation must be matched
 * exactly. One kernel measures the error differently: the cosine-distance gradient is a difference of
 * terms that cancel, so its floor is the size of those terms (see {@code cosineDistance}); Thinc's
 * float32 leaves rounding noise there that an exact backend does not reproduce. No kernel needs a
 * larger relative tolerance than 1e-5.
 */
public abstract class ThincFixtureSuite {
    /** Relative tolerance: a few float32 ulps of headroom for differently ordered sums. */
    static final double RELATIVE_TOLERANCE = 1e-5;

    /** How each Thinc kernel in the fixture file is replayed with ours. */
    private static final Map<String, BiConsumer<ThincFixtureSuite, Case>> CHECKS = Map.ofEntries(
            Map.entry("gemm", ThincFixtureSuite::gemm),
            Map.entry("affine", ThincFixtureSuite::affine),
            Map.entry("relu", ThincFixtureSuite::relu),
            Map.entry("sigmoid", ThincFixtureSuite::sigmoid),
            Map.entry("tanh", ThincFixtureSuite::tanh),
            Map.entry("gelu", ThincFixtureSuite::gelu),
            Map.entry("swish", ThincFixtureSuite::swish),
            Map.entry("softmax", ThincFixtureSuite::softmax),
            Map.entry("maxout", ThincFixtureSuite::maxout),
            Map.entry("reduce_sum", ThincFixtureSuite::reduceSum),
            Map.entry("reduce_mean", ThincFixtureSuite::reduceMean),
            Map.entry("reduce_max", ThincFixtureSuite::reduceMax),
            Map.entry("adam", ThincFixtureSuite::adam),
            Map.entry("update_averages", ThincFixtureSuite::updateAverages),
            Map.entry("clip_gradient", ThincFixtureSuite::clipGradient),
            Map.entry("to_categorical", ThincFixtureSuite::toCategorical),
            Map.entry("layer_norm", ThincFixtureSuite::layerNorm),
            Map.entry("categorical_crossentropy", ThincFixtureSuite::categoricalCrossentropy),
            Map.entry("l2_distance", ThincFixtureSuite::l2Distance),
            Map.entry("cosine_distance", ThincFixtureSuite::cosineDistance));

    /** @return the backend under test; called several times per case, so return a shared instance */
    protected abstract Ops ops();

    /** @return one container per Thinc kernel, one test per fixture case */
    @TestFactory
    Stream<DynamicNode> thincFixtures() {
        Map<String, List<Case>> byKernel = ThincFixtures.load().cases().stream()
                .collect(Collectors.groupingBy(Case::kernel, LinkedHashMap::new, Collectors.toList()));
        return byKernel.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(),
                e.getValue().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)))));
    }

    /** @return the Thinc kernels this suite knows how to replay */
    static Set<String> kernels() {
        return CHECKS.keySet();
    }

    private void run(Case c) {
        BiConsumer<ThincFixtureSuite, Case> check = CHECKS.get(c.kernel());
        if (check == null) {
            fail("no check for Thinc kernel '" + c.kernel() + "' (case " + c.name() + ")");
        }
        // Frees every array the case creates, so a long suite does not lean on the GC.
        try (ArrayScope scope = ops().scope()) {
            check.accept(this, c);
        }
    }

    // ---- linear ----

    private void gemm(Case c) {
        Ops ops = ops();
        boolean transA = c.flag("trans_a");
        boolean transB = c.flag("trans_b");
        FloatArray a = floats(c.input("a"));
        FloatArray b = floats(c.input("b"));
        FixtureArray expected = c.output("out");
        assertClose("gemm (new array)", expected, ops.gemm(a, b, transA, transB));

        // Thinc's gemm(out=...) overwrites; beta = 0 must ignore even NaN already there.
        FloatArray out = ops.alloc(expected.shape());
        ops.fill(out, Float.NaN);
        assertSame(out, ops.gemm(a, b, out, transA, transB), "gemm(out) returns out");
        assertClose("gemm (into NaN-filled out)", expected, out);

        // The accumulating form the backward passes use, derived from Thinc's product.
        float[] start = new float[expected.size()];
        float[] accumulated = new float[expected.size()];
        float[] product = expected.floats();
        for (int i = 0; i < start.length; i++) {
            start[i] = 0.25f * (i % 7) - 0.75f;
            accumulated[i] = 0.5f * product[i] + start[i];
        }
        FloatArray acc = ops.asArray(start, expected.shape());
        ops.gemm(a, b, acc, transA, transB, 0.5f, 1f);
        assertClose("gemm (alpha 0.5, beta 1)", new FixtureArray(expected.shape(), accumulated, null), acc);
    }

    private void affine(Case c) {
        Ops ops = ops();
        assertClose("affine", c.output("y"), ops.affine(floats(c.input("x")), floats(c.input("w")), floats(c.input("b"))));
    }

    // ---- activations: each forward and backward, as a copy and in place ----

    private void relu(Case c) {
        Ops ops = ops();
        elementwise("relu", c.input("x"), c.output("y"), ops::relu);
        FloatArray y = floats(c.output("y"));
        elementwise("backpropRelu", c.input("dY"), c.output("dX"), (dY, inplace) -> ops.backpropRelu(dY, y, inplace));
        assertUnchanged("backpropRelu Y", c.output("y"), y);
    }

    private void sigmoid(Case c) {
        Ops ops = ops();
        elementwise("sigmoid", c.input("x"), c.output("y"), ops::sigmoid);
        FloatArray y = floats(c.output("y"));
        elementwise("backpropSigmoid", c.input("dY"), c.output("dX"),
                (dY, inplace) -> ops.backpropSigmoid(dY, y, inplace));
        assertUnchanged("backpropSigmoid Y", c.output("y"), y);
    }

    private void tanh(Case c) {
        Ops ops = ops();
        elementwise("tanh", c.input("x"), c.output("y"), ops::tanh);
        FloatArray y = floats(c.output("y"));
        elementwise("backpropTanh", c.input("dY"), c.output("dX"), (dY, inplace) -> ops.backpropTanh(dY, y, inplace));
        assertUnchanged("backpropTanh Y", c.output("y"), y);
    }

    private void gelu(Case c) {
        Ops ops = ops();
        elementwise("gelu", c.input("x"), c.output("y"), ops::gelu);
        FloatArray x = floats(c.input("x"));
        elementwise("backpropGelu", c.input("dY"), c.output("dX"), (dY, inplace) -> ops.backpropGelu(dY, x, inplace));
        assertUnchanged("backpropGelu X", c.input("x"), x);
    }

    private void swish(Case c) {
        Ops ops = ops();
        elementwise("swish", c.input("x"), c.output("y"), ops::swish);
        FloatArray x = floats(c.input("x"));
        FloatArray y = floats(c.output("y"));
        elementwise("backpropSwish", c.input("dY"), c.output("dX"),
                (dY, inplace) -> ops.backpropSwish(dY, x, y, inplace));
        assertUnchanged("backpropSwish X", c.input("x"), x);
        assertUnchanged("backpropSwish Y", c.output("y"), y);
    }

    private void softmax(Case c) {
        Ops ops = ops();
        float temperature = (float) c.number("temperature");
        elementwise("softmax", c.input("x"), c.output("y"), (x, inplace) -> ops.softmax(x, temperature, inplace));
        // The backward is fed Thinc's Y, so it is checked independently of our forward.
        FloatArray y = floats(c.output("y"));
        FloatArray dY = floats(c.input("dY"));
        assertClose("backpropSoftmax", c.output("dX"), ops.backpropSoftmax(y, dY, temperature));
        assertUnchanged("backpropSoftmax dY", c.input("dY"), dY);
    }

    private void maxout(Case c) {
        Ops ops = ops();
        try (MaxResult r = ops.maxout(floats(c.input("x")))) {
            assertClose("maxout best", c.output("best"), r.max());
            assertInts("maxout which", c.output("which"), r.which());
        }
        if (c.outputs().containsKey("dX")) {
            IntArray which = ints(c.output("which"));
            assertClose("backpropMaxout", c.output("dX"),
                    ops.backpropMaxout(floats(c.input("dY")), which, (int) c.number("pieces")));
        }
    }

    // ---- sequence reductions ----

    private void reduceSum(Case c) {
        Ops ops = ops();
        IntArray lengths = ints(c.input("lengths"));
        assertClose("reduceSum", c.output("y"), ops.reduceSum(floats(c.input("x")), lengths));
        assertClose("backpropReduceSum", c.output("dX"), ops.backpropReduceSum(floats(c.input("dY")), lengths));
    }

    private void reduceMean(Case c) {
        Ops ops = ops();
        IntArray lengths = ints(c.input("lengths"));
        assertClose("reduceMean", c.output("y"), ops.reduceMean(floats(c.input("x")), lengths));
        assertClose("backpropReduceMean", c.output("dX"), ops.backpropReduceMean(floats(c.input("dY")), lengths));
    }

    private void reduceMax(Case c) {
        Ops ops = ops();
        IntArray lengths = ints(c.input("lengths"));
        try (MaxResult r = ops.reduceMax(floats(c.input("x")), lengths)) {
            assertClose("reduceMax", c.output("y"), r.max());
            assertInts("reduceMax which", c.output("which"), r.which());
        }
        assertClose("backpropReduceMax", c.output("dX"),
                ops.backpropReduceMax(floats(c.input("dY")), ints(c.output("which")), lengths));
    }

    // ---- optimizer arithmetic ----

    private void adam(Case c) {
        Ops ops = ops();
        FloatArray weights = floats(c.input("weights"));
        FloatArray gradient = floats(c.input("gradient"));
        FloatArray mom1 = floats(c.input("mom1"));
        FloatArray mom2 = floats(c.input("mom2"));
        ops.adam(weights, gradient, mom1, mom2, (float) c.number("beta1"), (float) c.number("beta2"),
                (float) c.number("eps"), (float) c.number("learn_rate"), (float) c.number("mod_rate"));
        assertClose("adam weights", c.output("weights"), weights);
        assertClose("adam mom1", c.output("mom1"), mom1);
        assertClose("adam mom2", c.output("mom2"), mom2);
        // NumpyOps zeroes the gradient, and so does our contract. The mod_rate case comes from
        // Thinc's generic Ops, which leaves it alone and so records none: expect zeros there too.
        FixtureArray zeros = new FixtureArray(c.input("gradient").shape(), new float[c.input("gradient").size()], null);
        assertClose("adam gradient", c.outputs().getOrDefault("gradient", zeros), gradient);
    }

    private void updateAverages(Case c) {
        Ops ops = ops();
        FloatArray ema = floats(c.input("ema"));
        FloatArray weights = floats(c.input("weights"));
        ops.updateAverages(ema, weights, (int) c.number("t"), c.number("max_decay"));
        assertClose("updateAverages", c.output("ema"), ema);
        assertUnchanged("updateAverages weights", c.input("weights"), weights);
    }

    private void clipGradient(Case c) {
        Ops ops = ops();
        FloatArray gradient = floats(c.input("gradient"));
        ops.clipGradient(gradient, (float) c.number("threshold"));
        assertClose("clipGradient", c.output("gradient"), gradient);
    }

    // ---- normalisation ----

    private void layerNorm(Case c) {
        Ops ops = ops();
        FloatArray x = floats(c.input("x"));
        FloatArray gain = floats(c.input("gain"));
        LayerNormResult forward = ops.layerNorm(x, gain, floats(c.input("bias")));
        assertClose("layerNorm output", c.output("y"), forward.output());
        // Thinc keeps the moments as (batch, 1); we only promise (batch) elements.
        assertCloseFlat("layerNorm mean", c.output("mean"), forward.mean());
        assertCloseFlat("layerNorm variance (with 1e-8)", c.output("variance"), forward.variance());

        // The fixture's gradients start nonzero: Thinc's inc_grad adds into them, as ours must.
        FloatArray dGain = floats(c.input("dGain"));
        FloatArray dBias = floats(c.input("dBias"));
        FloatArray dX = ops.backpropLayerNorm(floats(c.input("dY")), x, gain, forward, dGain, dBias);
        assertClose("backpropLayerNorm dX", c.output("dX"), dX);
        assertClose("backpropLayerNorm dGain (accumulated)", c.output("dGain"), dGain);
        assertClose("backpropLayerNorm dBias (accumulated)", c.output("dBias"), dBias);
    }

    // ---- losses ----

    private void toCategorical(Case c) {
        Ops ops = ops();
        assertClose("oneHot", c.output("y"), ops.oneHot(ints(c.input("labels")), (int) c.number("n_classes"),
                (float) c.number("label_smoothing")));
    }

    private void categoricalCrossentropy(Case c) {
        Ops ops = ops();
        FixtureArray guessesHost = c.input("guesses");
        int batch = guessesHost.shape()[0];
        int classes = guessesHost.shape()[1];
        int[] labels = c.input("labels").ints();
        for (int i = 0; i < labels.length; i++) {
            // A missing label (negative) is masked out; any valid class will do for its one-hot row.
            labels[i] = Math.max(labels[i], 0);
        }
        FloatArray truths = ops.oneHot(ops.asInts(labels), classes, (float) c.number("label_smoothing"));
        FloatArray mask = c.inputs().containsKey("mask") ? floats(c.input("mask")) : null;
        float scale = c.flag("normalize") ? 1f / batch : 1f;
        FloatArray grad = ops.scaledDifference(floats(guessesHost), truths, mask, scale);
        assertClose("CategoricalCrossentropy gradient (scaledDifference)", c.output("grad"), grad);
        // Thinc's CCE "loss" is the sum of squares of its gradient.
        assertCloseFlat("CategoricalCrossentropy loss (sumOfSquares)", c.output("loss"), ops.sumOfSquares(grad));
    }

    private void l2Distance(Case c) {
        Ops ops = ops();
        FloatArray guesses = floats(c.input("guesses"));
        float scale = c.flag("normalize") ? 1f / guesses.dim(0) : 1f;
        FloatArray grad = ops.scaledDifference(guesses, floats(c.input("truths")), null, scale);
        assertClose("L2Distance gradient (scaledDifference)", c.output("grad"), grad);
        assertCloseFlat("L2Distance loss (sumOfSquares)", c.output("loss"), ops.sumOfSquares(grad));
    }

    private void cosineDistance(Case c) {
        Ops ops = ops();
        FloatArray guesses = floats(c.input("guesses"));
        float scale = c.flag("normalize") ? 1f / guesses.dim(0) : 1f;
        try (CosineDistanceResult r = ops.cosineDistance(guesses, floats(c.input("truths")), c.flag("ignore_zeros"),
                scale)) {
            // Each gradient element is a difference of two terms of size up to scale / |guess row|,
            // which cancel exactly when guess and truth are parallel (always, in one dimension).
            // Thinc's float32 leaves an ulp of those terms there (1.19e-7 for the 1x1 cases, where
            // the exact gradient is 0), so the error is measured against the terms, not the result.
            FixtureArray g = c.input("guesses");
            double termScale = 0;
            for (int row = 0; row < g.shape()[0]; row++) {
                double norm = 0;
                for (int j = 0; j < g.shape()[1]; j++) {
                    double v = g.floats()[row * g.shape()[1] + j];
                    norm += v * v;
                }
                termScale = Math.max(termScale, scale / Math.sqrt(norm));
            }
            assertClose("CosineDistance gradient", c.output("grad"), r.gradient(), Math.min(1.0, termScale));
            assertCloseFlat("CosineDistance loss", c.output("loss"), r.loss());
        }
    }

    // ---- helpers ----

    /**
     * Checks an elementwise kernel both ways: as a copy (input untouched) and in place (input
     * overwritten and returned), as Thinc's {@code inplace} flag promises.
     */
    private void elementwise(String what, FixtureArray input, FixtureArray expected,
            BiFunction<FloatArray, Boolean, FloatArray> kernel) {
        FloatArray x = floats(input);
        assertClose(what, expected, kernel.apply(x, false));
        assertUnchanged(what + " input (not in place)", input, x);
        FloatArray inplace = floats(input);
        assertSame(inplace, kernel.apply(inplace, true), what + " in place returns its argument");
        assertClose(what + " (in place)", expected, inplace);
    }

    private FloatArray floats(FixtureArray a) {
        return ops().asArray(a.floats(), a.shape());
    }

    private IntArray ints(FixtureArray a) {
        return ops().asInts(a.ints(), a.shape());
    }

    private static void assertUnchanged(String what, FixtureArray original, FloatArray actual) {
        assertArrayEquals(original.floats(), actual.toFloatArray(), what + " was modified");
    }

    private static void assertInts(String what, FixtureArray expected, IntArray actual) {
        assertShape(what, expected, actual);
        assertArrayEquals(expected.ints(), actual.toIntArray(), what);
    }

    private static void assertClose(String what, FixtureArray expected, FloatArray actual) {
        assertShape(what, expected, actual);
        assertValues(what, expected.floats(), actual.toFloatArray(), defaultFloor(expected.floats()));
    }

    /** With the error floor given: for a kernel whose outputs are small differences of larger terms. */
    private static void assertClose(String what, FixtureArray expected, FloatArray actual, double floor) {
        assertShape(what, expected, actual);
        assertValues(what, expected.floats(), actual.toFloatArray(), floor);
    }

    /** For results whose layout we define differently from NumPy's (a loss as [1], moments as (batch)). */
    private static void assertCloseFlat(String what, FixtureArray expected, FloatArray actual) {
        assertEquals(expected.size(), actual.size(), what + ": element count");
        assertValues(what, expected.floats(), actual.toFloatArray(), defaultFloor(expected.floats()));
    }

    private static void assertShape(String what, FixtureArray expected, NdArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), () -> what + ": shape " + Arrays.toString(actual.shape())
                + ", Thinc's is " + Arrays.toString(expected.shape()));
    }

    /** The array's own scale capped at 1 (see the class comment). */
    private static double defaultFloor(float[] expected) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        return Math.min(1.0, scale);
    }

    private static void assertValues(String what, float[] expected, float[] actual, double floor) {
        assertEquals(expected.length, actual.length, what + ": element count");
        int bad = 0;
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            double allowed = RELATIVE_TOLERANCE * Math.max(Math.abs(expected[i]), floor);
            // Written so that a NaN difference fails.
            if (!(diff <= allowed)) {
                bad++;
                double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / Math.max(allowed, Double.MIN_VALUE);
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (bad > 0) {
            int w = worst;
            fail(String.format("%s: %d of %d elements differ from Thinc beyond %.0e (relative, floor %.3g); worst at "
                    + "flat index %d: Thinc %s, ours %s", what, bad, expected.length, RELATIVE_TOLERANCE, floor, w,
                    Float.toString(expected[w]), Float.toString(actual[w])));
        }
    }
}
