package dev.thinj.model.schedules;

/**
 * The latest evaluation of the model, as Thinc 9's {@code last_score} tuple {@code (last_score_step,
 * last_score)}: when it was evaluated and how well it scored (higher is better). A training loop makes
 * a new one after each evaluation and passes it to {@link Schedule#valueAt(long, LastScore)} on every
 * call until the next evaluation; passing the same one again is harmless, since {@link Plateau} only
 * counts an evaluation whose step it has not seen.
 *
 * @param step the training step at which the model was evaluated (at least 0)
 * @param score the evaluation score, higher is better
 */
public record LastScore(long step, double score) {
    /**
     * Rejects a negative step.
     *
     * @param step the training step at which the model was evaluated (at least 0)
     * @param score the evaluation score, higher is better
     */
    public LastScore {
        if (step < 0) {
            throw new IllegalArgumentException("LastScore: step must be >= 0, got " + step);
        }
    }
}
