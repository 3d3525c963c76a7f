package dev.thinj.ops.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shim's vectorised kernels give the bits of the Java loops they stand in for, special values
 * included (NaN, both zeros, infinities, subnormals), over whole arrays and row or element ranges
 * that are not multiples of a vector. (The adds may return the other operand's NaN when both are NaN,
 * as any reordering of an add may: there every NaN counts as one.)
 */
class CriticalKernelsTest {
    private static final float[] SPECIALS = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f,
        Float.intBitsToFloat(0x7FC00001), Float.intBitsToFloat(0xFFC00000)};

    @BeforeAll
    static void needsTheShim() {
        assumeTrue(CriticalKernels.available(), "the JNI shim did not load: " + CriticalBlas.status());
    }

    private static float[] values(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int pick = r.nextInt(4);
            v[i] = pick == 0 ? SPECIALS[r.nextInt(SPECIALS.length)]
                    : pick == 1 ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextGaussian();
        }
        return v;
    }

    /** Bits, every NaN as the one canonical NaN: which NaN an add of two NaNs returns is not specified. */
    private static int[] values(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToIntBits(v[i]);
        }
        return b;
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    @Test
    void backpropReluIsTheJavaLoopToTheBitInPlaceOrNot() {
        Random r = new Random(3);
        for (int n : new int[] {1, 7, 8, 9, 31, 65_536, 100_003}) {
            float[] dy = values(r, n);
            float[] y = values(r, n);
            int from = n > 10 ? 3 : 0;
            int to = n > 10 ? n - 5 : n;
            float[] expected = values(r, n);
            float[] got = expected.clone();
            ActivationMath.backpropRelu(dy, y, expected, from, to);
            CriticalKernels.backpropRelu(dy, y, got, from, to);
            assertThat(bits(got)).as("n=%d", n).isEqualTo(bits(expected));
            float[] inPlaceJava = dy.clone();
            float[] inPlace = dy.clone();
            ActivationMath.backpropRelu(inPlaceJava, y, inPlaceJava, from, to);
            CriticalKernels.backpropRelu(inPlace, y, inPlace, from, to);
            assertThat(bits(inPlace)).as("in place, n=%d", n).isEqualTo(bits(inPlaceJava));
        }
    }

    @Test
    void dropoutMaskIsTheJavaLoopToTheBitForAnySeedRateAndRange() {
        Random r = new Random(5);
        long[] seeds = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x9E3779B97F4A7C15L, r.nextLong(), r.nextLong()};
        float[] rates = {Float.MIN_VALUE, 0x1.0p-24f, 0.2f, 0.5f, 0.5f + 0x1.0p-24f, Math.nextDown(1f)};
        for (long seed : seeds) {
            for (float rate : rates) {
                int threshold = (int) Math.ceil(rate * 0x1.0p24);
                int keepBits = Float.floatToRawIntBits((float) (1.0 / (1.0 - rate)));
                for (int[] range : new int[][] {{0, 1}, {0, 7}, {3, 65_536}, {5, 100_003}}) {
                    float[] expected = values(r, range[1] + 2);
                    float[] got = expected.clone();
                    ActivationMath.dropoutMask(expected, seed, threshold, keepBits, range[0], range[1]);
                    CriticalKernels.dropoutMask(got, seed, threshold, keepBits, range[0], range[1]);
                    assertThat(bits(got)).as("seed %d, rate %s, [%d, %d)", seed, rate, range[0], range[1])
                            .isEqualTo(bits(expected));
                }
            }
        }
    }

    @Test
    void biasAndColumnSumsAreTheJavaLoopsToTheBit() {
        Random r = new Random(4);
        for (int[] shape : new int[][] {{1, 1}, {3, 7}, {128, 512}, {129, 10}, {17, 1001}}) {
            int rows = shape[0];
            int n = shape[1];
            float[] x = values(r, rows * n);
            float[] b = values(r, n);
            int from = rows > 2 ? 1 : 0;
            int to = rows > 2 ? rows - 1 : rows;
            float[] expected = x.clone();
            float[] got = x.clone();
            RowKernels.addBias(expected, b, n, from, to);
            CriticalKernels.addBias(got, b, n, from, to);
            assertThat(values(got)).as("addBias %dx%d", rows, n).isEqualTo(values(expected));
            float[] sums = values(r, n);
            float[] sumsGot = sums.clone();
            RowKernels.addColumnSums(x, sums, n, from, to);
            CriticalKernels.addColumnSums(x, sumsGot, n, from, to);
            assertThat(values(sumsGot)).as("addColumnSums %dx%d", rows, n).isEqualTo(values(sums));
        }
    }

    /** One array in two roles (a view of the same storage) takes the Java loops, which define that case. */
    @Test
    void oneArrayInTwoRolesGivesTheJavaLoops() {
        Random r = new Random(5);
        float[] x = values(r, 4 * 8);
        float[] expected = x.clone();
        float[] got = x.clone();
        RowKernels.addBias(expected, expected, 8, 0, 4);
        CriticalKernels.addBias(got, got, 8, 0, 4);
        assertThat(values(got)).isEqualTo(values(expected));
        float[] sums = x.clone();
        float[] sumsGot = x.clone();
        RowKernels.addColumnSums(sums, sums, 8, 1, 4);
        CriticalKernels.addColumnSums(sumsGot, sumsGot, 8, 1, 4);
        assertThat(values(sumsGot)).isEqualTo(values(sums));
        float[] relu = x.clone();
        float[] reluGot = x.clone();
        ActivationMath.backpropRelu(relu, relu, relu, 0, relu.length);
        CriticalKernels.backpropRelu(reluGot, reluGot, reluGot, 0, reluGot.length);
        assertThat(bits(reluGot)).isEqualTo(bits(relu));
    }
}
