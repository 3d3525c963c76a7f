package dev.thinj.ops.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code /fixtures/thinc_ops.json}, the reference numbers that Thinc's {@code NumpyOps}
 * computed (see {@code make_ops_fixtures.py} beside it for the layout and how to regenerate it).
 * The document is parsed once per class loader and shared by every suite that uses it.
 */
public final class ThincFixtures {
    /** The class-path location of the fixture file. */
    public static final String RESOURCE = "/fixtures/thinc_ops.json";

    private static volatile Document cached;

    private ThincFixtures() {
    }

    /**
     * @return the parsed fixture document
     * @throws IllegalStateException if the resource is missing or malformed
     */
    public static Document load() {
        Document doc = cached;
        if (doc == null) {
            synchronized (ThincFixtures.class) {
                doc = cached;
                if (doc == null) {
                    doc = parse();
                    cached = doc;
                }
            }
        }
        return doc;
    }

    private static Document parse() {
        try (InputStream in = ThincFixtures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.path("cases")) {
                cases.add(new Case(text(c, "kernel"), text(c, "name"), c.path("params"), arrays(c.path("inputs")),
                        arrays(c.path("outputs"))));
            }
            return new Document(text(root, "thinc_version"), text(root, "numpy_version"), Collections.unmodifiableList(cases));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalStateException(RESOURCE + ": missing text field '" + field + "' in " + node);
        }
        return v.asText();
    }

    private static Map<String, FixtureArray> arrays(JsonNode node) {
        Map<String, FixtureArray> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), array(e.getKey(), e.getValue())));
        return Collections.unmodifiableMap(out);
    }

    private static FixtureArray array(String name, JsonNode node) {
        JsonNode shapeNode = node.path("shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).intValue();
        }
        JsonNode data = node.path("data");
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (data.size() != size) {
            throw new IllegalStateException(RESOURCE + ": array '" + name + "' has shape " + Arrays.toString(shape)
                    + " but " + data.size() + " values");
        }
        String dtype = node.path("dtype").asText();
        switch (dtype) {
            case "float32": {
                float[] values = new float[size];
                for (int i = 0; i < size; i++) {
                    // The file holds shortest float32 decimals, so the double read rounds back exactly.
                    values[i] = (float) data.get(i).doubleValue();
                }
                return new FixtureArray(shape, values, null);
            }
            case "int32": {
                int[] values = new int[size];
                for (int i = 0; i < size; i++) {
                    values[i] = data.get(i).intValue();
                }
                return new FixtureArray(shape, null, values);
            }
            default:
                throw new IllegalStateException(RESOURCE + ": array '" + name + "' has unknown dtype '" + dtype + "'");
        }
    }

    /**
     * The whole fixture file.
     *
     * @param thincVersion the Thinc version that produced the numbers
     * @param numpyVersion the NumPy version Thinc ran on
     * @param cases every case, in file order
     */
    public record Document(String thincVersion, String numpyVersion, List<Case> cases) {
    }

    /**
     * One kernel call recorded from Thinc.
     *
     * @param kernel the Thinc kernel or loss, e.g. {@code "softmax"}
     * @param name a unique, readable name, e.g. {@code "softmax/7x13/T=0.5"}
     * @param params scalar arguments (temperature, flags, rates)
     * @param inputs the arrays passed in, by name
     * @param outputs the arrays Thinc returned or updated, by name
     */
    public record Case(String kernel, String name, JsonNode params, Map<String, FixtureArray> inputs,
            Map<String, FixtureArray> outputs) {
        /**
         * @param key an input name
         * @return that input
         * @throws IllegalStateException if the case has no such input
         */
        public FixtureArray input(String key) {
            return required(inputs, key, "input");
        }

        /**
         * @param key an output name
         * @return that output
         * @throws IllegalStateException if the case has no such output
         */
        public FixtureArray output(String key) {
            return required(outputs, key, "output");
        }

        /**
         * @param key a parameter name
         * @return its numeric value
         */
        public double number(String key) {
            return param(key).doubleValue();
        }

        /**
         * @param key a parameter name
         * @return its boolean value
         */
        public boolean flag(String key) {
            return param(key).booleanValue();
        }

        private JsonNode param(String key) {
            JsonNode v = params.get(key);
            if (v == null) {
                throw new IllegalStateException(name + ": no parameter '" + key + "'");
            }
            return v;
        }

        private FixtureArray required(Map<String, FixtureArray> map, String key, String what) {
            FixtureArray a = map.get(key);
            if (a == null) {
                throw new IllegalStateException(name + ": no " + what + " '" + key + "'");
            }
            return a;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A host copy of one fixture array: float32 or int32, row-major.
     *
     * @param shape the NumPy shape
     * @param floats the values of a float32 array, else {@code null}
     * @param ints the values of an int32 array, else {@code null}
     */
    public record FixtureArray(int[] shape, float[] floats, int[] ints) {
        /** @return the float values; fails for an int array */
        public float[] floats() {
            if (floats == null) {
                throw new IllegalStateException("int32 array used as float32");
            }
            return floats.clone();
        }

        /** @return the int values; fails for a float array */
        public int[] ints() {
            if (ints == null) {
                throw new IllegalStateException("float32 array used as int32");
            }
            return ints.clone();
        }

        /** @return the number of elements */
        public int size() {
            return floats != null ? floats.length : ints.length;
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }
}
