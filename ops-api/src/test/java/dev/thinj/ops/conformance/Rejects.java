package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.NumericException;
import dev.thinj.ops.ThinjException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Assertions for the error half of the contract: bad input raises a {@link ThinjException} (or an
 * {@link IllegalArgumentException}) whose message names the kernel, so a user can tell which call
 * of a long training step was wrong.
 */
final class Rejects {
    private Rejects() {
    }

    /**
     * Asserts that the call fails with a {@link ThinjException} or {@link IllegalArgumentException}
     * naming the kernel.
     *
     * @param what the case, for the failure message
     * @param call the bad call
     * @param kernelNames acceptable names for the message to contain (a default method such as
     *     {@code affine} may report the kernel it delegates to)
     * @return the exception
     */
    static Throwable badInput(String what, ThrowingCallable call, String... kernelNames) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("%s: expected a ThinjException or IllegalArgumentException", what)
                .isInstanceOfAny(ThinjException.class, IllegalArgumentException.class);
        assertThat(t.getMessage()).as("%s: the message should name the kernel", what).containsAnyOf(kernelNames);
        return t;
    }

    /**
     * Asserts that the call fails with an {@link ArrayStateException} naming the kernel.
     *
     * @param what the case, for the failure message
     * @param call the call with a closed or foreign array
     * @param kernelNames acceptable names for the message to contain
     */
    static void arrayState(String what, ThrowingCallable call, String... kernelNames) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("%s: expected an ArrayStateException", what).isInstanceOf(ArrayStateException.class);
        assertThat(t.getMessage()).as("%s: the message should name the kernel", what).containsAnyOf(kernelNames);
    }

    /**
     * Asserts that the call fails with a {@link NumericException} naming the kernel.
     *
     * @param what the case, for the failure message
     * @param call the call with a bad value
     * @param kernel the kernel's name
     */
    static void numeric(String what, ThrowingCallable call, String kernel) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("%s: expected a NumericException", what).isInstanceOf(NumericException.class);
        assertThat(t.getMessage()).as("%s: the message should name the kernel", what).contains(kernel);
    }
}
