package dev.thinj.model.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class L2DistanceTest {
    private static final Ops OPS = Ops.get("cpu");

    private ArrayScope scope;
    private FloatArray guesses;
    private FloatArray truths;

    @BeforeEach
    void setUp() {
        scope = OPS.scope();
        guesses = OPS.asArray(new float[][] {{1, 2}, {3, 4}});
        truths = OPS.asArray(new float[][] {{0, 0}, {1, 1}});
    }

    @AfterEach
    void tearDown() {
        scope.close();
    }

    @Test
    void lossIsTheSumOfSquaresOfTheNormalizedGradient() {
        LossResult<FloatArray> r = new L2Distance().apply(guesses, truths);
        assertThat(r.grad().toFloatArray()).containsExactly(0.5f, 1f, 1f, 1.5f);
        // Thinc's quirk: sum(((G - T) / 2) ** 2) = 18 / 4, not a mean squared error.
        assertThat(r.loss()).isCloseTo(4.5f, within(1e-6f));
    }

    @Test
    void withoutNormalizeTheGradientIsTheDifference() {
        L2Distance loss = new L2Distance(false);
        LossResult<FloatArray> r = loss.apply(guesses, truths);
        assertThat(r.grad().toFloatArray()).containsExactly(1f, 2f, 2f, 3f);
        assertThat(r.loss()).isCloseTo(18f, within(1e-5f));
        assertThat(loss.getGrad(guesses, truths).toFloatArray()).containsExactly(r.grad().toFloatArray());
        assertThat(loss.getLoss(guesses, truths)).isEqualTo(r.loss());
        assertThat(loss.normalize()).isFalse();
        assertThat(new L2Distance().normalize()).isTrue();
    }

    @Test
    void anyRankIsNormalizedByTheFirstDimension() {
        FloatArray g = OPS.asArray(new float[] {2, 4, 6, 8}, 2, 1, 2);
        LossResult<FloatArray> r = new L2Distance().apply(g, OPS.alloc(2, 1, 2));
        assertThat(r.grad().shape()).containsExactly(2, 1, 2);
        assertThat(r.grad().toFloatArray()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void mismatchedShapesAreRejected() {
        assertThatThrownBy(() -> new L2Distance().apply(guesses, truths.reshape(4)))
                .isInstanceOf(ShapeException.class)
                .hasMessage("L2Distance: mismatched shapes: guesses (2, 2) vs truths (4,)");
    }
}
