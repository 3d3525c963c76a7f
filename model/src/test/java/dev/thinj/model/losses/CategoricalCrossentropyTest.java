package dev.thinj.model.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API around Thinc's numbers (which {@link ThincLossFixturesTest} checks): forms, options, errors. */
class CategoricalCrossentropyTest {
    private static final Ops OPS = Ops.get("cpu");
    private static final float[][] GUESSES = {{0.2f, 0.5f, 0.3f}, {0.1f, 0.1f, 0.8f}};
    /** Thinc: CategoricalCrossentropy()(GUESSES, [0, 2]), worked by hand: (G - onehot) / 2. */
    private static final float[] GRAD = {-0.4f, 0.25f, 0.15f, 0.05f, 0.05f, -0.1f};
    private static final float LOSS = 0.26f;

    private ArrayScope scope;
    private FloatArray guesses;

    @BeforeEach
    void setUp() {
        scope = OPS.scope();
        guesses = OPS.asArray(GUESSES);
    }

    @AfterEach
    void tearDown() {
        scope.close();
    }

    @Test
    void defaultsAreThincs() {
        CategoricalCrossentropy loss = new CategoricalCrossentropy();
        assertThat(loss.normalize()).isTrue();
        assertThat(loss.names()).isEmpty();
        assertThat(loss.missingValue()).isNull();
        assertThat(loss.negPrefix()).isNull();
        assertThat(loss.labelSmoothing()).isZero();
        assertThat(loss).hasToString(CategoricalCrossentropy.builder().build().toString());
    }

    @Test
    void everyFormOfTruthsGivesTheSameGradientAndLoss() {
        CategoricalCrossentropy loss = CategoricalCrossentropy.builder().names(List.of("a", "b", "c")).build();
        FloatArray oneHot = OPS.asArray(new float[][] {{1, 0, 0}, {0, 0, 1}});
        List<LossResult<FloatArray>> results = List.of(
                loss.apply(guesses, new int[] {0, 2}),
                loss.apply(guesses, OPS.asInts(new int[] {0, 2})),
                loss.apply(guesses, oneHot),
                loss.apply(guesses, List.of("a", "c")),
                loss.apply(guesses, Truths.of(0, 2)));
        for (LossResult<FloatArray> r : results) {
            assertThat(r.grad().shape()).containsExactly(2, 3);
            assertThat(r.grad().toFloatArray()).containsExactly(GRAD, within(1e-7f));
            assertThat(r.loss()).isCloseTo(LOSS, within(1e-7f));
        }
    }

    @Test
    void lossIsTheSumOfSquaresOfTheGradientKeptOnTheBackend() {
        LossResult<FloatArray> r = new CategoricalCrossentropy().apply(guesses, new int[] {0, 2});
        assertThat(r.lossValue().ops()).isSameAs(OPS);
        assertThat(r.lossValue().size()).isEqualTo(1);
        double sum = 0;
        for (float g : r.grad().toFloatArray()) {
            sum += g * g;
        }
        assertThat((double) r.loss()).isCloseTo(sum, within(1e-7));
    }

    @Test
    void getGradAndGetLossAgreeWithApply() {
        CategoricalCrossentropy loss = CategoricalCrossentropy.builder().normalize(false).labelSmoothing(0.1).build();
        Truths truths = Truths.of(1, 0);
        LossResult<FloatArray> r = loss.apply(guesses, truths);
        assertThat(loss.getGrad(guesses, truths).toFloatArray()).containsExactly(r.grad().toFloatArray());
        assertThat(loss.getLoss(guesses, truths)).isEqualTo(r.loss());
    }

    @Test
    void normalizeDividesByTheNumberOfRows() {
        float[] summed = CategoricalCrossentropy.builder().normalize(false).build().getGrad(guesses, Truths.of(0, 2))
                .toFloatArray();
        float[] normalized = new CategoricalCrossentropy().getGrad(guesses, Truths.of(0, 2)).toFloatArray();
        for (int i = 0; i < summed.length; i++) {
            assertThat(normalized[i]).isCloseTo(summed[i] / 2, within(1e-7f));
        }
    }

    @Test
    void inputsAreNotModified() {
        FloatArray oneHot = OPS.asArray(new float[][] {{1, 0, 0}, {0, 0, 1}});
        int[] labels = {0, 2};
        CategoricalCrossentropy.builder().missingValue(0).build().apply(guesses, oneHot);
        CategoricalCrossentropy.builder().missingValue(0).build().apply(guesses, labels);
        assertThat(oneHot.toFloatArray()).containsExactly(1, 0, 0, 0, 0, 1);
        assertThat(guesses.toFloatArray()).containsExactly(0.2f, 0.5f, 0.3f, 0.1f, 0.1f, 0.8f);
        assertThat(labels).containsExactly(0, 2);
    }

    @Test
    void truthsCopyHostValues() {
        int[] labels = {0, 2};
        Truths truths = Truths.of(labels);
        labels[0] = 1;
        assertThat(new CategoricalCrossentropy().getGrad(guesses, truths).toFloatArray())
                .containsExactly(GRAD, within(1e-7f));
        assertThat(truths.size()).isEqualTo(2);
        assertThat(truths).hasToString("Truths(2 class indices)");
    }

    @Test
    void missingRowsHaveNoGradientWhicheverFormTheLabelsTake() {
        CategoricalCrossentropy loss = CategoricalCrossentropy.builder().missingValue(-1).build();
        float[] host = loss.getGrad(guesses, Truths.of(-1, 2)).toFloatArray();
        // Labels on the backend with an int missing value are read back to build the mask.
        float[] device = loss.getGrad(guesses, Truths.of(OPS.asInts(new int[] {-1, 2}))).toFloatArray();
        assertThat(device).containsExactly(host);
        assertThat(Arrays.copyOfRange(host, 0, 3)).containsExactly(new float[3], within(0f));  // -0 allowed
        assertThat(Arrays.copyOfRange(host, 3, 6)).containsExactly(Arrays.copyOfRange(GRAD, 3, 6), within(1e-7f));
    }

    @Test
    void aMissingNameIsMissingEvenWithTheNegativePrefix() {
        CategoricalCrossentropy loss = CategoricalCrossentropy.builder().names(List.of("a", "b", "c")).missingValue("!")
                .negPrefix("!").build();
        float[] grad = loss.getGrad(guesses, Truths.of(List.of("!", "c"))).toFloatArray();
        assertThat(Arrays.copyOfRange(grad, 0, 3)).containsExactly(new float[3], within(0f));
    }

    @Test
    void aNegatedNameTrainsOnlyThatClassTowardsZero() {
        CategoricalCrossentropy loss = CategoricalCrossentropy.builder().names(List.of("a", "b", "c")).negPrefix("not-")
                .build();
        float[] grad = loss.getGrad(guesses, Truths.of(List.of("not-b", "c"))).toFloatArray();
        assertThat(Arrays.copyOfRange(grad, 0, 3)).containsExactly(new float[] {0f, 0.25f, 0f}, within(1e-7f));
    }

    @Test
    void aRepeatedNameMeansItsLastClassAsInThincsDict() {
        CategoricalCrossentropy loss = CategoricalCrossentropy.builder().names(List.of("a", "b", "a")).build();
        assertThat(loss.getGrad(guesses, Truths.of(List.of("a", "a"))).toFloatArray())
                .containsExactly(loss.getGrad(guesses, Truths.of(2, 2)).toFloatArray());
    }

    @Test
    void nanGuessesAreRejectedWhereThincWouldReturnNan() {
        FloatArray nan = OPS.asArray(new float[][] {{Float.NaN, 0.5f, 0.5f}, {0.1f, 0.1f, 0.8f}});
        assertThatThrownBy(() -> new CategoricalCrossentropy().apply(nan, new int[] {0, 2}))
                .isInstanceOf(LossException.class)
                .hasMessageStartingWith("CategoricalCrossentropy: guesses outside the [0,1] interval (or NaN)");
        FloatArray nanTarget = OPS.asArray(new float[][] {{Float.NaN, 0, 0}, {0, 0, 1}});
        assertThatThrownBy(() -> new CategoricalCrossentropy().apply(guesses, nanTarget))
                .isInstanceOf(LossException.class)
                .hasMessageContaining("truth values outside the [0,1] interval (or NaN)");
    }

    @Test
    void guessesMustBe2d() {
        FloatArray flat = OPS.asArray(new float[] {0.5f, 0.5f});
        assertThatThrownBy(() -> new CategoricalCrossentropy().apply(flat, new int[] {0, 1}))
                .isInstanceOf(ShapeException.class)
                .hasMessage("CategoricalCrossentropy: guesses must be 2-d (batch, classes), got shape (2,)");
        FloatArray noClasses = OPS.alloc(2, 0);
        assertThatThrownBy(() -> new CategoricalCrossentropy().apply(noClasses, new int[] {0, 1}))
                .isInstanceOf(ShapeException.class)
                .hasMessageContaining("at least one class");
    }

    @Test
    void truthsCheckTheirRank() {
        assertThatThrownBy(() -> Truths.of(OPS.asInts(new int[][] {{0, 1}})))
                .isInstanceOf(ShapeException.class)
                .hasMessage("Truths.of: class indices must be 1-d, got shape (1, 2)");
        assertThatThrownBy(() -> Truths.of(OPS.asArray(new float[] {1, 0})))
                .isInstanceOf(ShapeException.class)
                .hasMessage("Truths.of: a target array must be 2-d (batch, classes), got shape (2,)");
    }

    @Test
    void theBuilderRejectsOptionsThatCanNeverWork() {
        assertThatThrownBy(() -> CategoricalCrossentropy.builder().names(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> CategoricalCrossentropy.builder().names(Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without nulls");
        assertThatThrownBy(() -> CategoricalCrossentropy.builder().labelSmoothing(-0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label smoothing must be >= 0");
        assertThatThrownBy(() -> CategoricalCrossentropy.builder().labelSmoothing(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void theBuilderCopiesTheNames() {
        List<String> names = new java.util.ArrayList<>(List.of("a", "b", "c"));
        CategoricalCrossentropy loss = CategoricalCrossentropy.builder().names(names).build();
        names.set(0, "z");
        assertThat(loss.names()).containsExactly("a", "b", "c");
    }
}
