package dev.thinj.model.optimizers;

import dev.thinj.model.ParamKey;
import dev.thinj.ops.FloatArray;
import java.util.Map;

/**
 * Updates parameters from their gradients, as Thinc's {@code Optimizer}. {@code Model.finishUpdate}
 * calls {@link #update} once per parameter that has a gradient; the training loop calls
 * {@link #stepSchedules()} once per step.
 *
 * <p>Call order: update* per batch (any parameters, any order), then stepSchedules, repeated.
 */
public interface Optimizer {
    /**
     * Applies one step to a parameter and zeroes its gradient in place, keeping per-key state (moments,
     * averages) on the parameter's backend.
     *
     * @param key identifies the parameter across calls
     * @param param the weights (modified)
     * @param grad their gradient (modified: zeroed)
     * @throws dev.thinj.ops.NumericException if clipping is on and the gradient's norm is NaN (Thinc
     *     would write the NaN into the weights)
     */
    void update(ParamKey key, FloatArray param, FloatArray grad);

    /**
     * Advances every scheduled hyperparameter by one step, as Thinc's {@code step_schedules}: each
     * schedule's next value is drawn now (an iterator's {@code next()}), and an exhausted one keeps
     * its last value.
     */
    void stepSchedules();

    /**
     * Records the latest evaluation score, which score-aware schedules (Thinc 9's {@code plateau})
     * read from then on, as Thinc 9's {@code optimizer.last_score = (step, score)}.
     *
     * @param step the training step the score was measured at
     * @param score the score; higher is better
     */
    void setLastScore(long step, double score);

    /** @return the parameter averages kept so far, by key (empty when averaging is off) */
    Map<ParamKey, FloatArray> averages();

    /** @return the learning rate in force at the current step */
    double learnRate();
}
