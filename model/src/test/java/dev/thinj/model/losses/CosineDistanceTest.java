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

class CosineDistanceTest {
    private static final Ops OPS = Ops.get("cpu");

    private ArrayScope scope;

    @BeforeEach
    void setUp() {
        scope = OPS.scope();
    }

    @AfterEach
    void tearDown() {
        scope.close();
    }

    @Test
    void parallelRowsHaveNoLossAndOrthogonalRowsOne() {
        FloatArray guesses = OPS.asArray(new float[][] {{2, 0}, {1, 0}});
        FloatArray truths = OPS.asArray(new float[][] {{3, 0}, {0, 1}});
        LossResult<FloatArray> r = new CosineDistance(false, false).apply(guesses, truths);
        assertThat(r.loss()).isCloseTo(1f, within(1e-6f));
        // Row 1: -(t / (|g||t|) - cos g / |g|^2) with cos = 0 is -t.
        assertThat(r.grad().toFloatArray()).containsExactly(new float[] {0, 0, 0, -1}, within(1e-6f));
    }

    @Test
    void normalizeDividesGradientAndLossByTheBatch() {
        FloatArray guesses = OPS.asArray(new float[][] {{1, 0}, {1, 0}});
        FloatArray truths = OPS.asArray(new float[][] {{0, 1}, {0, 1}});
        LossResult<FloatArray> r = new CosineDistance().apply(guesses, truths);
        assertThat(r.loss()).isCloseTo(1f, within(1e-6f));
        assertThat(r.grad().toFloatArray()).containsExactly(new float[] {0, -0.5f, 0, -0.5f}, within(1e-6f));
    }

    @Test
    void ignoreZerosLeavesZeroTruthRowsOut() {
        FloatArray guesses = OPS.asArray(new float[][] {{1, 0}, {1, 0}});
        FloatArray truths = OPS.asArray(new float[][] {{0, 1}, {0, 0}});
        CosineDistance loss = new CosineDistance(true, true);
        LossResult<FloatArray> r = loss.apply(guesses, truths);
        assertThat(r.loss()).isCloseTo(0.5f, within(1e-6f));  // the ignored row still counts in the batch
        assertThat(r.grad().toFloatArray()).containsExactly(new float[] {0, -0.5f, 0, 0}, within(1e-6f));
        assertThat(loss.getGrad(guesses, truths).toFloatArray()).containsExactly(r.grad().toFloatArray());
        assertThat(loss.getLoss(guesses, truths)).isEqualTo(r.loss());
        assertThat(loss.ignoreZeros()).isTrue();
        assertThat(new CosineDistance().ignoreZeros()).isFalse();
    }

    @Test
    void guessesMustBe2dWithTheTruthsShape() {
        FloatArray flat = OPS.asArray(new float[] {1, 2});
        assertThatThrownBy(() -> new CosineDistance().apply(flat, OPS.asArray(new float[] {1, 2})))
                .isInstanceOf(ShapeException.class)
                .hasMessage("CosineDistance: guesses and truths must be 2-d (batch, n), got shape (2,)");
        assertThatThrownBy(() -> new CosineDistance().apply(OPS.alloc(2, 3), OPS.alloc(3, 2)))
                .isInstanceOf(ShapeException.class)
                .hasMessage("CosineDistance: mismatched shapes: guesses (2, 3) vs truths (3, 2)");
    }
}
