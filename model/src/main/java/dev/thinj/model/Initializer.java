package dev.thinj.model;

/**
 * A layer's init function, Thinc's {@code init(model, X=None, Y=None)}: infers missing dims from
 * sample data (either may be null) and allocates the parameters.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface Initializer<I, O> {
    /**
     * @param model the model to initialise
     * @param x a sample input, or null
     * @param y a sample output, or null
     */
    void initialize(Model<I, O> model, I x, O y);
}
