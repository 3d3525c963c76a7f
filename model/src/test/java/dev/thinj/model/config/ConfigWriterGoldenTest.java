package dev.thinj.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins what {@link Config}'s writer produces, byte for byte, against expected text committed in
 * {@code src/test/resources/config/writer/}: a round trip alone (write, read back, compare with
 * {@code equals}) passes whatever is written as long as the reader undoes it, and would pass too if
 * {@code equals} said yes to everything. The expected files were checked by hand against the
 * format's rules (confection's quoting, {@code $$} for a dollar, continuation lines, positional
 * sections); a change to the writer's output must change them deliberately.
 */
class ConfigWriterGoldenTest {
    private static final String MLP = String.join("\n",
            "[hyper_params]",
            "width = 512",
            "dropout = 0.2",
            "",
            "[model]",
            "@layers = \"Relu.v1\"",
            "nO = ${hyper_params.width}",
            "dropout = ${hyper_params.dropout}",
            "",
            "[training]",
            "batch_size = 128",
            "");

    /** Values the format can only hold with quoting or escaping, in sections of every kind. */
    private static Config awkwardValues() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("numeric string", "0.2");
        a.put("boolean string", "true");
        a.put("null string", "null");
        a.put("json string", "[1, 2]");
        a.put("quoted", "\"q\"");
        a.put("dollars", "$5 and ${not.a.variable}");
        a.put("lone dollar at the end", "costs 5$");
        a.put("spaces", "  padded  ");
        a.put("empty", "");
        a.put("lines", "one\ntwo");
        a.put("number", 1.5);
        a.put("integer", 42L);
        a.put("tiny", 1e-8);
        a.put("boolean", false);
        a.put("nothing", null);
        a.put("list", List.of("x", 1L, List.of(true)));
        a.put("dotted.key", Map.of("inline", 1L));
        Map<String, Object> positional = new LinkedHashMap<>();
        positional.put("first", Map.of("@layers", "Relu.v1"));
        positional.put("second", Map.of("@layers", "Softmax.v1"));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("@layers", "chain.v1");
        model.put("*", positional);
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("a", a);
        tree.put("model", model);
        return Config.of(tree);
    }

    /** The MLP with a default filled in and a value changed: its variables stay. */
    private static Config filledMlp() {
        return Config.parse(MLP).withValues(changed(Config.parse(MLP).toMap(), false));
    }

    /** The MLP where a variable's target changed but not the value that referred to it. */
    private static Config retargetedMlp() {
        return Config.parse(MLP).withValues(changed(Config.parse(MLP).toMap(), true));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> changed(Map<String, Object> tree, boolean retarget) {
        ((Map<String, Object>) tree.get("model")).put("nI", null);
        ((Map<String, Object>) tree.get("training")).put("batch_size", 64L);
        if (retarget) {
            ((Map<String, Object>) tree.get("hyper_params")).put("dropout", 0.5);
        }
        return tree;
    }

    private static Config multiLine() {
        return Config.parse(String.join("\n",
                "[a]",
                "# a comment is not kept",
                "sizes = [",
                "    1,",
                "    2",
                "  ]",
                "name = two words",
                "",
                "[a.b]",
                "x = ${a.name}",
                ""));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("mlp", (Supplier<Config>) () -> Config.parse(MLP)),
                Arguments.of("mlp-interpolated", (Supplier<Config>) () -> Config.parse(MLP).interpolate()),
                Arguments.of("mlp-overridden", (Supplier<Config>) () -> Config.parse(MLP, "<string>",
                        Map.of("training.batch_size", 32L, "hyper_params.width", 64L))),
                Arguments.of("mlp-filled", (Supplier<Config>) ConfigWriterGoldenTest::filledMlp),
                Arguments.of("mlp-retargeted", (Supplier<Config>) ConfigWriterGoldenTest::retargetedMlp),
                Arguments.of("awkward-values", (Supplier<Config>) ConfigWriterGoldenTest::awkwardValues),
                Arguments.of("multi-line", (Supplier<Config>) ConfigWriterGoldenTest::multiLine));
    }

    private static String expected(String name) throws IOException {
        try (InputStream in = ConfigWriterGoldenTest.class.getResourceAsStream("/config/writer/" + name + ".cfg")) {
            assertThat(in).as("expected output config/writer/%s.cfg", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writesExactlyTheExpectedText(String name, Supplier<Config> config) throws IOException {
        Config c = config.get();
        assertThat(c.toString()).as("written text of %s", name).isEqualTo(expected(name));
        // And the expected text reads back as the same config.
        assertThat(Config.parse(expected(name))).isEqualTo(c);
    }

    @Test
    void configsThatDifferAreNotEqual() {
        Config mlp = Config.parse(MLP);
        assertThat(mlp).isEqualTo(Config.parse(MLP)).hasSameHashCodeAs(Config.parse(MLP));
        assertThat(mlp).isNotEqualTo(filledMlp());
        assertThat(filledMlp()).isNotEqualTo(retargetedMlp());
        assertThat(mlp).isNotEqualTo(Config.parse(MLP.replace("batch_size = 128", "batch_size = 129")));
        assertThat(mlp).isNotEqualTo(Config.parse(MLP + "\n[extra]\n"));
        // "0.2" reads as the number (the format unquotes once); quoted twice it is the string.
        assertThat(mlp).isEqualTo(Config.parse(MLP.replace("dropout = 0.2", "dropout = \"0.2\"")));
        assertThat(mlp).isNotEqualTo(Config.parse(MLP.replace("dropout = 0.2", "dropout = \"\\\"0.2\\\"\"")));
        assertThat(mlp).isNotEqualTo(MLP).isNotEqualTo(null);
        // Equality is by value: the same tree written with or without variables is equal.
        assertThat(mlp).isEqualTo(mlp.interpolate());
    }
}
