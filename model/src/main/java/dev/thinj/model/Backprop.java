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

    /**
     * The backward pass for the parameters' gradients alone, when nobody wants the input's gradient:
     * the input is a batch of data (PyTorch's {@code requires_grad=False}). It adds into exactly the
     * gradients {@link #apply} adds into, and may skip the work only the input's gradient needs, such
     * as the first layer's product {@code dY W} (a fifth of an MLP's backward pass). Thinc has no such
     * call; the default runs {@link #apply} and drops its result.
     *
     * @param dY the gradient of the loss with respect to the output (not modified)
     */
    default void paramsOnly(O dY) {
        apply(dY);
    }

    /**
     * A backprop that can skip its input gradient: {@link #apply} runs {@code backward} with
     * {@code wantInput} true, {@link #paramsOnly} with false (when it may return null).
     *
     * @param backward the backward pass
     * @param <I> the input type
     * @param <O> the output type
     * @return the backprop
     */
    static <I, O> Backprop<I, O> skippable(Partial<I, O> backward) {
        return new Backprop<>() {
            @Override
            public I apply(O dY) {
                return backward.apply(dY, true);
            }

            @Override
            public void paramsOnly(O dY) {
                backward.apply(dY, false);
            }
        };
    }

    /**
     * A backward pass told whether the input's gradient is wanted.
     *
     * @param <I> the input type
     * @param <O> the output type
     */
    @FunctionalInterface
    interface Partial<I, O> {
        /**
         * @param dY the gradient of the output (not modified)
         * @param wantInput whether to compute and return the input's gradient
         * @return the input's gradient, or null when not wanted
         */
        I apply(O dY, boolean wantInput);
    }
}
