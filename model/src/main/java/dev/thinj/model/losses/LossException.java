package dev.thinj.model.losses;

import dev.thinj.ops.ThinjException;

/**
 * A loss was given guesses or truths it cannot work with: values outside the allowed range, a label
 * name it does not know, a class index that is not a class, an option that does not fit the input.
 * The message names the loss and the offending value. Mismatched shapes raise
 * {@link dev.thinj.ops.ShapeException} instead. Thinc raises {@code ValueError}, {@code KeyError} or
 * {@code IndexError} for these.
 */
public class LossException extends ThinjException {
    private static final long serialVersionUID = 1L;

    /** @param message the loss, what was wrong and what was expected */
    public LossException(String message) {
        super(message);
    }

    /**
     * @param message the loss, what was wrong and what was expected
     * @param cause the underlying error, such as a kernel's
     */
    public LossException(String message, Throwable cause) {
        super(message, cause);
    }
}
