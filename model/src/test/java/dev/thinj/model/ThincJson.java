package dev.thinj.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads the Thinc-generated fixtures under {@code /fixtures} (written by
 * {@code make_model_fixtures.py}, which documents their layout) and compares thinj's arrays with
 * them. An array in the JSON is {@code {"dtype", "shape", "data"}} with the data flat and row-major.
 */
public final class ThincJson {
    private ThincJson() {
    }

    /**
     * @param resource a class-path resource, such as {@code /fixtures/thinc_model.json}
     * @return the parsed document
     */
    public static JsonNode load(String resource) {
        try (InputStream in = ThincJson.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path; regenerate it with "
                        + "/usr/bin/python3 model/src/test/resources/fixtures/make_model_fixtures.py");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** @return the array's shape */
    public static int[] shape(JsonNode array) {
        JsonNode s = required(array, "shape");
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asInt();
        }
        return out;
    }

    /** @return the array's values, flat */
    public static float[] floats(JsonNode array) {
        JsonNode d = required(array, "data");
        float[] out = new float[d.size()];
        for (int i = 0; i < out.length; i++) {
            // The generator writes the shortest decimal of each float32, so this read is exact.
            out[i] = (float) d.get(i).asDouble();
        }
        return out;
    }

    /** @return the int array's values, flat */
    public static int[] ints(JsonNode array) {
        JsonNode d = required(array, "data");
        int[] out = new int[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.get(i).asInt();
        }
        return out;
    }

    /** @return a new float array on {@code ops} holding the JSON array */
    public static FloatArray toArray(Ops ops, JsonNode array) {
        return ops.asArray(floats(array), shape(array));
    }

    /** @return a new int array on {@code ops} holding the JSON array */
    public static IntArray toInts(Ops ops, JsonNode array) {
        return ops.asInts(ints(array), shape(array));
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new IllegalStateException("fixture array lacks '" + field + "': " + node);
        }
        return v;
    }

    /**
     * Asserts {@code actual} has the expected shape and every element satisfies
     * {@code |actual - expected| <= rtol * max(floor, |expected|)}: relative where the values are
     * large, and absolute ({@code rtol * floor}) near zero, where float32 rounding of the terms that
     * cancelled, not of the small result, sets the error.
     *
     * @param what names the quantity in the failure message
     * @param actual thinj's result (not modified)
     * @param expected the fixture array
     * @param rtol the relative tolerance
     * @param floor the magnitude below which the tolerance stops shrinking
     */
    public static void assertClose(String what, FloatArray actual, JsonNode expected, double rtol, double floor) {
        assertThat(actual.shape()).as("%s: shape", what).containsExactly(shape(expected));
        float[] a = actual.toFloatArray();
        float[] e = floats(expected);
        for (int i = 0; i < e.length; i++) {
            double scale = Math.max(floor, Math.abs(e[i]));
            double err = Math.abs((double) a[i] - e[i]) / scale;
            if (!(err <= rtol)) {  // also catches NaN
                fail("%s: element %d of shape %s is %s, Thinc has %s (|diff| %.3g > %.1g * %.3g)%nthinj: %s%nThinc: %s",
                        what, i, Arrays.toString(shape(expected)), a[i], e[i], Math.abs((double) a[i] - e[i]), rtol,
                        scale, Arrays.toString(a), Arrays.toString(e));
            }
        }
    }
}
