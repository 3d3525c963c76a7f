package dev.thinj.model.serialize;

/**
 * An intact model file that holds a different architecture than the model it is loaded into: another
 * number of nodes, another layer, another width. The file is fine; the config that built the model is
 * not the one it was trained with.
 */
public class ModelMismatchException extends ModelFileException {
    private static final long serialVersionUID = 1L;

    /** @param message the file, the node and what differs between the file and the model */
    public ModelMismatchException(String message) {
        super(message);
    }

    /**
     * @param message the file, the node, what differs, and what to do
     * @param cause the mismatch found first
     */
    public ModelMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
