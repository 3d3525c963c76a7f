package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link dev.thinj.ops.ArrayKernels}: creating arrays from the host, copying, filling, and moving
 * rows and columns.
 */
abstract class ArrayContract extends KernelContract {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void allocIsZeroFilled(int[] shape) {
        FloatArray a = ops().alloc(shape);
        assertThat(a.shape()).as("alloc%s shape", Shapes.format(shape)).containsExactly(shape);
        assertThat(a.size()).as("alloc%s size", Shapes.format(shape)).isEqualTo(Shapes.size(shape));
        assertSameFloats(what("alloc", shape), new float[Shapes.size(shape)], a.toFloatArray());
        IntArray i = ops().allocInts(shape);
        assertThat(i.shape()).as("allocInts%s shape", Shapes.format(shape)).containsExactly(shape);
        assertThat(i.toIntArray()).as("allocInts%s is zero-filled", Shapes.format(shape)).isEqualTo(new int[Shapes.size(shape)]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void asArrayCopiesHostData(int[] shape) {
        String what = what("asArray", shape);
        HostArray h = RandomArrays.forCase(what, shape).uniform(shape);
        float[] host = h.toFloats();
        FloatArray a = ops().asArray(host, shape);
        if (host.length > 0) {
            host[0] = 123f; // the array holds a copy, not a view of the host array
        }
        assertThat(a.shape()).as("%s shape", what).containsExactly(shape);
        assertSameFloats(what, h.toFloats(), a.toFloatArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void asIntsCopiesHostData(int[] shape) {
        String what = what("asInts", shape);
        int[] host = RandomArrays.forCase(what, shape).ints(Shapes.size(shape), -1000, 1000);
        int[] expected = host.clone();
        IntArray a = ops().asInts(host, shape);
        if (host.length > 0) {
            host[0] = 123;
        }
        assertThat(a.shape()).as("%s shape", what).containsExactly(shape);
        assertThat(a.toIntArray()).as(what).isEqualTo(expected);
    }

    /**
     * {@code empty} promises only the shape: memory freed by a closed array may come back with its old
     * values (the CPU backend recycles it), and alloc must still give zeros after that.
     */
    @Test
    void emptyHasTheShapeAndAllocStillZeroesRecycledMemory() {
        for (int round = 0; round < 3; round++) {
            FloatArray used = ops().asArray(filled(64 * 40, 7f), 64, 40);
            used.close();
            FloatArray e = ops().empty(64, 40);
            assertThat(e.shape()).containsExactly(64, 40);
            ops().fill(e, 2f);
            assertSameFloats("empty, then filled", filled(64 * 40, 2f), e.toFloatArray());
            e.close();
            FloatArray z = ops().alloc(64, 40);
            assertSameFloats("alloc after recycled memory", new float[64 * 40], z.toFloatArray());
            FloatArray product = ops().gemm(ops().asArray(filled(64 * 3, 1f), 64, 3), ops().asArray(filled(3 * 40, 2f), 3, 40));
            assertSameFloats("a product into recycled memory", filled(64 * 40, 6f), product.toFloatArray());
            z.close();
            product.close();
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void asArrayWithoutShapeIsOneDimensional() {
        FloatArray a = ops().asArray(new float[] {1, 2, 3});
        assertThat(a.shape()).as("asArray(float[3]) shape").containsExactly(3);
        IntArray i = ops().asInts(new int[] {4, 5});
        assertThat(i.shape()).as("asInts(int[2]) shape").containsExactly(2);
    }

    @Test
    void asArrayFromNestedHostArrays() {
        FloatArray a = ops().asArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertThat(a.shape()).as("asArray(float[2][3]) shape").containsExactly(2, 3);
        assertThat(a.toFloatArray()).as("asArray(float[2][3])").containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(a.get(1, 0)).as("get(1, 0)").isEqualTo(4f);

        FloatArray b = ops().asArray(new float[][][] {{{1, 2}, {3, 4}, {5, 6}}, {{7, 8}, {9, 10}, {11, 12}}});
        assertThat(b.shape()).as("asArray(float[2][3][2]) shape").containsExactly(2, 3, 2);
        assertThat(b.get(1, 2, 0)).as("get(1, 2, 0)").isEqualTo(11f);

        IntArray c = ops().asInts(new int[][] {{1, 2}, {3, 4}, {5, 6}});
        assertThat(c.shape()).as("asInts(int[3][2]) shape").containsExactly(3, 2);
        assertThat(c.toIntArray()).as("asInts(int[3][2])").containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(c.get(2, 1)).as("get(2, 1)").isEqualTo(6);
    }

    @Test
    void likeIsZeroArrayOfSameShape() {
        FloatArray x = ops().asArray(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        FloatArray y = ops().like(x);
        assertThat(y).as("like returns a new array").isNotSameAs(x);
        assertThat(y.shape()).as("like shape").containsExactly(3, 2);
        assertThat(y.toFloatArray()).as("like is zero-filled").containsOnly(0f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void copyIsIndependent(int[] shape) {
        String what = what("copy", shape);
        HostArray h = RandomArrays.forCase(what, shape).uniform(shape);
        FloatArray x = up(h);
        FloatArray c = ops().copy(x);
        assertThat(c).as("%s returns a new array", what).isNotSameAs(x);
        assertThat(c.shape()).as("%s shape", what).containsExactly(shape);
        assertSameFloats(what, h.toFloats(), c.toFloatArray());
        ops().fill(c, 5f);
        assertUnchanged(what + " then fill(copy)", "x", h, x);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void fillSetsEveryElement(int[] shape) {
        FloatArray x = up(RandomArrays.forCase("fill", shape).uniform(shape));
        ops().fill(x, -2.5f);
        assertSameFloats(what("fill", shape), ArrayReference.fill(shape, -2.5f).toFloats(), x.toFloatArray());
    }

    @Test
    void copyIntoAcceptsAnyShapeOfSameSize() {
        HostArray h = RandomArrays.forCase("copyInto").uniform(4, 6);
        FloatArray src = up(h);
        FloatArray dst = ops().alloc(2, 3, 4);
        ops().copyInto(dst, src);
        assertThat(dst.shape()).as("copyInto keeps dst's shape").containsExactly(2, 3, 4);
        assertSameFloats("copyInto (2, 3, 4) <- (4, 6)", h.toFloats(), dst.toFloatArray());
        assertUnchanged("copyInto", "src", h, src);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#anyRank")
    void copyFromHostReadsFromOffset(int[] shape) {
        String what = what("copyFromHost", shape);
        int n = Shapes.size(shape);
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        float[] src = rnd.uniform(n + 9).toFloats();
        FloatArray dst = ops().alloc(shape);
        ops().copyFromHost(dst, src, 7);
        assertSameFloats(what, ArrayReference.copyFromHost(src, 7, shape).toFloats(), dst.toFloatArray());

        int[] isrc = rnd.ints(n + 3, -50, 50);
        IntArray idst = ops().allocInts(shape);
        ops().copyFromHost(idst, isrc, 3);
        assertThat(idst.toIntArray()).as("%s (ints)", what).isEqualTo(Arrays.copyOfRange(isrc, 3, 3 + n));
    }

    static Stream<Arguments> rowRanges() {
        return ConformanceShapes.anyRank().flatMap(named -> {
            int rows = named.getPayload()[0];
            return Stream.of(Arguments.of(named, 0, rows), Arguments.of(named, rows / 3, rows - rows / 3),
                    Arguments.of(named, rows / 2, rows / 2));
        });
    }

    @ParameterizedTest(name = "{0} [{1}, {2})")
    @MethodSource("rowRanges")
    void sliceRowsCopiesRange(int[] shape, int start, int end) {
        String what = what("sliceRows", shape) + " [" + start + ", " + end + ")";
        HostArray h = RandomArrays.forCase(what, shape).uniform(shape);
        FloatArray x = up(h);
        FloatArray s = ops().sliceRows(x, start, end);
        Approx.ELEMENTWISE.assertClose(what, ArrayReference.sliceRows(h, start, end), s);
        ops().fill(s, 7f);
        assertUnchanged(what + " then fill(slice)", "x", h, x);

        HostArray hi = RandomArrays.forCase(what + " ints", shape).integers(shape, -9, 9);
        IntArray xi = upInts(hi);
        IntArray si = ops().sliceRows(xi, start, end);
        HostArray expected = ArrayReference.sliceRows(hi, start, end);
        assertThat(si.shape()).as("%s (ints) shape", what).containsExactly(expected.shape());
        Approx.assertInts(what + " (ints)", expected.toInts(), si);
    }

    static Stream<Arguments> gatherCases() {
        return ConformanceShapes.anyRank().flatMap(named -> Stream.of(Arguments.of(named, false), Arguments.of(named, true)));
    }

    @ParameterizedTest(name = "{0} empty indices={1}")
    @MethodSource("gatherCases")
    void gatherRowsTakesRowsInOrderWithRepeats(int[] shape, boolean noIndices) {
        String what = what("gatherRows", shape) + (noIndices ? " no indices" : "");
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        int rows = shape[0];
        int[] idx = noIndices || rows == 0 ? new int[0] : rnd.ints(2 * rows + 1, 0, rows);
        HostArray h = rnd.uniform(shape);
        FloatArray x = up(h);
        IntArray di = upInts(idx);

        FloatArray g = ops().gatherRows(x, di);

        Approx.ELEMENTWISE.assertClose(what, ArrayReference.gatherRows(h, idx), g);
        assertUnchanged(what, "x", h, x);
        Approx.assertInts(what + " must not modify 'rows'", idx, di);

        HostArray hi = rnd.integers(shape, -9, 9);
        IntArray gi = ops().gatherRows(upInts(hi), di);
        HostArray expected = ArrayReference.gatherRows(hi, idx);
        assertThat(gi.shape()).as("%s (ints) shape", what).containsExactly(expected.shape());
        Approx.assertInts(what + " (ints)", expected.toInts(), gi);
    }

    static Stream<Arguments> concatCases() {
        return ConformanceShapes.matrices().flatMap(named -> Stream.of(
                Arguments.of(named, new int[] {named.getPayload()[1]}),
                Arguments.of(named, new int[] {1, 3, named.getPayload()[1]}),
                Arguments.of(named, new int[] {2, 0, 5})));
    }

    @ParameterizedTest(name = "{0} widths={1}")
    @MethodSource("concatCases")
    void concatColumnsJoinsSideBySide(int[] shape, int[] widths) {
        String what = what("concatColumns", shape) + " widths=" + Arrays.toString(widths);
        RandomArrays rnd = RandomArrays.forCase(what, widths);
        List<HostArray> parts = new ArrayList<>();
        List<FloatArray> dparts = new ArrayList<>();
        for (int w : widths) {
            HostArray p = rnd.uniform(shape[0], w);
            parts.add(p);
            dparts.add(up(p));
        }
        FloatArray out = ops().concatColumns(dparts);
        Approx.ELEMENTWISE.assertClose(what, ArrayReference.concatColumns(parts), out);
        for (int i = 0; i < parts.size(); i++) {
            assertUnchanged(what, "parts[" + i + "]", parts.get(i), dparts.get(i));
        }
    }

    static Stream<Arguments> columnRanges() {
        return ConformanceShapes.matrices().flatMap(named -> {
            int cols = named.getPayload()[1];
            return Stream.of(Arguments.of(named, 0, cols), Arguments.of(named, cols / 3, cols - cols / 4),
                    Arguments.of(named, cols / 2, cols / 2));
        });
    }

    @ParameterizedTest(name = "{0} [{1}, {2})")
    @MethodSource("columnRanges")
    void sliceColumnsCopiesRange(int[] shape, int start, int end) {
        String what = what("sliceColumns", shape) + " [" + start + ", " + end + ")";
        HostArray h = RandomArrays.forCase(what, shape).uniform(shape);
        FloatArray x = up(h);
        FloatArray s = ops().sliceColumns(x, start, end);
        Approx.ELEMENTWISE.assertClose(what, ArrayReference.sliceColumns(h, start, end), s);
        assertUnchanged(what, "x", h, x);
    }

    // ---- bad input -----------------------------------------------------------------------------

    @Test
    void allocRejectsBadShapes() {
        Rejects.badInput("alloc()", () -> ops().alloc(), "alloc");
        Rejects.badInput("alloc of rank 5", () -> ops().alloc(1, 2, 3, 4, 5), "alloc");
        Rejects.badInput("alloc(-1, 3)", () -> ops().alloc(-1, 3), "alloc");
        Rejects.badInput("allocInts of rank 5", () -> ops().allocInts(1, 1, 1, 1, 1), "allocInts");
        Rejects.badInput("allocInts(2, -2)", () -> ops().allocInts(2, -2), "allocInts");
    }

    @Test
    void asArrayRejectsDataThatDoesNotFillTheShape() {
        Rejects.badInput("asArray 5 values for (2, 3)", () -> ops().asArray(new float[5], 2, 3), "asArray");
        Rejects.badInput("asArray 7 values for (2, 3)", () -> ops().asArray(new float[7], 2, 3), "asArray");
        Rejects.badInput("asArray ragged rows", () -> ops().asArray(new float[][] {{1, 2}, {3}}), "asArray");
        Rejects.badInput("asArray ragged 3-d", () -> ops().asArray(new float[][][] {{{1, 2}}, {{3}}}), "asArray");
        Rejects.badInput("asInts 3 values for (2, 2)", () -> ops().asInts(new int[3], 2, 2), "asInts");
        Rejects.badInput("asInts ragged rows", () -> ops().asInts(new int[][] {{1}, {2, 3}}), "asInts");
    }

    @Test
    void copyIntoRejectsDifferentSizes() {
        Rejects.badInput("copyInto (2, 3) <- (3, 3)", () -> ops().copyInto(ops().alloc(2, 3), ops().alloc(3, 3)), "copyInto");
    }

    @Test
    void copyFromHostRejectsReadingPastTheEnd() {
        // An off-heap or device backend must check this itself: a blind copy would read foreign memory.
        Rejects.badInput("copyFromHost 6 values from 5", () -> ops().copyFromHost(ops().alloc(2, 3), new float[5], 0), "copyFromHost");
        Rejects.badInput("copyFromHost 6 values from offset 2 of 7",
                () -> ops().copyFromHost(ops().alloc(6), new float[7], 2), "copyFromHost");
        Rejects.badInput("copyFromHost negative offset", () -> ops().copyFromHost(ops().alloc(2), new float[4], -1), "copyFromHost");
        Rejects.badInput("copyFromHost ints 4 from 3", () -> ops().copyFromHost(ops().allocInts(4), new int[3], 0), "copyFromHost");
    }

    @Test
    void sliceRowsRejectsBadRanges() {
        FloatArray x = ops().alloc(5, 3);
        Rejects.badInput("sliceRows [0, 6) of 5 rows", () -> ops().sliceRows(x, 0, 6), "sliceRows");
        Rejects.badInput("sliceRows [-1, 2)", () -> ops().sliceRows(x, -1, 2), "sliceRows");
        Rejects.badInput("sliceRows [3, 2)", () -> ops().sliceRows(x, 3, 2), "sliceRows");
        Rejects.badInput("sliceRows ints [0, 6) of 5 rows", () -> ops().sliceRows(ops().allocInts(5), 0, 6), "sliceRows");
    }

    @Test
    void gatherRowsRejectsOutOfRangeIndices() {
        FloatArray x = ops().alloc(5, 3);
        Rejects.badInput("gatherRows index 5 of 5 rows", () -> ops().gatherRows(x, upInts(new int[] {0, 5})), "gatherRows");
        Rejects.badInput("gatherRows index -1", () -> ops().gatherRows(x, upInts(new int[] {-1, 2})), "gatherRows");
        Rejects.badInput("gatherRows from an empty batch", () -> ops().gatherRows(ops().alloc(0, 3), upInts(new int[] {0})),
                "gatherRows");
        Rejects.badInput("gatherRows with 2-d indices", () -> ops().gatherRows(x, ops().asInts(new int[] {0, 1}, 1, 2)),
                "gatherRows");
        Rejects.badInput("gatherRows ints index 9", () -> ops().gatherRows(ops().allocInts(5, 2), upInts(new int[] {9})),
                "gatherRows");
    }

    @Test
    void concatColumnsRejectsMismatchedParts() {
        Rejects.badInput("concatColumns (4, 2) with (3, 2)",
                () -> ops().concatColumns(List.of(ops().alloc(4, 2), ops().alloc(3, 2))), "concatColumns");
        Rejects.badInput("concatColumns (0, 2) with (3, 2)",
                () -> ops().concatColumns(List.of(ops().alloc(0, 2), ops().alloc(3, 2))), "concatColumns");
        Rejects.badInput("concatColumns (4, 2) with (4,)",
                () -> ops().concatColumns(List.of(ops().alloc(4, 2), ops().alloc(4))), "concatColumns");
    }

    @Test
    void sliceColumnsRejectsBadRangesAndRank() {
        FloatArray x = ops().alloc(4, 3);
        Rejects.badInput("sliceColumns [0, 4) of 3 columns", () -> ops().sliceColumns(x, 0, 4), "sliceColumns");
        Rejects.badInput("sliceColumns [2, 1)", () -> ops().sliceColumns(x, 2, 1), "sliceColumns");
        Rejects.badInput("sliceColumns [-1, 1)", () -> ops().sliceColumns(x, -1, 1), "sliceColumns");
        Rejects.badInput("sliceColumns of a 1-d array", () -> ops().sliceColumns(ops().alloc(4), 0, 1), "sliceColumns");
    }

    @Test
    void reshapeRejectsADifferentSize() {
        Throwable t = Rejects.badInput("reshape (2, 3) to (4, 2)", () -> ops().alloc(2, 3).reshape(4, 2), "reshape");
        assertThat(t).as("reshape of the wrong size").isInstanceOf(ShapeException.class);
        Rejects.badInput("reshape ints (6,) to (4,)", () -> ops().allocInts(6).reshape(4), "reshape");
    }
}
