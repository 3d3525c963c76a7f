package dev.thinj.train;

import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;

/**
 * Runs the training steps of a {@link Trainer}'s epochs: on this process's backend
 * ({@link #local()}, the default), or spread over a cluster (the Spark module). The trainer around it
 * does everything else the same way for both: initialisation, resume, evaluation, the listeners
 * (progress bar, metrics, plot, best model, checkpoints).
 */
public interface StepEngine {
    /**
     * Called once per run, after the model has been initialised and a checkpoint (if any) loaded, before
     * the first epoch.
     *
     * @param plan the run's plan
     */
    void start(TrainingPlan plan);

    /** @return the training rows one epoch visits (for the samples-per-second figure) */
    long rows();

    /**
     * @param epoch the epoch, from 1
     * @param sizes the batch size of each of the epoch's batches (the schedule's offset applied)
     * @param options shuffling, seeded by the run's seed and the epoch, and buffering
     * @return the epoch's steps, not yet run
     */
    EpochSteps epoch(int epoch, BatchSizes sizes, BatchOptions options);

    /** Called when the run ends, normally or on an exception: release what {@link #start} took. */
    default void finish() {
    }

    /** One epoch's steps. */
    interface EpochSteps {
        /** @return how many steps (optimizer updates of the global batch) the epoch has */
        int size();

        /**
         * Runs the steps.
         *
         * @param afterStep told after each step
         * @return the sum of the steps' losses
         */
        double run(StepObserver afterStep);
    }

    /** Told after each step. */
    @FunctionalInterface
    interface StepObserver {
        /**
         * @param step the step within the epoch, from 1
         * @param meanLoss the epoch's mean loss over the steps read so far (NaN before the first read)
         */
        void stepFinished(int step, double meanLoss);
    }

    /** @return the single-process engine: Thinc's loop over {@code ops.multibatch} on the model's backend */
    static StepEngine local() {
        return new LocalSteps();
    }
}
