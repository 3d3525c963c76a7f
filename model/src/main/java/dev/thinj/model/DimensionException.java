package dev.thinj.model;

import dev.thinj.ops.ShapeException;

/**
 * A layer was given a width it cannot have (zero or negative). It carries the layer, the dim and the
 * value, so the config registry can point at the config line that set the dim rather than at a kernel
 * that would otherwise fail much later ({@code uniform: negative dimension in shape (-5, 784)}).
 */
public class DimensionException extends ShapeException {
    private static final long serialVersionUID = 1L;

    private final String layer;
    private final String dim;
    private final int value;

    /**
     * @param layer the layer's name, such as {@code relu}
     * @param dim the dim, such as {@code nO}
     * @param value the value given
     */
    public DimensionException(String layer, String dim, int value) {
        super("Layer '" + layer + "': " + problem(dim, value));
        this.layer = layer;
        this.dim = dim;
        this.value = value;
    }

    /** @return e.g. {@code nO must be positive, got -5} */
    private static String problem(String dim, int value) {
        return dim + " must be positive, got " + value;
    }

    /** @return what is wrong without the layer, e.g. {@code nO must be positive, got -5} */
    public String problem() {
        return problem(dim, value);
    }

    /** @return the layer's name */
    public String layer() {
        return layer;
    }

    /** @return the dim's name */
    public String dim() {
        return dim;
    }

    /** @return the value given */
    public int value() {
        return value;
    }
}
