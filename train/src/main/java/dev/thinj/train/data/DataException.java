package dev.thinj.train.data;

import dev.thinj.ops.ThinjException;

/**
 * A data file that cannot be used: missing, of the wrong format, truncated, or inconsistent with
 * its partner file. The message names the file and what was seen versus expected.
 */
public class DataException extends ThinjException {
    private static final long serialVersionUID = 1L;

    /** @param message the file and what was wrong with it */
    public DataException(String message) {
        super(message);
    }

    /**
     * @param message the file and what was wrong with it
     * @param cause the I/O error underneath
     */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
