package dev.thinj.train.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RegressionReportTest {
    /**
     * By hand (sklearn's r2_score docstring example): errors 0.5, -0.5, 0, -1: MSE = 1.5/4, MAE = 2/4;
     * mean of truth 2.875, SS_tot = 29.1875, R² = 1 - 1.5/29.1875.
     */
    @Test
    void oneOutputByHand() {
        RegressionReport r = RegressionReport.of(new float[] {3, -0.5f, 2, 7}, new float[] {2.5f, 0, 2, 8}, 1);
        assertThat(r.count()).isEqualTo(4);
        assertThat(r.width()).isEqualTo(1);
        assertThat(r.mse()).isEqualTo(0.375);
        assertThat(r.mae()).isEqualTo(0.5);
        assertThat(r.r2()).isCloseTo(1 - 1.5 / 29.1875, within(1e-15));
        assertThat(r.scores()).containsExactly(entry("r2", r.r2()), entry("mse", 0.375), entry("mae", 0.5));
    }

    /**
     * Output 0: truth 1, 2, 3 (mean 2, SS_tot 2), predicted 1.5, 2, 2: SS_res = 0.25 + 0 + 1, R² = 1 - 1.25/2.
     * Output 1 is constant (5): predicted exactly it scores 1, else 0 (sklearn's force_finite).
     */
    @Test
    void aConstantOutputScoresOneIfExactElseZero() {
        float[] truth = {1, 5, 2, 5, 3, 5};
        RegressionReport exact = RegressionReport.of(truth, new float[] {1.5f, 5, 2, 5, 2, 5}, 2);
        assertThat(exact.r2()).isCloseTo((1 - 1.25 / 2 + 1) / 2, within(1e-15));
        RegressionReport off = RegressionReport.of(truth, new float[] {1.5f, 5, 2, 5.5f, 2, 5}, 2);
        assertThat(off.r2()).isCloseTo((1 - 1.25 / 2 + 0) / 2, within(1e-15));
        assertThat(off.mse()).isCloseTo((0.25 + 1 + 0.25) / 6, within(1e-15));
    }

    @Test
    void oneRowHasNoR2() {
        RegressionReport r = RegressionReport.of(new float[] {1, 2}, new float[] {1, 4}, 2);
        assertThat(r.r2()).isNaN();
        assertThat(r.mse()).isEqualTo(2.0);
        assertThat(r.format()).contains("R2   undefined (fewer than 2 rows)");
    }

    @Test
    void formatNamesEveryScore() {
        String text = RegressionReport.of(new float[] {3, -0.5f, 2, 7}, new float[] {2.5f, 0, 2, 8}, 1).format();
        assertThat(text.lines()).containsExactly("rows 4, outputs 1", "R2   0.948608", "MSE  0.375000", "MAE  0.500000");
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> RegressionReport.of(new float[] {1, 2}, new float[] {1}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truth has 2 values but predicted has 1");
        assertThatThrownBy(() -> RegressionReport.of(new float[] {1, 2, 3}, new float[] {1, 2, 3}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 values are not whole rows of width 2");
        assertThatThrownBy(() -> RegressionReport.of(new float[] {1}, new float[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
        assertThatThrownBy(() -> RegressionReport.of(new float[0], new float[0], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No samples");
        assertThatThrownBy(() -> RegressionReport.of(new float[] {1, 2, 3, 4}, new float[] {1, 2, Float.NaN, 4}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("predicted row 1, output 0 is NaN");
        assertThatThrownBy(() -> RegressionReport.of(new float[] {Float.POSITIVE_INFINITY}, new float[] {1}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truth row 0, output 0 is Infinity");
        assertThatThrownBy(() -> new RegressionReport(0, 1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identitiesHoldOnRandomInputs() {
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            int width = 1 + random.nextInt(6);
            int rows = 2 + random.nextInt(200);
            float[] truth = new float[rows * width];
            for (int i = 0; i < truth.length; i++) {
                truth[i] = random.nextInt(2001) - 1000;  // integers, so adding a small dyadic offset is exact
            }
            String at = "seed " + seed + ", " + rows + " rows of " + width;
            RegressionReport perfect = RegressionReport.of(truth, truth.clone(), width);
            assertThat(perfect.r2()).as(at).isEqualTo(1.0);
            assertThat(perfect.mse()).as(at).isZero();
            assertThat(perfect.mae()).as(at).isZero();
            float c = (random.nextInt(64) - 32) / 8f;
            float[] shifted = new float[truth.length];
            for (int i = 0; i < truth.length; i++) {
                shifted[i] = truth[i] + c;
            }
            RegressionReport offset = RegressionReport.of(truth, shifted, width);
            assertThat(offset.mse()).as(at + ", offset " + c).isCloseTo((double) c * c, within(1e-9));
            assertThat(offset.mae()).as(at + ", offset " + c).isCloseTo(Math.abs(c), within(1e-9));
            assertThat(offset.r2()).as(at + ", offset " + c).isLessThanOrEqualTo(1.0);
            // Predicting each output's mean scores 0 (or 1 for a constant output, predicted exactly).
            float[] mean = new float[truth.length];
            int constant = 0;
            for (int j = 0; j < width; j++) {
                double m = 0;
                boolean same = true;
                for (int r = 0; r < rows; r++) {
                    m += truth[r * width + j];
                    same &= truth[r * width + j] == truth[j];
                }
                m /= rows;
                constant += same ? 1 : 0;
                for (int r = 0; r < rows; r++) {
                    mean[r * width + j] = (float) m;
                }
            }
            // (up to the mean's rounding to float: SS_res = SS_tot + rows * rounding²)
            assertThat(RegressionReport.of(truth, mean, width).r2()).as(at).isCloseTo((double) constant / width, within(1e-9));
        }
    }
}
