package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.conformance.ElementwiseReference.Binary;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link dev.thinj.ops.ElementwiseKernels}: arithmetic, axpy and whole-array sums. */
abstract class ElementwiseContract extends KernelContract {

    static Stream<Arguments> binaryCases() {
        return Stream.of(Binary.values())
                .flatMap(op -> ConformanceShapes.anyRank().map(shape -> Arguments.of(op, shape)));
    }

    private FloatArray run(Binary op, FloatArray a, FloatArray b) {
        return switch (op) {
            case ADD -> ops().add(a, b);
            case SUB -> ops().sub(a, b);
            case MUL -> ops().mul(a, b);
        };
    }

    private static String kernel(Binary op) {
        return op.name().toLowerCase(Locale.ROOT);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binaryCases")
    void binaryReturnsNewArrayAndLeavesInputs(Binary op, int[] shape) {
        String what = what(kernel(op), shape);
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray a = rnd.uniform(shape);
        HostArray b = rnd.uniform(shape);
        FloatArray da = up(a);
        FloatArray db = up(b);

        FloatArray out = run(op, da, db);

        assertThat(out).as("%s returns a new array", what).isNotSameAs(da).isNotSameAs(db);
        Approx.ELEMENTWISE.assertClose(what, ElementwiseReference.binary(op, a, b), out);
        assertUnchanged(what, "a", a, da);
        assertUnchanged(what, "b", b, db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ElementwiseContract#binaryOps")
    void binaryComparesSizesNotShapes(Binary op) {
        // The Javadoc allows a (n) array to meet a (1, n) one; only the values are pinned down.
        String what = kernel(op) + " (5,) with (1, 5)";
        RandomArrays rnd = RandomArrays.forCase(what);
        HostArray a = rnd.uniform(5);
        HostArray b = rnd.uniform(1, 5);
        FloatArray out = run(op, up(a), up(b));
        Approx.ELEMENTWISE.assertValues(what, ElementwiseReference.binary(op, a, b), null, out.toFloatArray());
    }

    static Stream<Binary> binaryOps() {
        return Stream.of(Binary.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void addInPlaceModifiesFirstOnly(int[] shape) {
        String what = what("addInPlace", shape);
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray a = rnd.uniform(shape);
        HostArray b = rnd.uniform(shape);
        FloatArray da = up(a);
        FloatArray db = up(b);

        ops().addInPlace(da, db);

        Approx.ELEMENTWISE.assertClose(what, ElementwiseReference.binary(Binary.ADD, a, b), da);
        assertUnchanged(what, "b", b, db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void mulInPlaceModifiesFirstOnly(int[] shape) {
        String what = what("mulInPlace", shape);
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray a = rnd.uniform(shape);
        HostArray b = rnd.uniform(shape);
        FloatArray da = up(a);
        FloatArray db = up(b);

        ops().mulInPlace(da, db);

        Approx.ELEMENTWISE.assertClose(what, ElementwiseReference.binary(Binary.MUL, a, b), da);
        assertUnchanged(what, "b", b, db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void scaleReturnsNewArray(int[] shape) {
        String what = what("scale", shape);
        HostArray a = RandomArrays.forCase(what, shape).uniform(shape);
        FloatArray da = up(a);

        FloatArray out = ops().scale(da, -1.75f);

        assertThat(out).as("%s returns a new array", what).isNotSameAs(da);
        Approx.ELEMENTWISE.assertClose(what, ElementwiseReference.scale(a, -1.75f), out);
        assertUnchanged(what, "a", a, da);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void scaleInPlace(int[] shape) {
        String what = what("scaleInPlace", shape);
        HostArray a = RandomArrays.forCase(what, shape).uniform(shape);
        FloatArray da = up(a);

        ops().scaleInPlace(da, 0.3f);

        Approx.ELEMENTWISE.assertClose(what, ElementwiseReference.scale(a, 0.3f), da);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void axpyModifiesYOnly(int[] shape) {
        String what = what("axpy", shape);
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray x = rnd.uniform(shape);
        HostArray y = rnd.uniform(shape);
        FloatArray dx = up(x);
        FloatArray dy = up(y);

        ops().axpy(-0.625f, dx, dy);

        Approx.ELEMENTWISE.assertClose(what, ElementwiseReference.axpy(-0.625f, x, y), dy);
        assertUnchanged(what, "x", x, dx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void sumOfAllElements(int[] shape) {
        String what = what("sum", shape);
        HostArray x = RandomArrays.forCase(what, shape).uniform(shape);
        FloatArray dx = up(x);

        FloatArray out = ops().sum(dx);

        assertThat(out.size()).as("%s returns one element", what).isEqualTo(1);
        Approx.REDUCTION.assertClose(what, ElementwiseReference.sum(x), ElementwiseReference.sum(x.abs()), out.item());
        assertUnchanged(what, "x", x, dx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void sumOfSquaresOfAllElements(int[] shape) {
        String what = what("sumOfSquares", shape);
        HostArray x = RandomArrays.forCase(what, shape).uniform(shape);
        FloatArray dx = up(x);

        FloatArray out = ops().sumOfSquares(dx);

        assertThat(out.size()).as("%s returns one element", what).isEqualTo(1);
        double expected = ElementwiseReference.sumOfSquares(x);
        Approx.REDUCTION.assertClose(what, expected, expected, out.item());
        assertUnchanged(what, "x", x, dx);
    }

    @Test
    void sumOfEmptyArrayIsZero() {
        assertThat(ops().sum(ops().alloc(0, 4)).item()).as("sum of a (0, 4) array").isZero();
        assertThat(ops().sumOfSquares(ops().alloc(0)).item()).as("sumOfSquares of a (0,) array").isZero();
    }

    static Stream<Arguments> mismatchedBinaryCalls() {
        return Stream.of(
                call("add", (o, a, b) -> o.add(a, b)),
                call("sub", (o, a, b) -> o.sub(a, b)),
                call("mul", (o, a, b) -> o.mul(a, b)),
                call("addInPlace", (o, a, b) -> o.addInPlace(a, b)),
                call("mulInPlace", (o, a, b) -> o.mulInPlace(a, b)),
                call("axpy", (o, a, b) -> o.axpy(2f, a, b)));
    }

    interface BinaryCall {
        void run(Ops ops, FloatArray a, FloatArray b);
    }

    private static Arguments call(String kernel, BinaryCall c) {
        return Arguments.of(kernel, Named.of(kernel + "(a, b)", c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatchedBinaryCalls")
    void binaryKernelsRejectDifferentSizes(String kernel, BinaryCall call) {
        FloatArray a = ops().alloc(3, 4);
        FloatArray b = ops().alloc(4, 4);
        Rejects.badInput(kernel + " (3, 4) with (4, 4)", () -> call.run(ops(), a, b), kernel);
        Rejects.badInput(kernel + " (4, 4) with (3, 4)", () -> call.run(ops(), b, a), kernel);
    }
}
