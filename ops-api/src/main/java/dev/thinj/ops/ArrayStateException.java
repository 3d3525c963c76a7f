package dev.thinj.ops;

/**
 * An array was used when it could not be: after {@code close()}, or with a kernel of a backend that
 * does not own it (copy it across with {@code ops.asArray(other)} first).
 */
public class ArrayStateException extends ThinjException {
    private static final long serialVersionUID = 1L;

    /** @param message the kernel, the array and why it cannot be used */
    public ArrayStateException(String message) {
        super(message);
    }
}
