package dev.thinj.model.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.ParamKey;
import dev.thinj.model.schedules.Schedule;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.NumericException;
import dev.thinj.ops.Ops;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviours of Thinc's {@code Optimizer.__call__} and {@code step_schedules} that the numeric
 * fixtures ({@link ThincOptimizerFixtureTest}) do not isolate. Each expectation was checked against
 * Thinc 8.1.7 itself; where thinj deliberately differs (a NaN gradient raises) the test says so.
 */
class ThincOptimizerTest {
    private static final ParamKey KEY = new ParamKey(7, "W");

    private final Ops ops = Ops.get("cpu");

    private FloatArray array(float... values) {
        return ops.asArray(values, values.length);
    }

    /** The hyperparameter values seen at steps 0..n-1, stepping the schedules between reads. */
    private static List<Double> hyperOverSteps(ThincOptimizer opt, String name, int n) {
        List<Double> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seen.add(opt.hyper(name));
            opt.stepSchedules();
        }
        return seen;
    }

    @Test
    void aZeroSizeGradientIsSkippedWithoutCountingAnUpdate() {
        // Thinc: `if len(gradient) < 1: return weights, gradient`, before nr_update is incremented.
        Optimizer opt = Adam.of(0.1);
        opt.update(KEY, ops.alloc(0), ops.alloc(0));
        assertThat(opt.averages()).isEmpty();

        // Had the empty call counted, this would be update 2 and take a differently bias-corrected step.
        FloatArray w = array(1f, -2f, 0.5f);
        opt.update(KEY, w, array(0.3f, -0.1f, 0.2f));
        FloatArray fresh = array(1f, -2f, 0.5f);
        Adam.of(0.1).update(KEY, fresh, array(0.3f, -0.1f, 0.2f));
        assertThat(w.toFloatArray()).containsExactly(fresh.toFloatArray());
    }

    @Test
    void everyOptimizerZeroesTheGradientInPlace() {
        for (Optimizer opt : List.of(SGD.of(0.1), Adam.of(0.1), RAdam.of(0.1))) {
            FloatArray w = array(1f, -2f, 0.5f);
            FloatArray g = array(0.3f, -0.1f, 0.2f);
            opt.update(KEY, w, g);
            // The same array, zeroed: the model keeps it and the next backprop adds into it.
            assertThat(g.toFloatArray()).as("%s", opt).containsExactly(0f, 0f, 0f);
            assertThat(w.toFloatArray()).as("%s moved the weights", opt).doesNotContain(1f, -2f, 0.5f);
        }
    }

    @Test
    void aNumberIsConstant() {
        ThincOptimizer opt = (ThincOptimizer) Adam.builder().hyper("learn_rate", 0.02).build();
        assertThat(hyperOverSteps(opt, "learn_rate", 3)).containsExactly(0.02, 0.02, 0.02);
    }

    @Test
    void theBuilderSetsEachHyperparameter() {
        ThincOptimizer opt = (ThincOptimizer) Adam.builder().beta1(0.8).beta2(0.95).eps(1e-4).build();
        assertThat(opt.hyper("beta1")).isEqualTo(0.8);
        assertThat(opt.hyper("beta2")).isEqualTo(0.95);
        assertThat(opt.hyper("eps")).isEqualTo(1e-4);
        assertThat(opt.toString()).isEqualTo("ADAM(step 0, learn_rate 0.001)");
        assertThatThrownBy(() -> Adam.builder().hyper("learn_rate", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'learn_rate' must be a number, list, iterator or schedule, got null");
        assertThatThrownBy(() -> Adam.builder().hyper("learn_rate", "fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got java.lang.String");
    }

    @Test
    void adamWithBeta1ZeroButBeta2AboveZeroIsRefusedAsInThinc() {
        Optimizer opt = Adam.builder().beta1(0.0).build();
        assertThatThrownBy(() -> opt.update(KEY, array(1f, 2f, 3f), array(0.1f, 0.1f, 0.1f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta1 <= 0 and beta2 > 0");
    }

    @Test
    void aListGivesOneValuePerStepThenKeepsItsLast() {
        // Thinc wraps a list in iter(); step_schedules keeps the last value on StopIteration.
        ThincOptimizer opt = (ThincOptimizer) SGD.builder(0).learnRate(List.of(0.3, 0.2, 0.1)).build();
        assertThat(hyperOverSteps(opt, "learn_rate", 5)).containsExactly(0.3, 0.2, 0.1, 0.1, 0.1);
    }

    @Test
    void anIteratorIsDrawnOncePerStepLikeThincsGenerators() {
        // Thinc calls next() once in the constructor and once per step_schedules, whether or not the
        // value is read in between; a generator with side effects sees exactly that many calls.
        List<Double> source = List.of(0.1, 0.2, 0.3);
        int[] drawn = {0};
        Iterator<Double> counting = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return drawn[0] < source.size();
            }

            @Override
            public Double next() {
                return source.get(drawn[0]++);
            }
        };
        Optimizer opt = SGD.builder(0).learnRate(counting).build();
        assertThat(drawn[0]).as("drawn by the constructor").isEqualTo(1);
        assertThat(opt.learnRate()).isEqualTo(0.1);
        opt.stepSchedules();
        opt.stepSchedules();
        assertThat(drawn[0]).as("drawn after two steps, nothing read in between").isEqualTo(3);
        opt.stepSchedules();
        assertThat(opt.learnRate()).as("exhausted: the last value stays").isEqualTo(0.3);
    }

    @Test
    void aScheduleIsReadAtTheStepCount() {
        ThincOptimizer opt = (ThincOptimizer) Adam.builder().learnRate(step -> 1.0 / (1 + step)).build();
        assertThat(hyperOverSteps(opt, "learn_rate", 4)).containsExactly(1.0, 0.5, 1.0 / 3, 0.25);
    }

    @Test
    void everyHyperparameterStepsTogetherAndOnlyOnStepSchedules() {
        ThincOptimizer opt = (ThincOptimizer) Adam.builder()
                .learnRate(List.of(0.1, 0.05))
                .hyper("beta1", List.of(0.5, 0.6, 0.7))
                .hyper("grad_clip", (Schedule) step -> 2.0 + step)
                .build();
        // Updates do not advance schedules: Thinc steps them only in step_schedules.
        for (int i = 0; i < 3; i++) {
            opt.update(KEY, array(1f, 2f), array(0.1f, 0.1f));
        }
        assertThat(opt.learnRate()).isEqualTo(0.1);
        assertThat(opt.hyper("beta1")).isEqualTo(0.5);
        assertThat(opt.hyper("grad_clip")).isEqualTo(2.0);
        opt.stepSchedules();
        opt.stepSchedules();
        assertThat(opt.learnRate()).isEqualTo(0.05);
        assertThat(opt.hyper("beta1")).isEqualTo(0.7);
        assertThat(opt.hyper("grad_clip")).isEqualTo(4.0);
        assertThat(opt.hyper("eps")).as("an unscheduled value is untouched").isEqualTo(1e-8);
    }

    @Test
    void anEmptyScheduleIsRejectedWhenBuilt() {
        // Thinc raises "Invalid schedule for 'learn_rate'" from the constructor.
        assertThatThrownBy(() -> Adam.builder().learnRate(List.<Double>of()).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Adam.builder().learnRate(List.<Double>of().iterator()).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void averagesStartAtZeroAndTakeThincsFirstDecay() {
        // Thinc allocates the average as zeros, then update_averages(avg, w, t=1): decay = 2/11, so
        // the first average is 9/11 of the weights, not the weights. At t=2 decay is 3/12.
        Optimizer opt = SGD.of(0.5);
        FloatArray w = array(1f, -2f, 4f);
        opt.update(KEY, w, array(0.1f, 0.2f, 0.3f));
        float[] w1 = w.toFloatArray();
        float k1 = (float) (9.0 / 11.0);
        assertThat(opt.averages().get(KEY).toFloatArray())
                .containsExactly(k1 * w1[0], k1 * w1[1], k1 * w1[2]);

        float[] avg1 = opt.averages().get(KEY).toFloatArray();
        opt.update(KEY, w, array(-0.2f, 0.1f, 0.0f));
        float[] w2 = w.toFloatArray();
        float k2 = 0.75f;
        float[] expected = new float[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = avg1[i] - k2 * (avg1[i] - w2[i]);
        }
        assertThat(opt.averages().get(KEY).toFloatArray()).containsExactly(expected);
        assertThat(opt.averages().get(KEY)).as("a copy, not the weights").isNotSameAs(w);
    }

    @Test
    void averagesAreOffWhenAsked() {
        Optimizer opt = Adam.builder().useAverages(false).build();
        opt.update(KEY, array(1f, 2f), array(0.1f, 0.1f));
        assertThat(opt.averages()).isEmpty();
    }

    @Test
    void aNanGradientUnderClippingRaisesNamingTheParameter() {
        // Thinc would not notice: its norm is NaN, `NaN >= grad_clip` is false, and the NaN lands in
        // the weights. thinj stops at the clipping kernel and says which parameter it was.
        Optimizer opt = Adam.of(0.001);
        FloatArray w = array(1f, 2f, 3f);
        assertThatThrownBy(() -> opt.update(KEY, w, array(Float.NaN, 1f, 1f)))
                .isInstanceOf(NumericException.class)
                .hasMessageContaining("NaN")
                .hasMessageContaining(KEY.toString());
        assertThat(w.toFloatArray()).as("the weights are untouched").containsExactly(1f, 2f, 3f);
        assertThat(opt.averages()).isEmpty();

        // The refused update did not count: the next one is a first step, as on a fresh optimizer.
        opt.update(KEY, w, array(0.5f, -0.5f, 0.1f));
        FloatArray fresh = array(1f, 2f, 3f);
        Adam.of(0.001).update(KEY, fresh, array(0.5f, -0.5f, 0.1f));
        assertThat(w.toFloatArray()).containsExactly(fresh.toFloatArray());
    }

    @Test
    void withoutClippingANanGradientReachesTheWeightsAsInThinc() {
        Optimizer opt = SGD.builder(1.0).gradClip(0).build();
        FloatArray w = array(1f, 1f);
        opt.update(KEY, w, array(Float.NaN, 1f));
        assertThat(w.toFloatArray()).containsExactly(Float.NaN, 0f);
    }
}
