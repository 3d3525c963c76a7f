package dev.thinj.model.losses;

/**
 * A loss: from guesses and truths, the gradient of the loss with respect to the guesses and the loss
 * itself, as Thinc's {@code Loss.__call__} (gradient first).
 *
 * @param <G> the guesses' type (and so the gradient's), such as {@code FloatArray}
 * @param <T> the truths' type: class indices, one-hot arrays, names...
 */
public interface Loss<G, T> {
    /**
     * @param guesses the model's output (not modified)
     * @param truths the gold values (not modified)
     * @return the gradient and the loss
     */
    LossResult<G> apply(G guesses, T truths);

    /**
     * @param guesses the model's output (not modified)
     * @param truths the gold values (not modified)
     * @return the gradient with respect to the guesses
     */
    default G getGrad(G guesses, T truths) {
        return apply(guesses, truths).grad();
    }

    /**
     * @param guesses the model's output (not modified)
     * @param truths the gold values (not modified)
     * @return the loss value (a host read: a synchronisation on GPUs)
     */
    default float getLoss(G guesses, T truths) {
        return apply(guesses, truths).loss();
    }
}
