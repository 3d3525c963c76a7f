package dev.thinj.model.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SequenceCategoricalCrossentropyTest {
    private static final Ops OPS = Ops.get("cpu");

    private ArrayScope scope;
    private FloatArray first;
    private FloatArray second;

    @BeforeEach
    void setUp() {
        scope = OPS.scope();
        first = OPS.asArray(new float[][] {{0.2f, 0.5f, 0.3f}, {0.1f, 0.1f, 0.8f}, {0.6f, 0.3f, 0.1f}});
        second = OPS.asArray(new float[][] {{0.3f, 0.3f, 0.4f}});
    }

    @AfterEach
    void tearDown() {
        scope.close();
    }

    @Test
    void normalizeDividesByTheNumberOfSequencesNotRows() {
        CategoricalCrossentropy summed = CategoricalCrossentropy.builder().normalize(false).build();
        LossResult<List<FloatArray>> r = new SequenceCategoricalCrossentropy()
                .apply(List.of(first, second), List.of(Truths.of(0, 2, 1), Truths.of(2)));
        float[] a = summed.getGrad(first, Truths.of(0, 2, 1)).toFloatArray();
        float[] b = summed.getGrad(second, Truths.of(2)).toFloatArray();
        float[] ga = r.grad().get(0).toFloatArray();
        float[] gb = r.grad().get(1).toFloatArray();
        double loss = 0;
        for (int i = 0; i < a.length; i++) {
            assertThat(ga[i]).isCloseTo(a[i] / 2, within(1e-7f));  // two sequences, four rows
            loss += ga[i] * ga[i];
        }
        for (int i = 0; i < b.length; i++) {
            assertThat(gb[i]).isCloseTo(b[i] / 2, within(1e-7f));
            loss += gb[i] * gb[i];
        }
        assertThat((double) r.loss()).isCloseTo(loss, within(1e-7));
    }

    @Test
    void withoutNormalizeEachSequenceIsPlainCategoricalCrossentropy() {
        SequenceCategoricalCrossentropy loss = SequenceCategoricalCrossentropy.builder().normalize(false)
                .names(List.of("a", "b", "c")).missingValue("?").negPrefix("!").labelSmoothing(0.1).build();
        CategoricalCrossentropy single = CategoricalCrossentropy.builder().normalize(false)
                .names(List.of("a", "b", "c")).missingValue("?").negPrefix("!").labelSmoothing(0.1).build();
        List<String> labels = List.of("a", "?", "c");
        LossResult<List<FloatArray>> r = loss.apply(List.of(first), List.of(Truths.of(labels)));
        assertThat(r.grad().get(0).toFloatArray()).containsExactly(single.getGrad(first, Truths.of(labels)).toFloatArray());
        assertThat(r.loss()).isEqualTo(single.getLoss(first, Truths.of(labels)));
        assertThat(loss.normalize()).isFalse();
    }

    @Test
    void getGradAndGetLossAgreeWithApply() {
        SequenceCategoricalCrossentropy loss = new SequenceCategoricalCrossentropy();
        List<FloatArray> guesses = List.of(first, second);
        List<Truths> truths = List.of(Truths.of(0, 2, 1), Truths.of(OPS.asInts(new int[] {2})));
        LossResult<List<FloatArray>> r = loss.apply(guesses, truths);
        List<FloatArray> grads = loss.getGrad(guesses, truths);
        for (int i = 0; i < 2; i++) {
            assertThat(grads.get(i).toFloatArray()).containsExactly(r.grad().get(i).toFloatArray());
        }
        assertThat(loss.getLoss(guesses, truths)).isEqualTo(r.loss());
    }

    @Test
    void noSequencesGiveNoGradientsAndAZeroLoss() {
        LossResult<List<FloatArray>> r = new SequenceCategoricalCrossentropy().apply(List.of(), List.of());
        assertThat(r.grad()).isEmpty();
        assertThat(r.loss()).isZero();
    }

    @Test
    void errorsNameTheSequence() {
        SequenceCategoricalCrossentropy loss = new SequenceCategoricalCrossentropy();
        assertThatThrownBy(() -> loss.apply(List.of(first, second), List.of(Truths.of(0, 1, 2), Truths.of(5))))
                .isInstanceOf(LossException.class)
                .hasMessageStartingWith("SequenceCategoricalCrossentropy: sequence 1: CategoricalCrossentropy: class index 5");
        assertThatThrownBy(() -> loss.apply(List.of(OPS.asArray(new float[] {0.5f})), List.of(Truths.of(0))))
                .isInstanceOf(ShapeException.class)
                .hasMessageStartingWith("SequenceCategoricalCrossentropy: sequence 0: CategoricalCrossentropy: guesses must be 2-d");
    }
}
