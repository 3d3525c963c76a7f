package dev.thinj.ops.batching;

import dev.thinj.ops.ThinjException;

/**
 * Making a batch failed. Raised on the consumer's thread, from {@code hasNext()} or {@code next()},
 * whichever thread made the batch; the cause is the original error, with its own stack trace.
 */
public class BatchException extends ThinjException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which batch of how many failed
     * @param cause the error raised while making it
     */
    public BatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
