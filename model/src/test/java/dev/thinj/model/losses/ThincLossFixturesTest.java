package dev.thinj.model.losses;

import static dev.thinj.model.losses.LossFixtures.assertClose;
import static dev.thinj.model.losses.LossFixtures.assertLoss;
import static dev.thinj.model.losses.LossFixtures.floatArray;
import static dev.thinj.model.losses.LossFixtures.floatArrays;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays {@code thinc_losses.json} on the CPU backend: every result Thinc returned must be matched
 * to float32 precision (by {@code apply}, {@code getGrad} and {@code getLoss} alike), every input
 * Thinc rejected must be rejected with a clear exception, and every recorded deviation must behave as
 * documented.
 */
class ThincLossFixturesTest {
    private static final Ops OPS = Ops.get("cpu");

    /** What we raise where Thinc raised: the exception type and fragments of its message. */
    private record Expected(Class<? extends RuntimeException> type, String... fragments) {
    }

    private static Expected shape(String... fragments) {
        return new Expected(ShapeException.class, fragments);
    }

    private static Expected loss(String... fragments) {
        return new Expected(LossException.class, fragments);
    }

    private static final String CCE = "CategoricalCrossentropy/";
    private static final String SEQ = "SequenceCategoricalCrossentropy/";

    /** One entry per error fixture (checked both ways by {@link #everyErrorFixtureHasAnExpectation}). */
    private static final Map<String, Expected> ERRORS = Map.ofEntries(
            Map.entry(CCE + "mismatched_shapes/one_hot", shape("mismatched shapes", "guesses (3, 4)", "truths (3, 5)")),
            Map.entry(CCE + "mismatched_shapes/one_hot_rows", shape("mismatched shapes", "truths (2, 4)")),
            Map.entry(CCE + "mismatched_shapes/int_array", shape("mismatched shapes", "4 labels for 3 rows")),
            Map.entry(CCE + "mismatched_shapes/int_list", shape("mismatched shapes", "2 labels for 3 rows")),
            Map.entry(CCE + "mismatched_shapes/names", shape("mismatched shapes", "2 labels for 3 rows")),
            Map.entry(CCE + "guesses_above_one", loss("guesses outside the [0,1] interval")),
            Map.entry(CCE + "guesses_below_zero", loss("guesses outside the [0,1] interval")),
            Map.entry(CCE + "truths_above_one", loss("truth values outside the [0,1] interval")),
            Map.entry(CCE + "truths_below_zero", loss("truth values outside the [0,1] interval")),
            Map.entry(CCE + "strings_without_names", loss("list of names without the class names", ".names(")),
            Map.entry(CCE + "unknown_name", loss("unknown label name 'yak' at row 1", "[cat, dog, eel, fox]")),
            Map.entry(CCE + "unknown_negated_name", loss("unknown label name 'yak' (negated as '!yak') at row 1")),
            Map.entry(CCE + "unknown_name_without_prefix", loss("unknown label name '!dog' at row 1")),
            Map.entry(CCE + "class_index_too_large/int_array", loss("class index is outside [0, 4)", "label 4 at row 1")),
            Map.entry(CCE + "class_index_too_large/int_list", loss("class index 7 at row 2 is outside [0, 4)")),
            Map.entry(CCE + "class_index_too_large/missing_set", loss("class index 4 at row 2 is outside [0, 4)")),
            Map.entry(CCE + "label_smoothing_with_one_hot", loss("label smoothing (0.1) is only applied when truths are "
                    + "class indices or names")),
            Map.entry(CCE + "label_smoothing_too_large", loss("for 4 classes label smoothing has to be less than 0.75, "
                    + "but found 0.75")),
            Map.entry(CCE + "label_smoothing_one_class", loss("label smoothing needs more than one class")),
            Map.entry(CCE + "neg_prefix_with_label_smoothing", loss("truth values outside the [0,1] interval",
                    "negated label at row 1 (class 'dog')")),
            Map.entry(CCE + "names_count_mismatch", shape("3 names for guesses of shape (3, 4)")),
            Map.entry(CCE + "names_count_mismatch/int_array", shape("5 names for guesses of shape (3, 4)")),
            Map.entry(SEQ + "length_mismatch", loss("must be the same length", "2 sequences of guesses and 1 of truths")),
            Map.entry(SEQ + "guesses_above_one_in_second", loss("sequence 1: CategoricalCrossentropy: guesses outside")),
            Map.entry(SEQ + "mismatched_shapes_in_second", shape("sequence 1: CategoricalCrossentropy: mismatched shapes",
                    "2 labels for 3 rows")),
            Map.entry("L2Distance/mismatched_shapes", shape("mismatched shapes: guesses (3, 4) vs truths (3, 5)")),
            Map.entry("L2Distance/mismatched_shapes/rank", shape("mismatched shapes: guesses (3, 4) vs truths (12,)")),
            Map.entry("CosineDistance/mismatched_shapes", shape("mismatched shapes: guesses (3, 4) vs truths (4, 4)")));

    /** Deviations where Thinc returns a result and we raise. */
    private static final Map<String, Expected> DEVIATIONS_RAISING = Map.of(
            CCE + "negative_class_index/int_list", loss("class index -1 at row 1 is outside [0, 4)", "missingValue(-1)"),
            CCE + "negative_class_index/int_array", loss("class index is outside [0, 4)", "label -4 at row 2"));

    @TestFactory
    Stream<DynamicTest> thincResults() {
        return LossFixtures.entries("cases").stream()
                .map(c -> DynamicTest.dynamicTest(c.path("name").asText(), () -> inScope(() -> replay(c))));
    }

    @TestFactory
    Stream<DynamicTest> thincErrors() {
        return LossFixtures.entries("errors").stream().map(e -> DynamicTest.dynamicTest(e.path("name").asText(),
                () -> inScope(() -> {
                    Expected expected = ERRORS.get(e.path("name").asText());
                    assertThat(expected).as("expectation for " + e.path("name").asText()).isNotNull();
                    assertRaises(e, expected);
                })));
    }

    @TestFactory
    Stream<DynamicTest> deviations() {
        return LossFixtures.entries("deviations").stream().map(d -> DynamicTest.dynamicTest(d.path("name").asText(),
                () -> inScope(() -> deviation(d))));
    }

    @Test
    void everyErrorFixtureHasAnExpectation() {
        Set<String> names = new HashSet<>();
        LossFixtures.entries("errors").forEach(e -> names.add(e.path("name").asText()));
        assertThat(ERRORS.keySet()).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void fixturesComeFromThinc817() {
        assertThat(LossFixtures.root().path("thinc_version").asText()).isEqualTo("8.1.7");
    }

    // ---- replay ----

    @SuppressWarnings("try")  // the scope is used only for closing
    private static void inScope(Runnable check) {
        // Frees every array the case creates, so the suite does not lean on the GC.
        try (ArrayScope scope = OPS.scope()) {
            check.run();
        }
    }

    private static void replay(JsonNode c) {
        String name = c.path("name").asText();
        JsonNode options = c.path("options");
        switch (c.path("loss").asText()) {
            case "CategoricalCrossentropy":
                replayCce(name, LossFixtures.cce(options), c, c.path("grad"), c.path("loss_value").asDouble());
                break;
            case "SequenceCategoricalCrossentropy":
                replaySequence(name, LossFixtures.sequenceCce(options), c);
                break;
            case "L2Distance":
                replayDistance(name, LossFixtures.l2(options), c, false);
                break;
            case "CosineDistance":
                replayDistance(name, LossFixtures.cosine(options), c, true);
                break;
            default:
                throw new IllegalStateException("unknown loss in " + name);
        }
    }

    private static void replayCce(String name, CategoricalCrossentropy loss, JsonNode c, JsonNode grad, double value) {
        FloatArray guesses = floatArray(OPS, c.path("guesses"));
        Truths truths = LossFixtures.truths(OPS, c.path("truths"));
        LossResult<FloatArray> r = loss.apply(guesses, truths);
        assertClose(name + " gradient", grad, r.grad());
        assertLoss(name + " loss", value, r.loss());
        assertClose(name + " getGrad", grad, loss.getGrad(guesses, truths));
        assertLoss(name + " getLoss", value, loss.getLoss(guesses, truths));
        assertClose(name + " guesses unchanged", c.path("guesses"), guesses, 0);
    }

    private static void replaySequence(String name, SequenceCategoricalCrossentropy loss, JsonNode c) {
        List<FloatArray> guesses = floatArrays(OPS, c.path("guesses"));
        List<Truths> truths = LossFixtures.truthsList(OPS, c.path("truths"));
        LossResult<List<FloatArray>> r = loss.apply(guesses, truths);
        List<FloatArray> viaGetGrad = loss.getGrad(guesses, truths);
        JsonNode grads = c.path("grad");
        assertThat(r.grad()).as(name + " gradients").hasSize(grads.size());
        assertThat(viaGetGrad).as(name + " getGrad").hasSize(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            assertClose(name + " gradient " + i, grads.get(i), r.grad().get(i));
            assertClose(name + " getGrad " + i, grads.get(i), viaGetGrad.get(i));
        }
        assertLoss(name + " loss", c.path("loss_value").asDouble(), r.loss());
        assertLoss(name + " getLoss", c.path("loss_value").asDouble(), loss.getLoss(guesses, truths));
    }

    private static void replayDistance(String name, Loss<FloatArray, FloatArray> loss, JsonNode c, boolean cosine) {
        FloatArray guesses = floatArray(OPS, c.path("guesses"));
        FloatArray truths = LossFixtures.target(OPS, c.path("truths"));
        JsonNode grad = c.path("grad");
        double floor = cosine ? cosineFloor(c, loss) : LossFixtures.defaultFloor(LossFixtures.floats(grad));
        double value = c.path("loss_value").asDouble();
        LossResult<FloatArray> r = loss.apply(guesses, truths);
        assertClose(name + " gradient", grad, r.grad(), floor);
        assertLoss(name + " loss", value, r.loss());
        assertClose(name + " getGrad", grad, loss.getGrad(guesses, truths), floor);
        assertLoss(name + " getLoss", value, loss.getLoss(guesses, truths));
    }

    /**
     * Each cosine gradient element is a difference of two terms of size up to
     * {@code scale / |guess row|} that cancel when guess and truth are parallel; Thinc's float32
     * leaves an ulp of those terms there, so the error is measured against the terms (as the ops
     * conformance suite does for the kernel).
     */
    private static double cosineFloor(JsonNode c, Loss<FloatArray, FloatArray> loss) {
        JsonNode g = c.path("guesses");
        int[] shape = LossFixtures.shape(g);
        float[] v = LossFixtures.floats(g);
        double scale = ((CosineDistance) loss).normalize() ? 1.0 / shape[0] : 1.0;
        double floor = 0;
        for (int row = 0; row < shape[0]; row++) {
            double norm = 0;
            for (int j = 0; j < shape[1]; j++) {
                norm += (double) v[row * shape[1] + j] * v[row * shape[1] + j];
            }
            floor = Math.max(floor, scale / Math.sqrt(norm));
        }
        return Math.min(1.0, floor);
    }

    // ---- errors and deviations ----

    /** Runs the entry's loss on its inputs (the result is dropped: callers expect a throw). */
    private static void run(JsonNode e) {
        JsonNode options = e.path("options");
        switch (e.path("loss").asText()) {
            case "CategoricalCrossentropy":
                LossFixtures.cce(options).apply(floatArray(OPS, e.path("guesses")), LossFixtures.truths(OPS, e.path("truths")));
                break;
            case "SequenceCategoricalCrossentropy":
                LossFixtures.sequenceCce(options).apply(floatArrays(OPS, e.path("guesses")),
                        LossFixtures.truthsList(OPS, e.path("truths")));
                break;
            case "L2Distance":
                LossFixtures.l2(options).apply(floatArray(OPS, e.path("guesses")), LossFixtures.target(OPS, e.path("truths")));
                break;
            case "CosineDistance":
                LossFixtures.cosine(options).apply(floatArray(OPS, e.path("guesses")),
                        LossFixtures.target(OPS, e.path("truths")));
                break;
            default:
                throw new IllegalStateException("unknown loss in " + e.path("name").asText());
        }
    }

    private static void assertRaises(JsonNode e, Expected expected) {
        String loss = e.path("loss").asText();
        assertThatThrownBy(() -> run(e))
                .as(e.path("name").asText() + " (Thinc: " + e.path("error").path("type").asText() + ": "
                        + e.path("error").path("message").asText() + ")")
                .isInstanceOf(expected.type())
                .hasMessageStartingWith(loss + ": ")
                .hasMessageContainingAll(expected.fragments());
    }

    private static void deviation(JsonNode d) {
        String name = d.path("name").asText();
        assertThat(d.path("why").asText()).as(name + " explains itself").isNotBlank();
        Expected raising = DEVIATIONS_RAISING.get(name);
        if (raising != null) {
            assertThat(d.path("thinc").has("grad")).as(name + ": Thinc returned a result").isTrue();
            assertRaises(d, raising);
            return;
        }
        // Thinc raised; we return what Thinc returns for an input it accepts and we treat alike.
        assertThat(d.path("thinc").has("error")).as(name + ": Thinc raised").isTrue();
        JsonNode eq = d.path("equivalent");
        assertThat(eq.isObject()).as(name + " has an equivalent Thinc result").isTrue();
        replayCce(name, LossFixtures.cce(d.path("options")), d, eq.path("grad"), eq.path("loss_value").asDouble());
    }
}
