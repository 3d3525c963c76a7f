package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Shapes;

/**
 * Compares a backend's float32 result with the float64 reference. An element passes when
 * {@code |actual - expected| <= rel * max(floor, |expected|) + cond * scale}, where {@code scale} is the
 * same computation on absolute values (the sum of |terms| of a dot product or reduction). The
 * second term lets long sums lose the few bits that float32 accumulation must lose even when the
 * result cancels to near zero, without loosening the check on short, well-conditioned ones.
 *
 * <p>The {@code max(1, ...)} floor can be lowered with {@link #withFloor} for results that are
 * legitimately far below 1 (Adam's moments), where an absolute 1e-5 would accept almost anything.
 *
 * @param rel relative tolerance (absolute below magnitude {@code floor})
 * @param cond tolerance relative to the sum of absolute terms
 * @param floor the magnitude below which {@code rel} becomes absolute
 */
record Approx(double rel, double cond, double floor) {
    /** Elementwise kernels: a few float32 roundings per element. */
    static final Approx ELEMENTWISE = new Approx(1e-5, 0);
    /** Dot products, row reductions and anything normalised by one: float32 accumulation. */
    static final Approx REDUCTION = new Approx(1e-4, 1e-6);

    /**
     * @param rel relative tolerance (absolute below magnitude 1)
     * @param cond tolerance relative to the sum of absolute terms
     */
    Approx(double rel, double cond) {
        this(rel, cond, 1);
    }

    /**
     * @param newFloor the magnitude below which the relative tolerance becomes absolute
     * @return this tolerance with that floor
     */
    Approx withFloor(double newFloor) {
        return new Approx(rel, cond, newFloor);
    }

    /**
     * Asserts shape and values.
     *
     * @param what the kernel and input shape, for the failure message
     * @param expected the reference result
     * @param actual the backend's result (read)
     */
    void assertClose(String what, HostArray expected, FloatArray actual) {
        assertClose(what, expected, null, actual);
    }

    /**
     * Asserts shape and values.
     *
     * @param what the kernel and input shape, for the failure message
     * @param expected the reference result
     * @param scale the reference on absolute inputs, or {@code null} when no sums are involved
     * @param actual the backend's result (read)
     */
    void assertClose(String what, HostArray expected, HostArray scale, FloatArray actual) {
        assertThat(actual.shape()).as("%s: output shape", what).containsExactly(expected.shape());
        assertValues(what, expected, scale, actual.toFloatArray());
    }

    /**
     * Asserts values only (for results whose shape the contract leaves open).
     *
     * @param what the kernel and input shape, for the failure message
     * @param expected the reference values
     * @param scale the reference on absolute inputs, or {@code null}
     * @param actual the backend's values
     */
    void assertValues(String what, HostArray expected, HostArray scale, float[] actual) {
        assertThat(actual.length).as("%s: number of elements", what).isEqualTo(expected.size());
        int bad = 0;
        int first = -1;
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double e = expected.data()[i];
            double a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            double tol = tolerance(e, scale == null ? 0 : scale.data()[i]);
            double err = Math.abs(a - e);
            if (!(err <= tol)) {
                bad++;
                if (first < 0) {
                    first = i;
                }
                worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / tol);
            }
        }
        if (bad > 0) {
            double e = expected.data()[first];
            fail("%s: %d of %d elements differ from the float64 reference; first at %s: expected %s, got %s "
                    + "(tolerance %.3g); worst error is %.3g times its tolerance",
                    what, bad, actual.length, index(expected.shape(), first), e, actual[first],
                    tolerance(e, scale == null ? 0 : scale.data()[first]), worst);
        }
    }

    /**
     * Asserts a single value.
     *
     * @param what the kernel and input shape
     * @param expected the reference value
     * @param scale the reference on absolute inputs (0 when none)
     * @param actual the backend's value
     */
    void assertClose(String what, double expected, double scale, double actual) {
        double tol = tolerance(expected, scale);
        assertThat(Math.abs(actual - expected))
                .as("%s: expected %s, got %s (tolerance %.3g)", what, expected, actual, tol)
                .isLessThanOrEqualTo(tol);
    }

    private double tolerance(double expected, double scale) {
        return rel * Math.max(floor, Math.abs(expected)) + cond * Math.abs(scale);
    }

    /**
     * Asserts an int result exactly.
     *
     * @param what the kernel and input shape
     * @param expected the reference values, row-major
     * @param actual the backend's result (read)
     */
    static void assertInts(String what, int[] expected, IntArray actual) {
        int[] got = actual.toIntArray();
        assertThat(got.length).as("%s: number of elements", what).isEqualTo(expected.length);
        for (int i = 0; i < got.length; i++) {
            if (got[i] != expected[i]) {
                fail("%s: element %s is %d, expected %d", what, index(actual.shape(), i), got[i], expected[i]);
            }
        }
    }

    /** Turns a flat index into NumPy's index notation for the message. */
    static String index(int[] shape, int flat) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            int extent = Math.max(shape[d], 1);
            idx[d] = flat % extent;
            flat /= extent;
        }
        return Shapes.format(idx).replace(",)", ")");
    }
}
