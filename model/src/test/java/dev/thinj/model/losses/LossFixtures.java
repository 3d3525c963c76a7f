package dev.thinj.model.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code /fixtures/thinc_losses.json} (see {@code make_loss_fixtures.py} beside it for the
 * layout and how to regenerate it) and turns its entries into thinj losses, arrays and truths, and
 * compares results with Thinc's to float32 precision.
 */
final class LossFixtures {
    static final String RESOURCE = "/fixtures/thinc_losses.json";

    /** Relative tolerance: a few float32 ulps of headroom for differently ordered sums. */
    static final double RELATIVE_TOLERANCE = 1e-5;

    private static JsonNode root;

    private LossFixtures() {
    }

    static synchronized JsonNode root() {
        if (root == null) {
            try (InputStream in = LossFixtures.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is not on the class path");
                }
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
        return root;
    }

    /** @return the entries of one group: "cases", "errors" or "deviations" */
    static List<JsonNode> entries(String group) {
        List<JsonNode> out = new ArrayList<>();
        root().path(group).forEach(out::add);
        if (out.isEmpty()) {
            throw new IllegalStateException(RESOURCE + ": no '" + group + "'");
        }
        return out;
    }

    // ---- losses from options ----

    static CategoricalCrossentropy cce(JsonNode options) {
        CategoricalCrossentropyBuilder b = CategoricalCrossentropy.builder()
                .normalize(options.path("normalize").asBoolean(true))
                .names(names(options.get("names")))
                .labelSmoothing(options.path("label_smoothing").asDouble(0));
        JsonNode missing = options.get("missing_value");
        if (missing != null && missing.isInt()) {
            b.missingValue(missing.intValue());
        } else if (missing != null && missing.isTextual()) {
            b.missingValue(missing.textValue());
        }
        JsonNode prefix = options.get("neg_prefix");
        if (prefix != null && prefix.isTextual()) {
            b.negPrefix(prefix.textValue());
        }
        return b.build();
    }

    static SequenceCategoricalCrossentropy sequenceCce(JsonNode options) {
        SequenceCategoricalCrossentropy.Builder b = SequenceCategoricalCrossentropy.builder()
                .normalize(options.path("normalize").asBoolean(true))
                .names(names(options.get("names")))
                .labelSmoothing(options.path("label_smoothing").asDouble(0));
        JsonNode missing = options.get("missing_value");
        if (missing != null && missing.isInt()) {
            b.missingValue(missing.intValue());
        } else if (missing != null && missing.isTextual()) {
            b.missingValue(missing.textValue());
        }
        JsonNode prefix = options.get("neg_prefix");
        if (prefix != null && prefix.isTextual()) {
            b.negPrefix(prefix.textValue());
        }
        return b.build();
    }

    static L2Distance l2(JsonNode options) {
        return new L2Distance(options.path("normalize").asBoolean(true));
    }

    static CosineDistance cosine(JsonNode options) {
        return new CosineDistance(options.path("normalize").asBoolean(true), options.path("ignore_zeros").asBoolean(false));
    }

    private static List<String> names(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.isNull() ? null : n.textValue()));
        return out;
    }

    // ---- arrays and truths ----

    static int[] shape(JsonNode array) {
        JsonNode s = array.path("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).intValue();
        }
        return shape;
    }

    static float[] floats(JsonNode array) {
        assertThat(array.path("dtype").asText()).as("dtype").isEqualTo("float32");
        JsonNode data = array.path("data");
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) {
            // The file holds shortest float32 decimals, so the double read rounds back exactly.
            out[i] = (float) data.get(i).doubleValue();
        }
        return out;
    }

    static int[] ints(JsonNode array) {
        assertThat(array.path("dtype").asText()).as("dtype").isEqualTo("int32");
        JsonNode data = array.path("data");
        int[] out = new int[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).intValue();
        }
        return out;
    }

    static FloatArray floatArray(Ops ops, JsonNode array) {
        return ops.asArray(floats(array), shape(array));
    }

    static List<FloatArray> floatArrays(Ops ops, JsonNode arrays) {
        List<FloatArray> out = new ArrayList<>();
        arrays.forEach(a -> out.add(floatArray(ops, a)));
        return out;
    }

    /** Thinc's truths as ours: an Ints1d as a backend IntArray, a list of ints as int[], and so on. */
    static Truths truths(Ops ops, JsonNode truths) {
        JsonNode data = truths.path("data");
        switch (truths.path("kind").asText()) {
            case "int_array":
                return Truths.of(ops.asInts(ints(data), shape(data)));
            case "int_list":
                return Truths.of(ints(data));
            case "one_hot":
                return Truths.of(floatArray(ops, data));
            case "names":
                return Truths.of(names(data));
            default:
                throw new IllegalStateException("unknown truths kind in " + truths);
        }
    }

    static List<Truths> truthsList(Ops ops, JsonNode truths) {
        List<Truths> out = new ArrayList<>();
        truths.forEach(t -> out.add(truths(ops, t)));
        return out;
    }

    /** The float target of a distance loss ("floats" truths). */
    static FloatArray target(Ops ops, JsonNode truths) {
        assertThat(truths.path("kind").asText()).isEqualTo("floats");
        return floatArray(ops, truths.path("data"));
    }

    // ---- comparison ----

    /** Compares with the array's own scale, capped at 1, as the error floor (see {@link #assertValues}). */
    static void assertClose(String what, JsonNode expected, FloatArray actual) {
        float[] e = floats(expected);
        assertClose(what, expected, actual, defaultFloor(e));
    }

    static void assertClose(String what, JsonNode expected, FloatArray actual, double floor) {
        assertThat(actual.shape()).as(what + ": shape").containsExactly(shape(expected));
        assertValues(what, floats(expected), actual.toFloatArray(), floor);
    }

    static void assertLoss(String what, double expected, float actual) {
        assertValues(what, new float[] {(float) expected}, new float[] {actual}, Math.min(1.0, Math.abs(expected)));
    }

    static double defaultFloor(float[] expected) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        return Math.min(1.0, scale);
    }

    /**
     * Each element must be within {@code 1e-5 * max(|expected|, floor)}. The floor keeps an element
     * near zero, in an array of larger numbers, from needing a tighter absolute match than its
     * neighbours; an all-zero expectation must be matched exactly.
     */
    static void assertValues(String what, float[] expected, float[] actual, double floor) {
        assertThat(actual).as(what + ": element count").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            double allowed = RELATIVE_TOLERANCE * Math.max(Math.abs(expected[i]), floor);
            // Written so that a NaN difference fails.
            if (!(diff <= allowed)) {
                fail(String.format("%s: flat index %d: Thinc %s, ours %s (allowed difference %.3g)", what, i,
                        Float.toString(expected[i]), Float.toString(actual[i]), allowed));
            }
        }
    }
}
