package dev.thinj.model.losses;

import dev.thinj.ops.FloatArray;

/**
 * A loss's gradient and value. The value stays a one-element backend array until {@link #loss()}
 * reads it, so a training step that never asks for it never waits for the device.
 *
 * @param grad the gradient with respect to the guesses
 * @param lossValue a one-element array holding the loss
 * @param <G> the gradient's type
 */
public record LossResult<G>(G grad, FloatArray lossValue) {
    /** @return the loss, read to the host */
    public float loss() {
        return lossValue.item();
    }
}
