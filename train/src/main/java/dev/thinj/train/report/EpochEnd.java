package dev.thinj.train.report;

import dev.thinj.model.Model;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.ops.FloatArray;

/**
 * What a finished epoch hands its {@link TrainingListener}s.
 *
 * @param metrics the epoch's loss, dev scores and speed
 * @param epochs the last epoch of the run
 * @param improved whether the dev score is the best so far (the best model is due)
 * @param bestScore the best dev score so far, this epoch included
 * @param batchesDrawn batches drawn since the run's first epoch (the batch-size schedule's step)
 * @param stepsEndedNanos {@link System#nanoTime()} when the epoch's last step ended (what follows it,
 *     evaluation and listeners, is time outside the steps)
 * @param model the model after the epoch's updates
 * @param optimizer the optimizer (its parameter averages are what the dev scores used)
 */
public record EpochEnd(EpochMetrics metrics, int epochs, boolean improved, double bestScore, long batchesDrawn,
        long stepsEndedNanos, Model<FloatArray, FloatArray> model, Optimizer optimizer) {
}
