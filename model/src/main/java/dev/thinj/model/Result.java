package dev.thinj.model;

/**
 * What a forward pass returns: the output and the closure that runs the backward pass, as Thinc's
 * {@code (Y, backprop)} pair.
 *
 * @param output the model's output
 * @param backprop maps the output's gradient to the input's, adding into parameter gradients
 * @param <I> the input type
 * @param <O> the output type
 */
public record Result<I, O>(O output, Backprop<I, O> backprop) {
}
