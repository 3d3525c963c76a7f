package dev.thinj.model.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thinj.model.Model;
import dev.thinj.model.ThincJson;
import dev.thinj.ops.FloatArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models trained by Thinc 8.1.7 ({@code make_thinc_interop_fixtures.py}), one per layer and
 * combinator, read into thinj models built from the same config text: thinj predicts what Thinc
 * predicted, writes Thinc's bytes back unchanged, and its own format carries the model bit for bit.
 */
class ThincModelFileFixturesTest {
    /**
     * Thinc computes in float32 too; its BLAS sums in another order, worth an ulp or two per term.
     * The floor makes it absolute (1e-6) near zero, where cancellation, not the result, sets the error.
     */
    private static final double RTOL = 1e-5;
    private static final double FLOOR = 0.1;

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return ThincCases.all().stream().map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @Test
    void theFixturesCoverEveryLayerAndCombinator() {
        Set<String> names = new HashSet<>();
        ThincCases.all().forEach(c -> names.add(c.get("name").asText()));
        assertThat(names).contains("linear", "relu_dropout_normalize", "maxout_normalize_nP", "softmax_temperature",
                "softmax_unnormalized", "softmax_v1", "sigmoid", "layernorm", "dropout_first", "chain_mlp",
                "concatenate", "residual", "clone", "zero_size_params", "uninitialized");
        assertThat(ThincCases.DOC.get("thinc_version").asText()).isEqualTo("8.1.7");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void thinjPredictsWhatThincPredicted(String name, JsonNode c) {
        Model<FloatArray, FloatArray> model = ThincCases.read(c);
        if (!c.has("output")) {
            return;  // the uninitialised case: see anUninitialisedModelStaysUnallocated
        }
        FloatArray y = model.predict(ThincJson.toArray(ThincCases.OPS, c.get("input")));
        ThincJson.assertClose(name + ": predict", y, c.get("output"), RTOL, FLOOR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void thinjWritesThincsBytesBack(String name, JsonNode c) {
        byte[] thinc = ThincCases.thincBytes(c);
        assertThat(ThincModelFile.toBytes(ThincCases.read(c))).as(name).isEqualTo(thinc);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bothFormatsCarryTheModelBitForBit(String name, JsonNode c) throws IOException {
        Model<FloatArray, FloatArray> model = ThincCases.read(c);
        String state = ThincCases.state(model);

        Path thinc = dir.resolve(name + ".thinc");
        ThincModelFile.write(model, thinc);
        Model<FloatArray, FloatArray> fromThinc = ThincModelFile.read(ThincCases.build(c), thinc);
        assertThat(ThincCases.state(fromThinc)).as(name + ": thinj -> Thinc file -> thinj").isEqualTo(state);
        assertThat(ThincModelFile.toBytes(fromThinc)).isEqualTo(Files.readAllBytes(thinc));

        Path thinj = dir.resolve(name + ".bin");
        ModelFile.save(model, thinj);
        Model<FloatArray, FloatArray> fromThinj = ModelFile.load(ThincCases.build(c), thinj);
        assertThat(ThincCases.state(fromThinj)).as(name + ": thinj file").isEqualTo(state);
        assertThat(ThincModelFile.toBytes(fromThinj)).isEqualTo(ThincCases.thincBytes(c));
    }

    @Test
    void anUninitialisedModelStaysUnallocated() {
        JsonNode c = ThincCases.named("uninitialized");
        Model<FloatArray, FloatArray> model = ThincCases.read(c);
        assertThat(model.hasParam("W")).isFalse();
        assertThat(model.hasParam("b")).isFalse();
        assertThat(model.getDim("nO")).isEqualTo(3);
        assertThat(model.getDim("nI")).isEqualTo(2);
    }

    @Test
    void zeroSizeParametersAreReadAsThincHoldsThem() {
        Model<FloatArray, FloatArray> model = ThincCases.read(ThincCases.named("zero_size_params"));
        assertThat(model.getDim("nI")).isZero();
        assertThat(model.getParam("G").shape()).containsExactly(0);
        assertThat(model.getParam("b").shape()).containsExactly(0);
    }

    @Test
    void theLayersNamesAndShapesAreThincs() {
        // relu_dropout_normalize is chain(chain(relu, layernorm), dropout), as Thinc builds it.
        List<Model<?, ?>> nodes = ThincCases.read(ThincCases.named("relu_dropout_normalize")).walk();
        assertThat(nodes).extracting(Model::name).containsExactly("relu>>layernorm>>dropout", "relu>>layernorm",
                "dropout", "relu", "layernorm");
        assertThat(nodes.get(3).getParam("W").shape()).containsExactly(5, 4);
        // Maxout's W is (nO, nP, nI) and b (nO, nP), in both.
        Model<?, ?> maxout = ThincCases.read(ThincCases.named("maxout_normalize_nP")).walk().get(3);
        assertThat(maxout.getParam("W").shape()).containsExactly(3, 2, 4);
        assertThat(maxout.getParam("b").shape()).containsExactly(3, 2);
        // Attributes come from the file: the temperature is Thinc's.
        Model<?, ?> softmax = ThincCases.read(ThincCases.named("softmax_unnormalized"));
        assertThat(softmax.<Float>attr("softmax_temperature")).isEqualTo(0.5f);
        assertThat(softmax.<Boolean>attr("softmax_normalize")).isFalse();
    }
}
