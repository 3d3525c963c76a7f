package dev.thinj.model.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thinj.model.Model;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Linear;
import dev.thinj.model.layers.Relu;
import dev.thinj.ops.FloatArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ThincModelFile} on files that do not fit: another architecture names the first node, dim or
 * parameter that differs with the expected and the found value; a layer thinj does not have is named
 * with the list of those it has; anything else wrong is a {@link ModelFileException} naming the file.
 * A failed read leaves the model as it was.
 */
class ThincModelFileTest {
    private static final String SOURCE = "some/model.thinc";

    @TempDir
    Path dir;

    private static JsonNode mlp() {
        return ThincCases.named("chain_mlp");
    }

    /** Reads into the model and expects the error; the model must be unchanged afterwards. */
    private static void assertRefused(Model<?, ?> model, byte[] bytes, Class<? extends ModelFileException> type,
            String... messages) {
        String before = ThincCases.state(model);
        assertThatThrownBy(() -> ThincModelFile.fromBytes(model, bytes, SOURCE)).isInstanceOf(type)
                .hasMessageContaining(SOURCE).satisfies(e -> {
                    for (String m : messages) {
                        assertThat(e.getMessage()).contains(m);
                    }
                });
        assertThat(ThincCases.state(model)).as("a failed read leaves the model as it was").isEqualTo(before);
    }

    @Test
    void theTreeEditorWritesEveryFixtureBackUnchanged() {
        for (JsonNode c : ThincCases.all()) {
            byte[] bytes = ThincCases.thincBytes(c);
            assertThat(ThincTrees.encode(ThincTrees.parse(bytes))).as(c.get("name").asText()).isEqualTo(bytes);
        }
    }

    @Test
    void aModelOfAnotherWidthNamesTheNodeAndTheDim() {
        // The config's first hidden layer is 8 wide; Thinc trained it 6 wide.
        String config = mlp().get("config").asText().replaceFirst("nO = 6", "nO = 8");
        assertRefused(ThincCases.build(config, "wider"), ThincCases.thincBytes(mlp()), ModelMismatchException.class,
                "node 4 ('relu'), dim 'nO': expected 8 (the model's), found 6 in the file");
    }

    @Test
    void anotherArchitectureNamesTheFirstNodeThatDiffers() {
        Model<FloatArray, FloatArray> model = ThincCases.build(ThincCases.named("relu_dropout_normalize"));
        assertRefused(model, ThincCases.thincBytes(mlp()), ModelMismatchException.class,
                "node 0: the model has 'relu>>layernorm>>dropout' here, the file 'relu>>dropout>>relu>>softmax'");
    }

    @Test
    void fewerNodesThanTheModelIsAMismatch() {
        Map<String, Object> tree = ThincTrees.parse(ThincCases.thincBytes(mlp()));
        for (String list : List.of("nodes", "attrs", "params", "shims")) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) tree.get(list);
            l.remove(l.size() - 1);
        }
        assertRefused(ThincCases.build(mlp()), ThincTrees.encode(tree), ModelMismatchException.class,
                "holds 5 nodes, the model has 6");
    }

    @Test
    void aParameterOfAnotherShapeNamesExpectedAndFound() {
        JsonNode linear = ThincCases.named("linear");
        Map<String, Object> tree = ThincTrees.parse(ThincCases.thincBytes(linear));
        ThincTrees.entry(tree, "params", 0).put("W", ThincTrees.array("<f4", List.of(3L, 5L), ThincTrees.floats(15)));
        assertRefused(ThincCases.build(linear), ThincTrees.encode(tree), ModelMismatchException.class,
                "node 0 ('linear'), parameter 'W': expected shape (3, 4)", "found (3, 5) in the file");
        // An initialised model compares with its own arrays.
        Model<FloatArray, FloatArray> initialised = ThincCases.read(linear);
        assertRefused(initialised, ThincTrees.encode(tree), ModelMismatchException.class, "expected shape (3, 4)");
    }

    @Test
    void aParameterOrDimTheLayerLacksIsAMismatch() {
        JsonNode linear = ThincCases.named("linear");
        Map<String, Object> tree = ThincTrees.parse(ThincCases.thincBytes(linear));
        ThincTrees.entry(tree, "params", 0).put("G", null);
        assertRefused(ThincCases.build(linear), ThincTrees.encode(tree), ModelMismatchException.class,
                "the file has a parameter 'G', which the model's layer does not have (it has [W, b])");
        tree = ThincTrees.parse(ThincCases.thincBytes(linear));
        @SuppressWarnings("unchecked")
        Map<String, Object> dims = (Map<String, Object>) ThincTrees.entry(tree, "nodes", 0).get("dims");
        dims.put("nP", 3L);
        assertRefused(ThincCases.build(linear), ThincTrees.encode(tree), ModelMismatchException.class,
                "the file sets dim 'nP' = 3, which the model's layer does not have (it has [nO, nI])");
    }

    @Test
    void aLayerThinjDoesNotHaveIsNamedWithThoseItHas() {
        Map<String, Object> tree = ThincTrees.parse(ThincCases.thincBytes(mlp()));
        ThincTrees.entry(tree, "nodes", 5).put("name", "hashembed");
        ThincTrees.entry(tree, "nodes", 0).put("name", "with_array(relu>>dropout>>relu>>softmax)");
        assertRefused(ThincCases.build(mlp()), ThincTrees.encode(tree), ModelFileException.class,
                "node 0 ('with_array(relu>>dropout>>relu>>softmax)'): 'with_array' is a layer thinj does not have;"
                        + " thinj has Linear.v1, Relu.v1, Maxout.v1, Softmax.v1, Softmax.v2, Sigmoid.v1, LayerNorm.v1,"
                        + " Dropout.v1, chain.v1, concatenate.v1, residual.v1, clone.v1");
    }

    @Test
    void aModelThincCannotHoldIsNotWritten() {
        // A chain of one layer: thinj's Chain allows it, Thinc's chain needs two.
        Model<FloatArray, FloatArray> one = Chain.ofAny(List.of(Linear.of(2, 3)));
        assertThatThrownBy(() -> ThincModelFile.toBytes(one)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("Node 0 ('linear') is not one of Thinc's layers");
    }

    @Test
    void shimsAndRefsAreRefused() {
        Map<String, Object> tree = ThincTrees.parse(ThincCases.thincBytes(mlp()));
        @SuppressWarnings("unchecked")
        List<Object> shims = (List<Object>) ((List<Object>) tree.get("shims")).get(2);
        shims.add(new byte[] {1, 2, 3});
        assertRefused(ThincCases.build(mlp()), ThincTrees.encode(tree), ModelFileException.class,
                "node 2 ('relu'): the file holds shims (a wrapped PyTorch, TensorFlow or MXNet model)");
        tree = ThincTrees.parse(ThincCases.thincBytes(mlp()));
        ThincTrees.entry(tree, "nodes", 3).put("refs", Map.of("tok2vec", 1L));
        assertRefused(ThincCases.build(mlp()), ThincTrees.encode(tree), ModelFileException.class,
                "node 3 ('softmax'): the file gives it refs");
    }

    @Test
    void attributesOutOfRangeOrOfAnotherTypeAreRefused() {
        JsonNode c = ThincCases.named("dropout_first");
        Map<String, Object> tree = ThincTrees.parse(ThincCases.thincBytes(c));
        ThincTrees.entry(tree, "attrs", 1).put("dropout_rate", ThincTrees.attr(1.5));
        assertRefused(ThincCases.build(c), ThincTrees.encode(tree), ModelFileException.class,
                "node 1 ('dropout'), attribute 'dropout_rate' is 1.5; it must be in [0, 1]");
        ThincTrees.entry(tree, "attrs", 1).put("dropout_rate", ThincTrees.attr("high"));
        assertRefused(ThincCases.build(c), ThincTrees.encode(tree), ModelFileException.class,
                "attribute 'dropout_rate' is the text 'high', expected a number");
        ThincTrees.entry(tree, "attrs", 1).put("dropout_rate", new byte[] {(byte) 0xcb, 1, 2});
        assertRefused(ThincCases.build(c), ThincTrees.encode(tree), ModelFileException.class,
                "attribute 'dropout_rate' is corrupt at byte 1: the file ends inside a value");
        // An attribute Thinc's layer has and thinj does not know is left alone, as a new Thinc might add one.
        tree = ThincTrees.parse(ThincCases.thincBytes(c));
        ThincTrees.entry(tree, "attrs", 1).put("new_in_thinc_9", ThincTrees.attr(true));
        Model<FloatArray, FloatArray> model = ThincCases.build(c);
        ThincModelFile.fromBytes(model, ThincTrees.encode(tree), SOURCE);
        assertThat(model.walk().get(1).attrNames()).doesNotContain("new_in_thinc_9");

        JsonNode softmax = ThincCases.named("softmax_temperature");
        tree = ThincTrees.parse(ThincCases.thincBytes(softmax));
        ThincTrees.entry(tree, "attrs", 0).put("softmax_temperature", ThincTrees.attr(0L));
        assertRefused(ThincCases.build(softmax), ThincTrees.encode(tree), ModelFileException.class,
                "attribute 'softmax_temperature' is 0.0; it must be positive");
    }

    @Test
    void parametersThatAreNotFloat32ArraysAreRefused() {
        JsonNode linear = ThincCases.named("linear");
        Map<String, Object> tree = ThincTrees.parse(ThincCases.thincBytes(linear));
        ThincTrees.entry(tree, "params", 0).put("b", ThincTrees.array("<f8", List.of(3L), new byte[24]));
        assertRefused(ThincCases.build(linear), ThincTrees.encode(tree), ModelFileException.class,
                "parameter 'b' is a NumPy array of type '<f8'; Thinc's parameters are float32");
        ThincTrees.entry(tree, "params", 0).put("b", ThincTrees.array("<f4", List.of(3L), new byte[8]));
        assertRefused(ThincCases.build(linear), ThincTrees.encode(tree), ModelFileException.class,
                "shape (3,) needs 12 bytes of float32 data, the file holds 8");
        ThincTrees.entry(tree, "params", 0).put("b", ThincTrees.array("<f4", List.of(), new byte[4]));
        assertRefused(ThincCases.build(linear), ThincTrees.encode(tree), ModelFileException.class,
                "the array's shape is a list of 0, expected a list of 1 to 4 dimensions");
        ThincTrees.entry(tree, "params", 0).put("b", ThincTrees.array("<f4", List.of(-3L), new byte[4]));
        assertRefused(ThincCases.build(linear), ThincTrees.encode(tree), ModelFileException.class,
                "dimension 0 of the array's shape is integer -3");
        ThincTrees.entry(tree, "params", 0).put("b", List.of(1L, 2L, 3L));
        assertRefused(ThincCases.build(linear), ThincTrees.encode(tree), ModelFileException.class,
                "parameter 'b' is not a NumPy array (a map with nd = true), but a list of 3");
        // Big-endian float32 is NumPy's '>f4': read as what it is.
        tree = ThincTrees.parse(ThincCases.thincBytes(linear));
        byte[] big = java.nio.ByteBuffer.allocate(12).putFloat(1f).putFloat(2f).putFloat(3f).array();
        ThincTrees.entry(tree, "params", 0).put("b", ThincTrees.array(">f4", List.of(3L), big));
        Model<FloatArray, FloatArray> model = ThincCases.build(linear);
        ThincModelFile.fromBytes(model, ThincTrees.encode(tree), SOURCE);
        assertThat(model.getParam("b").toFloatArray()).containsExactly(1f, 2f, 3f);
    }

    @Test
    void filesThatAreNotThincModelsSayWhatTheyAre() throws IOException {
        Model<FloatArray, FloatArray> model = ThincCases.build(mlp());
        assertRefused(model, mlp().get("config").asText().getBytes(StandardCharsets.UTF_8), ModelFileException.class,
                "is not a thinj model file (no THINJMDL header) nor a Thinc one (Model.to_bytes(): a msgpack map,"
                        + " which this does not begin with)");
        assertRefused(model, new byte[0], ModelFileException.class, "is empty, not a thinj model file nor a Thinc one");
        assertRefused(model, ThincTrees.encode(Map.of("nodes", List.of())), ModelFileException.class,
                "is not a Thinc model file: its 'attrs' is nil (missing)");
        byte[] good = ThincCases.thincBytes(mlp());
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);
        assertRefused(model, longer, ModelFileException.class, "is corrupt at byte " + good.length
                + ": 3 unexpected bytes after the end of the msgpack value");
        Path missing = dir.resolve("missing.thinc");
        assertThatThrownBy(() -> ThincModelFile.read(model, missing)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("Thinc model file " + missing + " does not exist");
    }

    @Test
    void aFailedReadPartWayThroughLeavesTheModelAsItWas() {
        // The first nodes are fine; the last node's parameter is broken.
        Model<FloatArray, FloatArray> model = ThincCases.read(mlp());
        Map<String, Object> tree = ThincTrees.parse(ThincCases.thincBytes(ThincCases.named("chain_mlp")));
        ThincTrees.entry(tree, "params", 4).put("b", ThincTrees.array("<f4", List.of(6L), new byte[5]));
        assertRefused(model, ThincTrees.encode(tree), ModelFileException.class,
                "node 4 ('relu'), parameter 'b': shape (6,) needs 24 bytes");
    }

    @Test
    void writesAreAtomicAndReadBack() throws IOException {
        Model<FloatArray, FloatArray> model = Chain.of(Relu.of(3, 2, 0.3f, true), Linear.of(2, 3)).initialize();
        Path file = dir.resolve("model.thinc");
        Files.writeString(file, "the previous file");
        ThincModelFile.write(model, file);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("model.thinc");
        }
        Model<FloatArray, FloatArray> back = ThincModelFile.read(Chain.of(Relu.of(3, 2, 0.3f, true), Linear.of(2, 3)),
                file);
        assertThat(ThincCases.state(back)).isEqualTo(ThincCases.state(model));
        assertThatThrownBy(() -> ThincModelFile.write(model, dir.resolve("no/such/folder/model.thinc")))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("Cannot write Thinc model file");
    }
}
