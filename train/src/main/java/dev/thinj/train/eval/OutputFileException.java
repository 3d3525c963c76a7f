package dev.thinj.train.eval;

import dev.thinj.ops.ThinjException;

/**
 * An evaluation output (plot, JSON report, predictions CSV) could not be written: the message names
 * the file and why (its folder is missing or is a file, no permission, the disk is full).
 */
public class OutputFileException extends ThinjException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the file and what was wrong
     * @param cause the I/O error underneath
     */
    public OutputFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
