package dev.thinj.model.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.schedules.Schedules;
import org.junit.jupiter.api.Test;

/** An optimizer hands its last score to score-aware schedules, as Thinc 9's optimizer does. */
class PlateauOptimizerTest {
    @Test
    void aPlateauLearningRateHalvesAfterScoresStopImproving() {
        Optimizer opt = Adam.builder().learnRate(Schedules.plateau(2, 0.5, Schedules.constant(0.01))).build();
        assertThat(opt.learnRate()).isEqualTo(0.01);
        opt.setLastScore(0, 0.70);
        opt.stepSchedules();
        assertThat(opt.learnRate()).as("first score is the best so far").isEqualTo(0.01);
        opt.setLastScore(1, 0.72);
        opt.stepSchedules();
        assertThat(opt.learnRate()).as("improved").isEqualTo(0.01);
        opt.setLastScore(2, 0.71);
        opt.stepSchedules();
        assertThat(opt.learnRate()).as("one evaluation without improvement").isEqualTo(0.01);
        opt.setLastScore(3, 0.72);
        opt.stepSchedules();
        assertThat(opt.learnRate()).as("a tie is no improvement: patience 2 reached").isEqualTo(0.005);
        opt.stepSchedules();
        assertThat(opt.learnRate()).as("the same score again counts nothing").isEqualTo(0.005);
    }
}
