package dev.thinj.model;

/**
 * The backward closure a forward pass returns: given the gradient of the output, it adds into the
 * gradients of the parameters that produced it and returns the gradient of the input. Calling it twice
 * adds twice; not calling it leaves the gradients as they were.
 *
 * @param <I> the model's input type (and so the returned gradient's)
 * @param <O> the model's output type (and so {@code dY}'s)
 */
@FunctionalInterface
public interface Backprop<I, O> {
    /**
     * @param dY the gradient of the loss with respect to the output (not modified)
     * @return the gradient with respect to the input
     */
    I apply(O dY);
}
