package dev.thinj.model.serialize;

import dev.thinj.ops.ThinjException;

/** A model file could not be written or read: the message names the file, the offset or node, and why. */
public class ModelFileException extends ThinjException {
    private static final long serialVersionUID = 1L;

    /** @param message the file and what was wrong */
    public ModelFileException(String message) {
        super(message);
    }

    /**
     * @param message the file and what was wrong
     * @param cause the I/O error underneath
     */
    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
