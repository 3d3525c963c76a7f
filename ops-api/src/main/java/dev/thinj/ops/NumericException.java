package dev.thinj.ops;

/** A kernel met a value it cannot work with, such as a NaN gradient norm when clipping. */
public class NumericException extends ThinjException {
    private static final long serialVersionUID = 1L;

    /** @param message the kernel and the offending value */
    public NumericException(String message) {
        super(message);
    }
}
