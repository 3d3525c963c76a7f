package dev.thinj.ops;

/**
 * The backend asked for is unknown or cannot run here. The message lists every backend found on
 * the class path and why each is or is not available.
 */
public class BackendUnavailableException extends ThinjException {
    private static final long serialVersionUID = 1L;

    /** @param message the name asked for and the table of backends */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message the name asked for and the table of backends
     * @param cause what failed while creating the backend
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
