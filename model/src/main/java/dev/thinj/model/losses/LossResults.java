package dev.thinj.model.losses;

import dev.thinj.ops.FloatArray;

/** What the losses share about their results: Thinc's squared-gradient loss, and reading one once. */
final class LossResults {
    private LossResults() {
    }

    /** Pairs a gradient with its sum of squares, Thinc's loss for CCE and L2. */
    static LossResult<FloatArray> withSquaredLoss(FloatArray grad) {
        return new LossResult<>(grad, grad.ops().sumOfSquares(grad));
    }

    /** Reads a result's loss and frees both of its arrays. */
    static float readAndFree(LossResult<FloatArray> result) {
        try {
            return result.loss();
        } finally {
            result.grad().close();
            result.lossValue().close();
        }
    }
}
