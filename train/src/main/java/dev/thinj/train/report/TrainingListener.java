package dev.thinj.train.report;

import dev.thinj.model.Model;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.ops.FloatArray;

/**
 * Told what a {@code Trainer} run does, so that everything around the loop — the progress bar, the
 * epoch line, the metrics file, the plot, the best model and the checkpoints — plugs in from outside
 * and the loop itself stays Thinc's few lines. Every method has an empty default: a listener
 * implements what it needs. Listeners run on the training thread, in the order they were given.
 */
public interface TrainingListener {
    /** @param message one line about the run worth telling its user (no checkpoint to resume from...) */
    default void notice(String message) {
    }

    /**
     * @param firstEpoch the epoch about to run (after a resumed checkpoint's last one, else 1)
     * @param epochs the last epoch the run trains
     */
    default void runStarted(int firstEpoch, int epochs) {
    }

    /**
     * @param epoch the epoch, from 1
     * @param batches how many batches it has
     */
    default void epochStarted(int epoch, int batches) {
    }

    /**
     * After every training step. The loss is read from the backend only every few steps (a read is a
     * device synchronisation), so between reads this repeats the last value.
     *
     * @param batch the step within the epoch, from 1
     * @param meanLoss the epoch's mean loss over the steps read so far (NaN before the first read)
     */
    default void batchFinished(int batch, double meanLoss) {
    }

    /**
     * When an epoch's steps have ended, before its evaluation: the model holds its trained parameters
     * (the evaluation then swaps the optimizer's averages in). Work that needs them but not the scores
     * can start here and overlap the evaluation (a checkpoint's files).
     *
     * @param epoch the epoch, from 1
     * @param model the model
     * @param optimizer its optimizer
     */
    default void stepsFinished(int epoch, Model<FloatArray, FloatArray> model, Optimizer optimizer) {
    }

    /** @param end what the epoch measured, and the model and optimizer after it */
    default void epochFinished(EpochEnd end) {
    }

    /** After the last epoch, or when the run stops on an exception: release what the run held (a console bar). */
    default void runEnded() {
    }
}
