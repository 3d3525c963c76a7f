package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.Shapes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of each group of conformance tests: the backend under test and the helpers every group
 * uses. Each test runs inside an {@link ArrayScope}, so the arrays it makes are freed when it ends
 * (off-heap and device memory must not wait for the garbage collector).
 */
abstract class KernelContract {
    private ArrayScope scope;

    /** @return the backend under test */
    protected abstract Ops ops();

    @BeforeEach
    void openScope() {
        scope = ops().scope();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    /** @return a copy of {@code h} on the backend */
    FloatArray up(HostArray h) {
        return h.upload(ops());
    }

    /** @return a copy of {@code h} on the backend as ints */
    IntArray upInts(HostArray h) {
        return h.uploadInts(ops());
    }

    /** @return a 1-d int array on the backend */
    IntArray upInts(int[] values) {
        return ops().asInts(values, values.length);
    }

    /**
     * Asserts that a kernel left an input exactly as it was.
     *
     * @param what the kernel and case
     * @param argument the argument's name
     * @param before the values uploaded
     * @param array the argument after the call
     */
    static void assertUnchanged(String what, String argument, HostArray before, FloatArray array) {
        assertSameFloats(what + " must not modify '" + argument + "'", before.toFloats(), array.toFloatArray());
    }

    /**
     * Asserts bit-for-bit equal floats (NaN equal to NaN). A plain loop: AssertJ's
     * {@code containsExactly} takes seconds on 210,000 elements.
     *
     * @param what the check, for the failure message
     * @param expected the values expected
     * @param actual the values seen
     */
    static void assertSameFloats(String what, float[] expected, float[] actual) {
        assertThat(actual.length).as("%s: number of elements", what).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail("%s: element %d is %s, expected %s", what, i, actual[i], expected[i]);
            }
        }
    }

    /** @return "kernel (shape)" for messages */
    static String what(String kernel, int... shape) {
        return kernel + " " + Shapes.format(shape);
    }
}
