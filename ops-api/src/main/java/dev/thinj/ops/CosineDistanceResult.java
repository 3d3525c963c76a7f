package dev.thinj.ops;

/**
 * The output of {@link LossKernels#cosineDistance}.
 *
 * @param gradient the gradient with respect to the guesses
 * @param loss a one-element array holding the loss
 */
public record CosineDistanceResult(FloatArray gradient, FloatArray loss) implements AutoCloseable {
    @Override
    public void close() {
        gradient.close();
        loss.close();
    }
}
