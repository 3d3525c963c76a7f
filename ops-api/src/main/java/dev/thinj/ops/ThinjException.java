package dev.thinj.ops;

/**
 * The common unchecked root of every error thinj raises on purpose. Its subclasses say what kind of
 * mistake was made (a shape, a closed array, an unavailable backend, a numeric fault); the message
 * always names where (kernel or layer) and what was seen versus expected.
 */
public class ThinjException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, where, and what was expected */
    public ThinjException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, where, and what was expected
     * @param cause the underlying error
     */
    public ThinjException(String message, Throwable cause) {
        super(message, cause);
    }
}
