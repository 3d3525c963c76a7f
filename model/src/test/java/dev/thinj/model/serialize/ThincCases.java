package dev.thinj.model.serialize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thinj.model.Model;
import dev.thinj.model.ThincJson;
import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.StreamSupport;

/**
 * The cases of {@code /fixtures/thinc-interop/cases.json} (written by
 * {@code make_thinc_interop_fixtures.py}, which documents the layout): one config per layer and
 * combinator, each with the model file Thinc 8.1.7 trained from it.
 */
final class ThincCases {
    static final String DIR = "/fixtures/thinc-interop/";
    static final JsonNode DOC = ThincJson.load(DIR + "cases.json");
    static final Ops OPS = Ops.get("cpu");

    private ThincCases() {
    }

    /** @return every case */
    static List<JsonNode> all() {
        return StreamSupport.stream(DOC.get("cases").spliterator(), false).toList();
    }

    /** @return the case of that name */
    static JsonNode named(String name) {
        return all().stream().filter(c -> c.get("name").asText().equals(name)).findFirst().orElseThrow();
    }

    /** @return a new, uninitialised thinj model built from the case's config text */
    @SuppressWarnings("unchecked")
    static Model<FloatArray, FloatArray> build(JsonNode c) {
        return build(c.get("config").asText(), c.get("name").asText());
    }

    /** @return a new, uninitialised thinj model built from config text */
    @SuppressWarnings("unchecked")
    static Model<FloatArray, FloatArray> build(String config, String name) {
        return Registry.global().resolve(Config.parse(config, name + ".cfg")).get("model", Model.class);
    }

    /** @return the bytes Thinc wrote for the case */
    static byte[] thincBytes(JsonNode c) {
        String resource = DIR + c.get("file").asText();
        try (InputStream in = ThincCases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path; regenerate it with /usr/bin/python3"
                        + " model/src/test/resources/fixtures/make_thinc_interop_fixtures.py");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the model read from the case's Thinc file */
    static Model<FloatArray, FloatArray> read(JsonNode c) {
        Model<FloatArray, FloatArray> model = build(c);
        ThincModelFile.fromBytes(model, thincBytes(c), c.get("file").asText());
        return model;
    }

    /** @return every node's dims, parameter shapes and values (as float bits) and attributes, one line each */
    static String state(Model<?, ?> model) {
        return state(model, true);
    }

    /**
     * @param dims whether to include the dims (a dim Thinc does not declare, such as a concatenation's
     *     nI over a layer without one, is not in its files)
     * @return every node's parameter shapes and values (as float bits) and attributes, one line each
     */
    static String state(Model<?, ?> model, boolean dims) {
        StringJoiner out = new StringJoiner("\n");
        for (Model<?, ?> node : model.walk()) {
            StringBuilder sb = new StringBuilder(node.name()).append(' ');
            for (String d : dims ? node.dimNames() : List.<String>of()) {
                sb.append(d).append('=').append(node.hasDim(d) ? node.getDim(d) : "unset").append(' ');
            }
            for (String p : node.paramNames()) {
                if (!node.hasParam(p)) {
                    sb.append(p).append("=unset ");
                    continue;
                }
                FloatArray a = node.getParam(p);
                List<Integer> bits = new ArrayList<>();
                for (float v : a.toFloatArray()) {
                    bits.add(Float.floatToRawIntBits(v));
                }
                sb.append(p).append(Arrays.toString(a.shape())).append(bits).append(' ');
            }
            for (String a : node.attrNames()) {
                if (!a.equals("seed") && !a.equals("dropout_draws")) {  // thinj's own, not in Thinc's files
                    sb.append(a).append('=').append(node.<Object>attr(a)).append(' ');
                }
            }
            out.add(sb.toString());
        }
        return out.toString();
    }
}
