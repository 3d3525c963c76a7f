package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Randomised properties: each case draws its own small shape and arguments from a generator seeded
 * by the case number, so a failure names the case that reproduces it. Besides the float64
 * reference, these check identities between kernels that any correct backend satisfies.
 */
abstract class PropertyContract extends KernelContract {
    /** Cases per property: enough to meet every small-dimension corner, few enough to stay fast. */
    static final int CASES = 25;

    static IntStream cases() {
        return IntStream.range(0, CASES);
    }

    private static Random random(String property, int caseNumber) {
        return new Random(property.hashCode() * 31L + caseNumber);
    }

    private static int[] randomShape(Random r, int minRank, int maxRank, int maxDim) {
        int[] shape = new int[minRank + r.nextInt(maxRank - minRank + 1)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = r.nextInt(maxDim + 1);
        }
        return shape;
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void gemmMatchesReferenceForAnySmallShape(int caseNumber) {
        Random r = random("gemm", caseNumber);
        int m = r.nextInt(10);
        int k = r.nextInt(10);
        int n = r.nextInt(10);
        boolean transA = r.nextBoolean();
        boolean transB = r.nextBoolean();
        float alpha = r.nextBoolean() ? 1f : (float) r.nextGaussian();
        float beta = r.nextInt(3) == 0 ? 0f : (float) r.nextGaussian();
        String what = "gemm case " + caseNumber + ": m=" + m + " k=" + k + " n=" + n + " transA=" + transA
                + " transB=" + transB + " alpha=" + alpha + " beta=" + beta;
        RandomArrays rnd = RandomArrays.forCase(what);
        HostArray a = transA ? rnd.uniform(k, m) : rnd.uniform(m, k);
        HostArray b = transB ? rnd.uniform(n, k) : rnd.uniform(k, n);
        HostArray c = rnd.uniform(m, n);
        FloatArray out = up(c);

        ops().gemm(up(a), up(b), out, transA, transB, alpha, beta);

        HostArray expected = LinearReference.gemm(a, b, c, transA, transB, alpha, beta);
        HostArray scale = LinearReference.gemm(a.abs(), b.abs(), c.abs(), transA, transB, Math.abs(alpha), Math.abs(beta));
        Approx.REDUCTION.assertClose(what, expected, scale, out);
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void softmaxIgnoresARowShiftAndSumsToOne(int caseNumber) {
        Random r = random("softmax", caseNumber);
        int[] shape = randomShape(r, 1, 4, 6);
        shape[shape.length - 1] = Math.max(1, shape[shape.length - 1]);
        float temperature = 0.25f + 2 * r.nextFloat();
        float shift = (float) (r.nextInt(41) - 20);
        String what = "softmax case " + caseNumber + " " + Shapes.format(shape) + " temperature=" + temperature
                + " shift=" + shift;
        HostArray x = RandomArrays.forCase(what).uniform(shape, -4f, 4f);
        HostArray shifted = ElementwiseReference.binary(ElementwiseReference.Binary.ADD, x, ArrayReference.fill(shape, shift));

        FloatArray y = ops().softmax(up(x), temperature, false);
        FloatArray ys = ops().softmax(up(shifted.roundedToFloat()), temperature, false);

        // x + shift is rounded to float, so the two agree to float precision, not exactly.
        Approx.ELEMENTWISE.assertClose(what + " shifted", HostArray.of(y), ys);
        int n = shape[shape.length - 1];
        float[] v = y.toFloatArray();
        for (int row = 0; row < v.length / n; row++) {
            double total = 0;
            for (int j = 0; j < n; j++) {
                total += v[row * n + j];
            }
            assertThat(total).as("%s: row %d sums to 1", what, row).isCloseTo(1.0, offset(1e-5));
        }
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void backpropSoftmaxRowsSumToZero(int caseNumber) {
        // sum_j y_j (dY_j - sum_k y_k dY_k) = 0 because the y_j sum to 1.
        Random r = random("backpropSoftmax", caseNumber);
        int[] shape = randomShape(r, 1, 3, 8);
        shape[shape.length - 1] = Math.max(1, shape[shape.length - 1]);
        String what = "backpropSoftmax case " + caseNumber + " " + Shapes.format(shape);
        RandomArrays rnd = RandomArrays.forCase(what);
        FloatArray y = ops().softmax(up(rnd.uniform(shape, -3f, 3f)));
        float[] dX = ops().backpropSoftmax(y, up(rnd.uniform(shape)), 1f).toFloatArray();
        int n = shape[shape.length - 1];
        for (int row = 0; row < dX.length / n; row++) {
            double total = 0;
            for (int j = 0; j < n; j++) {
                total += dX[row * n + j];
            }
            assertThat(total).as("%s: row %d of dX sums to 0", what, row).isCloseTo(0.0, offset(1e-5));
        }
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void sequenceSumsAddUpToColumnSums(int caseNumber) {
        Random r = random("reduceSum", caseNumber);
        int rows = r.nextInt(30);
        int width = 1 + r.nextInt(7);
        int sequences = rows == 0 ? r.nextInt(3) : 1 + r.nextInt(rows);
        String what = "reduceSum then sumRows case " + caseNumber + " rows=" + rows + " width=" + width
                + " sequences=" + sequences;
        RandomArrays rnd = RandomArrays.forCase(what);
        HostArray x = rnd.uniform(rows, width);
        int[] lengths = rnd.lengths(rows, sequences, true);
        FloatArray dx = up(x);

        FloatArray perSequence = ops().reduceSum(dx, upInts(lengths));
        FloatArray viaSequences = ops().sumRows(perSequence);
        FloatArray direct = ops().sumRows(dx);

        Approx.REDUCTION.assertClose(what, HostArray.of(direct), LinearReference.sumRows(x.abs()), viaSequences);
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void slicedColumnsConcatenateBackToTheWhole(int caseNumber) {
        Random r = random("concatColumns", caseNumber);
        int rows = r.nextInt(6);
        int cols = 1 + r.nextInt(12);
        List<Integer> cuts = new ArrayList<>(List.of(0, cols));
        for (int i = r.nextInt(4); i > 0; i--) {
            cuts.add(r.nextInt(cols + 1));
        }
        cuts.sort(null);
        String what = "sliceColumns then concatColumns case " + caseNumber + " (" + rows + ", " + cols + ") cuts=" + cuts;
        HostArray x = RandomArrays.forCase(what).uniform(rows, cols);
        FloatArray dx = up(x);
        List<FloatArray> parts = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.size(); i++) {
            parts.add(ops().sliceColumns(dx, cuts.get(i), cuts.get(i + 1)));
        }
        assertSameFloats(what, x.toFloats(), ops().concatColumns(parts).toFloatArray());
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void gatheringEveryRowInOrderIsACopy(int caseNumber) {
        Random r = random("gatherRows", caseNumber);
        int[] shape = randomShape(r, 1, 4, 5);
        String what = "gatherRows of every row case " + caseNumber + " " + Shapes.format(shape);
        HostArray x = RandomArrays.forCase(what).uniform(shape);
        FloatArray g = ops().gatherRows(up(x), upInts(IntStream.range(0, shape[0]).toArray()));
        assertThat(g.shape()).as("%s shape", what).containsExactly(shape);
        assertSameFloats(what, x.toFloats(), g.toFloatArray());
        FloatArray s = ops().sliceRows(up(x), 0, shape[0]);
        assertSameFloats("sliceRows of every row case " + caseNumber, x.toFloats(), s.toFloatArray());
    }
}
