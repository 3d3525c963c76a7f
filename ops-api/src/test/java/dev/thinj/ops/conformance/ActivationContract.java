package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.conformance.ActivationReference.Unary;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link dev.thinj.ops.ActivationKernels}: Thinc's activations and their backward passes, softmax,
 * maxout, argmax and the dropout mask.
 */
abstract class ActivationContract extends KernelContract {

    static Stream<Arguments> unaryCases() {
        return Stream.of(Unary.values()).flatMap(f -> ConformanceShapes.anyRank()
                .flatMap(shape -> Stream.of(Arguments.of(f, shape, false), Arguments.of(f, shape, true))));
    }

    private FloatArray forward(Unary f, FloatArray x, boolean inplace) {
        return switch (f) {
            case RELU -> ops().relu(x, inplace);
            case SIGMOID -> ops().sigmoid(x, inplace);
            case TANH -> ops().tanh(x, inplace);
            case GELU -> ops().gelu(x, inplace);
            case SWISH -> ops().swish(x, inplace);
        };
    }

    private static String kernel(Unary f) {
        return f.name().toLowerCase(Locale.ROOT);
    }

    private static String backpropKernel(Unary f) {
        String k = kernel(f);
        return "backprop" + Character.toUpperCase(k.charAt(0)) + k.substring(1);
    }

    /** Checks the in-place contract: the same array comes back, or the input is left untouched. */
    private static void assertInPlaceContract(String what, boolean inplace, FloatArray result, FloatArray first,
            String firstName, HostArray firstBefore) {
        if (inplace) {
            assertThat(result).as("%s with inplace returns its '%s' argument", what, firstName).isSameAs(first);
        } else {
            assertThat(result).as("%s without inplace returns a new array", what).isNotSameAs(first);
            assertUnchanged(what, firstName, firstBefore, first);
        }
    }

    @ParameterizedTest(name = "{0} {1} inplace={2}")
    @MethodSource("unaryCases")
    void activationForward(Unary f, int[] shape, boolean inplace) {
        String what = what(kernel(f), shape) + (inplace ? " inplace" : "");
        HostArray x = RandomArrays.forCase(what, shape).activationInputs(shape);
        FloatArray dx = up(x);

        FloatArray y = forward(f, dx, inplace);

        assertInPlaceContract(what, inplace, y, dx, "x", x);
        Approx.ELEMENTWISE.assertClose(what, ActivationReference.activation(f, x), y);
    }

    @ParameterizedTest(name = "{0} {1} inplace={2}")
    @MethodSource("unaryCases")
    void activationBackward(Unary f, int[] shape, boolean inplace) {
        String kernel = backpropKernel(f);
        String what = what(kernel, shape) + (inplace ? " inplace" : "");
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray x = rnd.activationInputs(shape);
        HostArray y = ActivationReference.activation(f, x).roundedToFloat();
        HostArray dY = rnd.uniform(shape);
        FloatArray ddY = up(dY);
        FloatArray dx = up(x);
        FloatArray dy = up(y);

        FloatArray dX;
        HostArray expected;
        switch (f) {
            case RELU -> {
                dX = ops().backpropRelu(ddY, dy, inplace);
                expected = ActivationReference.backpropRelu(dY, y);
            }
            case SIGMOID -> {
                dX = ops().backpropSigmoid(ddY, dy, inplace);
                expected = ActivationReference.backpropSigmoid(dY, y);
            }
            case TANH -> {
                dX = ops().backpropTanh(ddY, dy, inplace);
                expected = ActivationReference.backpropTanh(dY, y);
            }
            case GELU -> {
                dX = ops().backpropGelu(ddY, dx, inplace);
                expected = ActivationReference.backpropGelu(dY, x);
            }
            case SWISH -> {
                dX = ops().backpropSwish(ddY, dx, dy, inplace);
                expected = ActivationReference.backpropSwish(dY, x, y);
            }
            default -> throw new AssertionError(f);
        }

        assertInPlaceContract(what, inplace, dX, ddY, "dY", dY);
        Approx.ELEMENTWISE.assertClose(what, expected, dX);
        assertUnchanged(what, "x", x, dx);
        assertUnchanged(what, "y", y, dy);
    }

    @Test
    void sigmoidClipsItsInputAtTwenty() {
        // Thinc clips to [-20, 20] before exp, so sigmoid(-30) is sigmoid(-20), not 9.4e-14.
        FloatArray y = ops().sigmoid(ops().asArray(new float[] {-30f, -20f, 30f}), false);
        assertThat((double) y.get(0)).as("sigmoid(-30)").isCloseTo(ActivationReference.sigmoid(-20), withinPercentage(1e-3));
        assertThat((double) y.get(1)).as("sigmoid(-20)").isCloseTo(ActivationReference.sigmoid(-20), withinPercentage(1e-3));
        assertThat(y.get(2)).as("sigmoid(30)").isEqualTo((float) ActivationReference.sigmoid(20));
    }

    static Stream<Arguments> softmaxCases() {
        return ConformanceShapes.anyRank().flatMap(shape -> Stream.of(
                Arguments.of(shape, 1f, false), Arguments.of(shape, 0.5f, false), Arguments.of(shape, 2f, true)));
    }

    @ParameterizedTest(name = "{0} temperature={1} inplace={2}")
    @MethodSource("softmaxCases")
    void softmaxOverLastAxis(int[] shape, float temperature, boolean inplace) {
        String what = what("softmax", shape) + " temperature=" + temperature + (inplace ? " inplace" : "");
        HostArray x = RandomArrays.forCase(what, shape).activationInputs(shape);
        FloatArray dx = up(x);

        FloatArray y = ops().softmax(dx, temperature, inplace);

        assertInPlaceContract(what, inplace, y, dx, "x", x);
        Approx.ELEMENTWISE.assertClose(what, ActivationReference.softmax(x, temperature), y);
    }

    @Test
    void softmaxDefaultIsTemperatureOneAndNotInPlace() {
        HostArray x = RandomArrays.forCase("softmax default").uniform(4, 6);
        FloatArray dx = up(x);
        FloatArray y = ops().softmax(dx);
        assertInPlaceContract("softmax(x)", false, y, dx, "x", x);
        Approx.ELEMENTWISE.assertClose("softmax(x)", ActivationReference.softmax(x, 1), y);
    }

    static Stream<Arguments> backpropSoftmaxCases() {
        return ConformanceShapes.anyRank().flatMap(shape -> Stream.of(Arguments.of(shape, 1f), Arguments.of(shape, 0.5f)));
    }

    @ParameterizedTest(name = "{0} temperature={1}")
    @MethodSource("backpropSoftmaxCases")
    void backpropSoftmax(int[] shape, float temperature) {
        String what = what("backpropSoftmax", shape) + " temperature=" + temperature;
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray y = ActivationReference.softmax(rnd.uniform(shape, -3f, 3f), temperature).roundedToFloat();
        HostArray dY = rnd.uniform(shape);
        FloatArray dy = up(y);
        FloatArray ddY = up(dY);

        FloatArray dX = ops().backpropSoftmax(dy, ddY, temperature);

        assertThat(dX).as("%s returns a new array", what).isNotSameAs(dy).isNotSameAs(ddY);
        Approx.ELEMENTWISE.assertClose(what, ActivationReference.backpropSoftmax(y, dY, temperature), dX);
        assertUnchanged(what, "y", y, dy);
        assertUnchanged(what, "dY", dY, ddY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#maxoutShapes")
    void maxoutPicksFirstMaximum(int[] shape) {
        String what = what("maxout", shape);
        // Small integers make ties common, which pins down the first-index rule.
        HostArray x = RandomArrays.forCase(what, shape).integers(shape, -3, 3);
        FloatArray dx = up(x);

        MaxResult r = ops().maxout(dx);

        ActivationReference.Max expected = ActivationReference.maxout(x);
        Approx.ELEMENTWISE.assertClose(what + " max", expected.max(), r.max());
        assertThat(r.which().shape()).as("%s which shape", what).containsExactly(shape[0], shape[1]);
        Approx.assertInts(what + " which", expected.which(), r.which());
        assertUnchanged(what, "x", x, dx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#maxoutShapes")
    void backpropMaxoutRoutesToWinner(int[] shape) {
        String what = what("backpropMaxout", shape);
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        int pieces = shape[2];
        HostArray dY = rnd.uniform(shape[0], shape[1]);
        int[] which = rnd.ints(shape[0] * shape[1], 0, pieces);
        FloatArray ddY = up(dY);
        IntArray dWhich = ops().asInts(which, shape[0], shape[1]);

        FloatArray dX = ops().backpropMaxout(ddY, dWhich, pieces);

        Approx.ELEMENTWISE.assertClose(what, ActivationReference.backpropMaxout(dY, which, pieces), dX);
        assertUnchanged(what, "dY", dY, ddY);
        Approx.assertInts(what + " must not modify 'which'", which, dWhich);
    }

    static Stream<int[]> argmaxShapes() {
        return Stream.of(new int[] {1}, new int[] {9}, new int[] {1, 1}, new int[] {7, 13}, new int[] {33, 65},
                new int[] {300, 700}, new int[] {0, 13});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("argmaxShapes")
    void argmaxPicksFirstMaximum(int[] shape) {
        String what = what("argmax", shape);
        HostArray x = RandomArrays.forCase(what, shape).integers(shape, -2, 2);
        FloatArray dx = up(x);

        IntArray idx = ops().argmax(dx);

        Approx.assertInts(what, ActivationReference.argmax(x), idx);
        assertUnchanged(what, "x", x, dx);
    }

    @Test
    void argmaxOnTiesAndNegatives() {
        IntArray idx = ops().argmax(ops().asArray(new float[][] {{3, 1, 3}, {-5, -2, -2}, {0, 0, 0}, {-1, 7, 6}}));
        assertThat(idx.toIntArray()).as("argmax picks the first of equal maxima").containsExactly(0, 1, 0, 1);
    }

    static Stream<Arguments> dropoutCases() {
        return ConformanceShapes.anyRank()
                .flatMap(shape -> Stream.of(Arguments.of(shape, 0.25f), Arguments.of(shape, 0.5f)));
    }

    @ParameterizedTest(name = "{0} rate={1}")
    @MethodSource("dropoutCases")
    void dropoutMaskMatchesCounterRandom(int[] shape, float rate) {
        String what = what("dropoutMask", shape) + " rate=" + rate;
        long seed = 0x5EEDL + Arrays.hashCode(shape);
        FloatArray mask = ops().dropoutMask(rate, seed, shape);
        Approx.ELEMENTWISE.assertClose(what, ActivationReference.dropoutMask(rate, seed, shape), mask);
    }

    @Test
    void dropoutMaskIsDeterministicPerSeed() {
        float[] a = ops().dropoutMask(0.4f, 42L, 50, 40).toFloatArray();
        float[] b = ops().dropoutMask(0.4f, 42L, 50, 40).toFloatArray();
        float[] c = ops().dropoutMask(0.4f, 43L, 50, 40).toFloatArray();
        assertThat(b).as("dropoutMask twice with seed 42").containsExactly(a);
        assertThat(c).as("dropoutMask with seeds 42 and 43 should differ").isNotEqualTo(a);
    }

    @ParameterizedTest(name = "rate={0}")
    @ValueSource(floats = {0.1f, 0.3f, 0.5f, 0.9f})
    void dropoutMaskKeepsOneMinusRateScaled(float rate) {
        int[] shape = {300, 700};
        float[] mask = ops().dropoutMask(rate, 7L, shape).toFloatArray();
        float keep = 1f / (1f - rate);
        int kept = 0;
        for (float v : mask) {
            if (v != 0f) {
                assertThat(v).as("dropoutMask rate=%s: a kept element is 1 / (1 - rate)", rate)
                        .isCloseTo(keep, offset(keep * 1e-6f));
                kept++;
            }
        }
        // 210,000 draws: the standard error of the kept fraction is below 0.0011, so 0.01 is ~9 sigma.
        double fraction = kept / (double) mask.length;
        assertThat(fraction).as("dropoutMask rate=%s: fraction kept", rate)
                .isCloseTo(1 - rate, offset(0.01));
    }

    @Test
    void dropoutMaskRateZeroKeepsAllAndRateOneDropsAll() {
        int[] shape = {33, 65};
        float[] ones = new float[Shapes.size(shape)];
        Arrays.fill(ones, 1f);
        assertThat(ops().dropoutMask(0f, 1L, shape).toFloatArray()).as("dropoutMask rate=0").containsExactly(ones);
        assertThat(ops().dropoutMask(1f, 1L, shape).toFloatArray()).as("dropoutMask rate=1")
                .containsExactly(new float[ones.length]);
        assertThat(ops().dropoutMask(0.5f, 1L, shape).shape()).as("dropoutMask shape").containsExactly(shape);
    }

    // ---- bad input -----------------------------------------------------------------------------

    @Test
    void maxoutRejectsBadShapesAndPieces() {
        Rejects.badInput("maxout of a 2-d array", () -> ops().maxout(ops().alloc(3, 4)), "maxout");
        Rejects.badInput("backpropMaxout which=3 with 3 pieces",
                () -> ops().backpropMaxout(ops().alloc(1, 2), ops().asInts(new int[] {0, 3}, 1, 2), 3), "backpropMaxout");
        Rejects.badInput("backpropMaxout which=-1",
                () -> ops().backpropMaxout(ops().alloc(1, 2), ops().asInts(new int[] {-1, 0}, 1, 2), 3), "backpropMaxout");
        Rejects.badInput("backpropMaxout which (2, 2) for dY (1, 2)",
                () -> ops().backpropMaxout(ops().alloc(1, 2), ops().allocInts(2, 2), 3), "backpropMaxout");
    }

    @Test
    void backwardPassesRejectMismatchedShapes() {
        FloatArray g = ops().alloc(4, 3);
        Rejects.badInput("backpropRelu y (5, 3) for dY (4, 3)", () -> ops().backpropRelu(g, ops().alloc(5, 3), false),
                "backpropRelu");
        Rejects.badInput("backpropSigmoid y (5, 3)", () -> ops().backpropSigmoid(g, ops().alloc(5, 3), true), "backpropSigmoid");
        Rejects.badInput("backpropTanh y (5, 3)", () -> ops().backpropTanh(g, ops().alloc(5, 3), false), "backpropTanh");
        Rejects.badInput("backpropGelu x (5, 3)", () -> ops().backpropGelu(g, ops().alloc(5, 3), false), "backpropGelu");
        Rejects.badInput("backpropSwish y (5, 3)", () -> ops().backpropSwish(g, ops().alloc(4, 3), ops().alloc(5, 3), false),
                "backpropSwish");
        Rejects.badInput("backpropSoftmax dY (5, 3) for y (4, 3)", () -> ops().backpropSoftmax(g, ops().alloc(5, 3), 1f),
                "backpropSoftmax");
    }

    @Test
    void softmaxRejectsATemperatureThatIsNotPositive() {
        for (float t : new float[] {0f, -1f, Float.NaN}) {
            Rejects.badInput("softmax temperature " + t, () -> ops().softmax(ops().alloc(2, 3), t, false), "softmax");
            Rejects.badInput("backpropSoftmax temperature " + t,
                    () -> ops().backpropSoftmax(ops().alloc(2, 3), ops().alloc(2, 3), t), "backpropSoftmax");
        }
        Rejects.badInput("softmax temperature infinity",
                () -> ops().softmax(ops().alloc(2, 3), Float.POSITIVE_INFINITY, false), "softmax");
    }

    @Test
    void argmaxAndDropoutMaskRejectBadShapes() {
        Rejects.badInput("argmax of a 3-d array", () -> ops().argmax(ops().alloc(2, 3, 4)), "argmax");
        Rejects.badInput("dropoutMask of rank 5", () -> ops().dropoutMask(0.5f, 1L, 1, 1, 1, 1, 1), "dropoutMask");
        Rejects.badInput("dropoutMask with a negative dimension", () -> ops().dropoutMask(0.5f, 1L, 3, -1), "dropoutMask");
    }
}
