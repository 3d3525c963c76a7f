package dev.thinj.train;

import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.losses.Loss;
import dev.thinj.model.losses.LossResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.batching.Batch;
import dev.thinj.train.data.Task;

/**
 * The config's loss bound to the task's targets: a batch's part 1 holds class indices for
 * classification and float targets for regression, and this hands the loss the kind it takes. A loss
 * that cannot train the task is refused when the plan is resolved, not at the first step.
 */
public interface Objective {
    /**
     * @param guesses the model's output for the batch
     * @param batch the batch: part 0 the features, part 1 the targets
     * @return the loss's gradient and value
     */
    LossResult<FloatArray> apply(FloatArray guesses, Batch batch);

    /**
     * @param task the dataset's task
     * @param loss the config's loss, or null for the task's default (categorical cross-entropy,
     *     L2 distance)
     * @return the objective
     * @throws IllegalArgumentException naming the loss and the losses the task takes
     */
    @SuppressWarnings("unchecked")
    static Objective of(Task task, Object loss) {
        if (task == Task.CLASSIFY) {
            if (loss == null) {
                loss = new CategoricalCrossentropy();
            }
            if (loss instanceof CategoricalCrossentropy cce) {
                return (guesses, batch) -> cce.apply(guesses, batch.ints(1));
            }
            throw new IllegalArgumentException(loss + " cannot train on class labels (task \"classify\"); use"
                    + " CategoricalCrossentropy.v3, or leave [loss] out");
        }
        if (loss == null) {
            loss = new dev.thinj.model.losses.L2Distance();
        }
        if (loss instanceof dev.thinj.model.losses.L2Distance || loss instanceof dev.thinj.model.losses.CosineDistance) {
            Loss<FloatArray, FloatArray> floats = (Loss<FloatArray, FloatArray>) loss;
            return (guesses, batch) -> floats.apply(guesses, batch.floats(1));
        }
        throw new IllegalArgumentException(loss + " cannot train on float targets (task \"regress\"); use"
                + " L2Distance.v1 or CosineDistance.v1, or leave [loss] out");
    }
}
