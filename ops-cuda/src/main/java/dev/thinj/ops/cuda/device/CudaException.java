package dev.thinj.ops.cuda.device;

import dev.thinj.ops.ThinjException;

/** A CUDA call failed: the message names the call or kernel, the CUDA error and what was asked. */
public class CudaException extends ThinjException {
    private static final long serialVersionUID = 1L;

    /** @param message the call, the error name and the request */
    public CudaException(String message) {
        super(message);
    }

    /**
     * @param message the call, the error name and the request
     * @param cause the underlying error
     */
    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}
