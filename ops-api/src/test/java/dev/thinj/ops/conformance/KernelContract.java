package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
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
        assertThat(array.toFloatArray()).as("%s must not modify '%s'", what, argument).containsExactly(before.toFloats());
    }

    /** @return "kernel (shape)" for messages */
    static String what(String kernel, int... shape) {
        return kernel + " " + dev.thinj.ops.Shapes.format(shape);
    }
}
