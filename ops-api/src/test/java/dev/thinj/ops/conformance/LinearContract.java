package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.FloatArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link dev.thinj.ops.LinearKernels}: gemm in all its forms, affine, addBias and sumRows. */
abstract class LinearContract extends KernelContract {

    static Stream<Arguments> gemmCases() {
        return ConformanceShapes.gemmDims().flatMap(d -> Stream.of(
                Arguments.of(d, false, false), Arguments.of(d, true, false),
                Arguments.of(d, false, true), Arguments.of(d, true, true)));
    }

    /** The operands of one product, laid out for the transposition flags. */
    private record Operands(HostArray a, HostArray b, String what) {
        static Operands of(String kernel, int[] mkn, boolean transA, boolean transB) {
            int m = mkn[0];
            int k = mkn[1];
            int n = mkn[2];
            String what = kernel + " m=" + m + " k=" + k + " n=" + n + " transA=" + transA + " transB=" + transB;
            RandomArrays rnd = RandomArrays.forCase(what, mkn);
            HostArray a = transA ? rnd.uniform(k, m) : rnd.uniform(m, k);
            HostArray b = transB ? rnd.uniform(n, k) : rnd.uniform(k, n);
            return new Operands(a, b, what);
        }
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("gemmCases")
    void gemmOverwritesOutIgnoringItsOldValues(int[] mkn, boolean transA, boolean transB) {
        Operands o = Operands.of("gemm", mkn, transA, transB);
        FloatArray a = up(o.a());
        FloatArray b = up(o.b());
        FloatArray out = ops().alloc(mkn[0], mkn[2]);
        // beta = 0 must ignore whatever out held, NaN included (as BLAS does).
        ops().fill(out, Float.NaN);

        ops().gemm(a, b, out, transA, transB, 1f, 0f);

        HostArray expected = LinearReference.gemm(o.a(), o.b(), null, transA, transB, 1, 0);
        HostArray scale = LinearReference.gemm(o.a().abs(), o.b().abs(), null, transA, transB, 1, 0);
        Approx.REDUCTION.assertClose(o.what(), expected, scale, out);
        assertUnchanged(o.what(), "a", o.a(), a);
        assertUnchanged(o.what(), "b", o.b(), b);
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("gemmCases")
    void gemmScalesProductAndOldOut(int[] mkn, boolean transA, boolean transB) {
        Operands o = Operands.of("gemm alpha=-0.5 beta=0.25", mkn, transA, transB);
        HostArray c = RandomArrays.forCase(o.what() + " out", mkn).uniform(mkn[0], mkn[2]);
        FloatArray out = up(c);

        ops().gemm(up(o.a()), up(o.b()), out, transA, transB, -0.5f, 0.25f);

        HostArray expected = LinearReference.gemm(o.a(), o.b(), c, transA, transB, -0.5, 0.25);
        HostArray scale = LinearReference.gemm(o.a().abs(), o.b().abs(), c.abs(), transA, transB, 0.5, 0.25);
        Approx.REDUCTION.assertClose(o.what(), expected, scale, out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#gemmDims")
    void gemmWithBetaOneAccumulates(int[] mkn) {
        // This is how gradients are summed into a parameter's gradient without a temporary.
        Operands o = Operands.of("gemm beta=1", mkn, false, true);
        HostArray c = RandomArrays.forCase(o.what() + " out", mkn).uniform(mkn[0], mkn[2]);
        FloatArray a = up(o.a());
        FloatArray b = up(o.b());
        FloatArray out = up(c);

        ops().gemm(a, b, out, false, true, 1f, 1f);
        ops().gemm(a, b, out, false, true, 1f, 1f);

        HostArray once = LinearReference.gemm(o.a(), o.b(), c, false, true, 1, 1);
        HostArray twice = LinearReference.gemm(o.a(), o.b(), once, false, true, 1, 1);
        HostArray scale = LinearReference.gemm(o.a().abs(), o.b().abs(), c.abs(), false, true, 2, 1);
        Approx.REDUCTION.assertClose(o.what() + " called twice", twice, scale, out);
    }

    @Test
    void gemmConvenienceFormsAgree() {
        HostArray ha = RandomArrays.forCase("gemm forms a").uniform(5, 7);
        HostArray hb = RandomArrays.forCase("gemm forms b").uniform(7, 3);
        FloatArray a = up(ha);
        FloatArray b = up(hb);
        HostArray expected = LinearReference.gemm(ha, hb, null, false, false, 1, 0);
        HostArray scale = LinearReference.gemm(ha.abs(), hb.abs(), null, false, false, 1, 0);

        FloatArray out = ops().alloc(5, 3);
        ops().fill(out, 9f);
        assertThat(ops().gemm(a, b, out, false, false)).as("gemm(a, b, out, tA, tB) returns out").isSameAs(out);
        Approx.REDUCTION.assertClose("gemm(a, b, out, false, false)", expected, scale, out);

        Approx.REDUCTION.assertClose("gemm(a, b)", expected, scale, ops().gemm(a, b));
        Approx.REDUCTION.assertClose("gemm(a, b, false, false)", expected, scale, ops().gemm(a, b, false, false));
        // a.T @ a: the allocating form must size its output from the transposed operands.
        Approx.REDUCTION.assertClose("gemm(a, a, true, false)", LinearReference.gemm(ha, ha, null, true, false, 1, 0),
                LinearReference.gemm(ha.abs(), ha.abs(), null, true, false, 1, 0), ops().gemm(a, a, true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#gemmDims")
    void affineIsXTimesWTransposedPlusBias(int[] mkn) {
        int batch = mkn[0];
        int nI = mkn[1];
        int nO = mkn[2];
        String what = "affine batch=" + batch + " nI=" + nI + " nO=" + nO;
        RandomArrays rnd = RandomArrays.forCase(what, mkn);
        HostArray x = rnd.uniform(batch, nI);
        HostArray w = rnd.uniform(nO, nI);
        HostArray b = rnd.uniform(nO);
        FloatArray dx = up(x);
        FloatArray dw = up(w);
        FloatArray db = up(b);

        FloatArray y = ops().affine(dx, dw, db);

        HostArray scale = LinearReference.affine(x.abs(), w.abs(), b.abs());
        Approx.REDUCTION.assertClose(what, LinearReference.affine(x, w, b), scale, y);
        assertUnchanged(what, "x", x, dx);
        assertUnchanged(what, "w", w, dw);
        assertUnchanged(what, "b", b, db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#matrices")
    void addBiasAddsToEveryRow(int[] shape) {
        String what = what("addBias", shape);
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray y = rnd.uniform(shape);
        HostArray bias = rnd.uniform(shape[1]);
        FloatArray dy = up(y);
        FloatArray dbias = up(bias);

        ops().addBias(dy, dbias);

        Approx.ELEMENTWISE.assertClose(what, LinearReference.addBias(y, bias), dy);
        assertUnchanged(what, "bias", bias, dbias);
    }

    static Stream<Arguments> sumRowsCases() {
        return ConformanceShapes.matrices().flatMap(s -> Stream.of(Arguments.of(s, false), Arguments.of(s, true)));
    }

    @ParameterizedTest(name = "{0} accumulate={1}")
    @MethodSource("sumRowsCases")
    void sumRowsGivesColumnSums(int[] shape, boolean accumulate) {
        String what = what("sumRows", shape) + " accumulate=" + accumulate;
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray x = rnd.uniform(shape);
        HostArray before = rnd.uniform(shape[1]);
        FloatArray dx = up(x);
        FloatArray out = up(before);

        ops().sumRows(dx, out, accumulate);

        HostArray sums = LinearReference.sumRows(x);
        HostArray expected = accumulate ? ElementwiseReference.binary(ElementwiseReference.Binary.ADD, sums, before) : sums;
        HostArray scale = ElementwiseReference.binary(ElementwiseReference.Binary.ADD, LinearReference.sumRows(x.abs()), before.abs());
        Approx.REDUCTION.assertClose(what, expected, scale, out);
        assertUnchanged(what, "x", x, dx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#matrices")
    void sumRowsConvenienceReturnsNewArray(int[] shape) {
        String what = what("sumRows(x)", shape);
        HostArray x = RandomArrays.forCase(what, shape).uniform(shape);
        FloatArray out = ops().sumRows(up(x));
        Approx.REDUCTION.assertClose(what, LinearReference.sumRows(x), LinearReference.sumRows(x.abs()), out);
    }

    // ---- bad input -----------------------------------------------------------------------------

    @Test
    void gemmRejectsInnerDimensionMismatch() {
        FloatArray a = ops().alloc(4, 3);
        FloatArray b = ops().alloc(5, 2);
        Rejects.badInput("gemm (4, 3) @ (5, 2)", () -> ops().gemm(a, b, ops().alloc(4, 2), false, false, 1f, 0f), "gemm");
        Rejects.badInput("gemm (4, 3) @ (5, 2) new", () -> ops().gemm(a, b), "gemm");
        Rejects.badInput("gemm (4, 3).T @ (5, 2)", () -> ops().gemm(a, b, true, false), "gemm");
        Rejects.badInput("gemm (4, 3) @ (5, 2).T", () -> ops().gemm(a, b, false, true), "gemm");
    }

    @Test
    void gemmRejectsWrongOutShape() {
        FloatArray a = ops().alloc(4, 3);
        FloatArray b = ops().alloc(3, 2);
        Rejects.badInput("gemm out (4, 3) for a (4, 2) product",
                () -> ops().gemm(a, b, ops().alloc(4, 3), false, false, 1f, 0f), "gemm");
        Rejects.badInput("gemm out (2, 4) for a (4, 2) product",
                () -> ops().gemm(a, b, ops().alloc(2, 4), false, false, 1f, 1f), "gemm");
        Rejects.badInput("gemm out (8,) for a (4, 2) product",
                () -> ops().gemm(a, b, ops().alloc(8), false, false, 1f, 0f), "gemm");
    }

    @Test
    void gemmRejectsWrongRank() {
        Rejects.badInput("gemm with a 1-d a", () -> ops().gemm(ops().alloc(3), ops().alloc(3, 2)), "gemm");
        Rejects.badInput("gemm with a 3-d b",
                () -> ops().gemm(ops().alloc(4, 3), ops().alloc(3, 2, 1), ops().alloc(4, 2), false, false, 1f, 0f), "gemm");
    }

    @Test
    void affineRejectsMismatchedWeightsAndBias() {
        Rejects.badInput("affine x (4, 3) with w (2, 5)",
                () -> ops().affine(ops().alloc(4, 3), ops().alloc(2, 5), ops().alloc(2)), "affine", "gemm");
        Rejects.badInput("affine with bias (3,) for nO=2",
                () -> ops().affine(ops().alloc(4, 3), ops().alloc(2, 3), ops().alloc(3)), "affine", "addBias");
    }

    @Test
    void addBiasRejectsWrongLengthOrRank() {
        Rejects.badInput("addBias y (4, 3) with bias (4,)", () -> ops().addBias(ops().alloc(4, 3), ops().alloc(4)), "addBias");
        Rejects.badInput("addBias y (12,) with bias (3,)", () -> ops().addBias(ops().alloc(12), ops().alloc(3)), "addBias");
    }

    @Test
    void sumRowsRejectsWrongOutOrRank() {
        Rejects.badInput("sumRows x (4, 3) into out (4,)",
                () -> ops().sumRows(ops().alloc(4, 3), ops().alloc(4), false), "sumRows");
        Rejects.badInput("sumRows of a 1-d array", () -> ops().sumRows(ops().alloc(4)), "sumRows");
        Rejects.badInput("sumRows of a 3-d array", () -> ops().sumRows(ops().alloc(2, 2, 2), ops().alloc(2), true), "sumRows");
    }
}
