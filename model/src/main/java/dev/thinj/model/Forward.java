package dev.thinj.model;

/**
 * A layer's forward function, Thinc's {@code forward(model, X, is_train)}: it reads the model's
 * parameters, dims and attrs, computes the output, and returns it with its backward closure.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface Forward<I, O> {
    /**
     * @param model the model whose parameters to use
     * @param x the input (not modified)
     * @param isTrain whether training behaviour (dropout...) is on
     * @return the output and the backward closure
     */
    Result<I, O> apply(Model<I, O> model, I x, boolean isTrain);
}
