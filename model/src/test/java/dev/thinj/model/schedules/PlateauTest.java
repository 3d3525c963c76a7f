package dev.thinj.model.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Plateau against Thinc 9's {@code _plateau_schedule}. Thinc 9 is not installed here, so there are no
 * generated fixtures: each expectation below is worked out by hand from Thinc 9's code, which for a
 * score {@code (score_step, score)} does
 * <pre>
 *   if best is None or last_step is None or score &gt; best: best = score; patience = 0
 *   elif score_step &lt; last_step: raise ValueError
 *   elif score_step &gt; last_step:
 *       patience += 1
 *       if patience == max_patience: n_plateaus += 1; patience = 0
 *   last_step = score_step
 *   return scale ** n_plateaus * inner(step, last_score=...)
 * </pre>
 * The comments give the state after each call as (best, patience, plateaus).
 */
class PlateauTest {
    @Test
    void withoutScoresItIsTheWrappedSchedule() {
        Schedule inner = Schedules.decaying(1.0, 0.1);
        Plateau p = Schedules.plateau(2, 0.5, inner);
        for (long k = 0; k < 20; k++) {
            assertThat(p.valueAt(k)).isEqualTo(inner.valueAt(k));
            assertThat(p.valueAt(k, null)).isEqualTo(inner.valueAt(k));
        }
        assertThat(p.plateaus()).isZero();
        assertThat(p.bestScore()).isEmpty();
    }

    /** A training loop's view: the latest score is passed on every call, repeats included. */
    @Test
    void scalesDownAfterMaxPatienceEvaluationsWithoutImprovement() {
        Plateau p = Schedules.plateau(2, 0.5, Schedules.constant(1.0));
        Object[][] calls = {
            // step, last score (null: none yet), expected value, patience, plateaus
            {0, null, 1.0, 0, 0},
            {1, new LastScore(0, 0.50), 1.0, 0, 0},  // first score: (0.5, 0, 0)
            {2, new LastScore(0, 0.50), 1.0, 0, 0},  // the same evaluation again: no change
            {3, new LastScore(1, 0.40), 1.0, 1, 0},  // worse, new step: (0.5, 1, 0)
            {4, new LastScore(1, 0.40), 1.0, 1, 0},  // repeated: no change
            {5, new LastScore(2, 0.50), 0.5, 0, 1},  // a tie is no improvement: patience 2 = max, plateau 1
            {6, new LastScore(3, 0.70), 0.5, 0, 1},  // better: (0.7, 0, 1); plateaus never go back
            {7, new LastScore(4, 0.60), 0.5, 1, 1},
            {8, new LastScore(5, 0.65), 0.25, 0, 2}, // still below 0.7: plateau 2
            {9, new LastScore(6, 0.10), 0.25, 1, 2},
            {10, null, 0.25, 1, 2},                  // no score: reads the state, changes nothing
            {11, new LastScore(7, 0.20), 0.125, 0, 3},
        };
        for (Object[] call : calls) {
            long step = ((Integer) call[0]).longValue();
            assertThat(p.valueAt(step, (LastScore) call[1])).as("value at step %d", step).isEqualTo((double) call[2]);
            assertThat(p.patience()).as("patience after step %d", step).isEqualTo(call[3]);
            assertThat(p.plateaus()).as("plateaus after step %d", step).isEqualTo(call[4]);
        }
        assertThat(p.bestScore()).hasValue(0.70);
        // valueAt(step) and the iterator use the plateaus counted so far.
        assertThat(p.valueAt(100)).isEqualTo(0.125);
        assertThat(p.iterator().next()).isEqualTo(0.125);
    }

    @Test
    void scalesTheWrappedScheduleAtTheSameStep() {
        // warmupLinear(1, 0, 10) is (10 - k) / 10; with maxPatience 1 every non-improving evaluation is a plateau.
        Plateau p = Schedules.plateau(1, 0.1, Schedules.warmupLinear(1.0, 0, 10));
        assertThat(p.valueAt(0, new LastScore(0, 1.0))).isEqualTo(1.0);
        assertThat(p.valueAt(4, new LastScore(3, 0.5))).isCloseTo(0.1 * 0.6, within(1e-17));
        assertThat(p.valueAt(5, new LastScore(5, 0.4))).isCloseTo(0.01 * 0.5, within(1e-17));
        assertThat(p.valueAt(6, new LastScore(5, 0.4))).isCloseTo(0.01 * 0.4, within(1e-17));
        assertThat(p.plateaus()).isEqualTo(2);
    }

    @Test
    void aNonImprovingScoreFromAnEarlierStepIsAnErrorAndChangesNothing() {
        Plateau p = Schedules.plateau(3, 0.5, Schedules.constant(1.0));
        p.valueAt(0, new LastScore(4, 0.9));
        p.valueAt(1, new LastScore(5, 0.8));  // (0.9, 1, 0), last step 5
        assertThatThrownBy(() -> p.valueAt(2, new LastScore(3, 0.1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("plateau: expected a score with step >= 5, got step 3");
        assertThat(p.patience()).isEqualTo(1);
        // Thinc raises before recording the step, so step 5 is still the last one: a score at 5 counts nothing.
        p.valueAt(3, new LastScore(5, 0.1));
        assertThat(p.patience()).isEqualTo(1);
    }

    @Test
    void anImprovingScoreIsAcceptedFromAnEarlierStepAndMovesTheLastStepBack() {
        Plateau p = Schedules.plateau(3, 0.5, Schedules.constant(1.0));
        p.valueAt(0, new LastScore(5, 0.5));
        // Thinc checks for improvement before the step order: accepted, and the last step becomes 3.
        p.valueAt(1, new LastScore(3, 0.9));
        assertThat(p.bestScore()).hasValue(0.9);
        // Step 4 is after 3, so this is a new non-improving evaluation rather than an error.
        p.valueAt(2, new LastScore(4, 0.1));
        assertThat(p.patience()).isEqualTo(1);
    }

    @Test
    void aBetterScoreAtTheSameStepStillImproves() {
        Plateau p = Schedules.plateau(3, 0.5, Schedules.constant(1.0));
        p.valueAt(0, new LastScore(0, 0.5));
        p.valueAt(1, new LastScore(1, 0.4));  // (0.5, 1, 0)
        p.valueAt(2, new LastScore(1, 0.6));  // same step but better: (0.6, 0, 0)
        assertThat(p.bestScore()).hasValue(0.6);
        assertThat(p.patience()).isZero();
        p.valueAt(3, new LastScore(1, 0.3));  // same step, worse: ignored
        assertThat(p.patience()).isZero();
    }

    @Test
    void aFirstNanScoreBlocksEveryLaterImprovement() {
        Plateau p = Schedules.plateau(1, 0.5, Schedules.constant(1.0));
        p.valueAt(0, new LastScore(0, Double.NaN));  // best is NaN, and x > NaN is false for every x
        assertThat(p.valueAt(1, new LastScore(1, 0.9))).isEqualTo(0.5);
        assertThat(p.bestScore().getAsDouble()).isNaN();
    }

    @Test
    void theWrappedScheduleSeesTheSameScoreSoPlateausNest() {
        Plateau inner = Schedules.plateau(2, 0.1, Schedules.constant(1.0));
        Plateau outer = Schedules.plateau(1, 0.5, inner);
        assertThat(outer.valueAt(0, new LastScore(0, 1.0))).isEqualTo(1.0);
        // outer: patience 1 = max, plateau 1; inner: patience 1.
        assertThat(outer.valueAt(1, new LastScore(1, 0.5))).isEqualTo(0.5);
        // outer: plateau 2; inner: patience 2 = max, plateau 1.
        assertThat(outer.valueAt(2, new LastScore(2, 0.5))).isCloseTo(0.25 * 0.1, within(1e-17));
        assertThat(outer.plateaus()).isEqualTo(2);
        assertThat(inner.plateaus()).isEqualTo(1);
    }

    @Test
    void constantThenPassesScoresOnOnlyOnceItReachesThePlateau() {
        Plateau plateau = Schedules.plateau(1, 0.5, Schedules.constant(1.0));
        Schedule s = Schedules.constantThen(9.0, 3, plateau);
        // Thinc 9's constant_then calls the wrapped schedule, last_score and all, only after `steps`.
        assertThat(s.valueAt(0, new LastScore(0, 1.0))).isEqualTo(9.0);
        assertThat(s.valueAt(1, new LastScore(1, 0.5))).isEqualTo(9.0);
        assertThat(plateau.bestScore()).isEmpty();
        assertThat(s.valueAt(3, new LastScore(2, 0.5))).isEqualTo(1.0);  // the plateau's first score
        assertThat(s.valueAt(4, new LastScore(3, 0.4))).isEqualTo(0.5);
    }

    @Test
    void plainSchedulesIgnoreTheScore() {
        Schedule lambda = step -> 1.0 / (1 + step);
        assertThat(lambda.valueAt(3, new LastScore(2, 0.5))).isEqualTo(0.25);
        assertThat(Schedules.cyclicTriangular(0.1, 1.0, 2).valueAt(1, new LastScore(0, 0.5))).isEqualTo(1.0);
    }

    @Test
    void lastScoreRejectsANegativeStep() {
        assertThatThrownBy(() -> new LastScore(-1, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LastScore: step must be >= 0, got -1");
    }

    @Test
    void toStringShowsTheState() {
        Plateau p = Schedules.plateau(1, 0.5, Schedules.constant(1.0));
        p.valueAt(0, new LastScore(0, 1.0));
        p.valueAt(1, new LastScore(1, 0.0));
        assertThat(p.toString()).contains("maxPatience=1", "scale=0.5", "plateaus=1", "patience=0");
    }
}
