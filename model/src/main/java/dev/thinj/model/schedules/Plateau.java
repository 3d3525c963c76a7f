package dev.thinj.model.schedules;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Thinc 9's {@code plateau.v1}: a wrapped schedule's values scaled down each time the evaluation score
 * stops improving. At step {@code k} the value is {@code scale^plateaus * schedule.valueAt(k)}, where
 * {@code plateaus} counts how many times {@code maxPatience} evaluations in a row failed to beat the
 * best score. Made by {@link Schedules#plateau}.
 *
 * <h2>Feeding it scores</h2>
 * Scores arrive as the {@link LastScore} argument of {@link #valueAt(long, LastScore)}, as in Thinc 9,
 * where the optimizer passes its {@code last_score} to every schedule call. A training loop keeps the
 * latest evaluation and hands it over on every call; repeating it is harmless:
 * <pre>{@code
 * Plateau learnRate = Schedules.plateau(2, 0.5, Schedules.constant(0.001));
 * LastScore last = null;                                 // no evaluation yet
 * for (long step = 0; step < maxSteps; step++) {
 *     double rate = learnRate.valueAt(step, last);
 *     ... train one batch with rate ...
 *     if (step % evalFrequency == 0) {
 *         last = new LastScore(step, evaluate(model));   // higher is better
 *     }
 * }
 * }</pre>
 * {@link #valueAt(long)} (and {@link #iterator()}) read the schedule without a score, like Thinc's
 * {@code last_score=None}: the value uses the plateaus counted so far and changes no state.
 *
 * <h2>Rules (Thinc 9's {@code _plateau_schedule}, step for step)</h2>
 * Given a score {@code (scoreStep, score)}:
 * <ol>
 *   <li>If it is the first score, or {@code score > best} (strictly: a tie is no improvement), it
 *       becomes the best score and the patience count resets to 0, whatever its step.
 *   <li>Otherwise, if {@code scoreStep} is before the step of the last score seen, it is an error.
 *   <li>Otherwise, if {@code scoreStep} is after it, this is a new evaluation without improvement:
 *       patience goes up by one, and on reaching {@code maxPatience} the plateau count goes up by one and
 *       patience resets to 0. The same step again counts nothing, which is what makes repeating a
 *       score harmless.
 *   <li>In every case the score's step becomes the last step seen.
 * </ol>
 * Quirks kept from Thinc: an improving score is accepted even with an earlier step than the last one
 * (and moves the last step back); a score at an already-seen step can still improve the best score
 * (an evaluation re-run at the same step); a {@code NaN} score never improves and, as the first score,
 * makes every later score fail to improve. The plateau count never goes down. The wrapped schedule
 * receives the same {@link LastScore}, after this schedule's update, so plateaus can nest.
 *
 * <p>Unlike Thinc, a {@code maxPatience} below 1 is rejected: Thinc's count would pass 0 without ever
 * equalling it, so the schedule would silently never scale.
 *
 * <p>Thread-safe: updates and reads are serialised.
 */
public final class Plateau implements Schedule {
    private final int maxPatience;
    private final double scale;
    private final Schedule schedule;

    private boolean scored;
    private double bestScore;
    private long lastScoreStep;
    private int patience;
    private int plateaus;

    Plateau(int maxPatience, double scale, Schedule schedule) {
        if (maxPatience < 1) {
            throw new IllegalArgumentException("plateau: maxPatience must be >= 1, got " + maxPatience);
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("plateau: scale must be a finite number >= 0, got " + scale);
        }
        this.maxPatience = maxPatience;
        this.scale = scale;
        this.schedule = Objects.requireNonNull(schedule, "plateau: schedule must not be null");
    }

    /** The value at a step from the plateaus counted so far; changes no state. */
    @Override
    public double valueAt(long step) {
        return valueAt(step, null);
    }

    /**
     * Takes the latest score into account (see the class rules), then returns the scaled value.
     *
     * @param step the number of times the schedule has been stepped, from 0
     * @param lastScore the latest evaluation, or {@code null} when none has been made yet
     * @return {@code scale^plateaus * schedule.valueAt(step, lastScore)}
     * @throws IllegalArgumentException if the step is negative, or the score does not improve and its
     *     step is before the last score's step
     */
    @Override
    public synchronized double valueAt(long step, LastScore lastScore) {
        Schedules.checkStep("plateau", step);
        if (lastScore != null) {
            observe(lastScore);
        }
        return Math.pow(scale, plateaus) * schedule.valueAt(step, lastScore);
    }

    private void observe(LastScore lastScore) {
        if (!scored || lastScore.score() > bestScore) {
            scored = true;
            bestScore = lastScore.score();
            patience = 0;
        } else if (lastScore.step() < lastScoreStep) {
            throw new IllegalArgumentException("plateau: expected a score with step >= " + lastScoreStep
                    + ", got step " + lastScore.step());
        } else if (lastScore.step() > lastScoreStep) {
            // No improvement, and not the last score again: one more evaluation on a possible plateau.
            patience++;
            if (patience == maxPatience) {
                plateaus++;
                patience = 0;
            }
        }
        lastScoreStep = lastScore.step();
    }

    /** @return how many plateaus have been reached: the exponent of {@code scale} */
    public synchronized int plateaus() {
        return plateaus;
    }

    /** @return how many evaluations in a row have not improved on the best score since the last reset */
    public synchronized int patience() {
        return patience;
    }

    /** @return the best score seen, or empty before the first score */
    public synchronized OptionalDouble bestScore() {
        return scored ? OptionalDouble.of(bestScore) : OptionalDouble.empty();
    }

    @Override
    public synchronized String toString() {
        return "Plateau[maxPatience=" + maxPatience + ", scale=" + scale + ", schedule=" + schedule
                + ", plateaus=" + plateaus + ", patience=" + patience + "]";
    }
}
