package dev.thinj.ops;

/** An array had the wrong rank or shape for a kernel or layer; the message names both shapes. */
public class ShapeException extends ThinjException {
    private static final long serialVersionUID = 1L;

    /** @param message the kernel or layer, the shapes seen and the shapes expected */
    public ShapeException(String message) {
        super(message);
    }
}
