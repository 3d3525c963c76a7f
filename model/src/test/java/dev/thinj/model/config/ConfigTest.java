package dev.thinj.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, locations, errors, overrides and writing of {@link Config}. */
class ConfigTest {
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

    private static ConfigException parseError(String text) {
        try {
            Config.parse(text, "config.cfg");
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }

    // ---- reading ------------------------------------------------------------------------------------

    @Test
    void readsSectionsValuesAndVariables() {
        Config c = Config.parse(MLP);
        assertThat(c.get("model.nO")).isEqualTo(512L);
        assertThat(c.get("model.dropout")).isEqualTo(0.2);
        assertThat(c.get("model.@layers")).isEqualTo("Relu.v1");
        assertThat(c.has("training.batch_size")).isTrue();
        assertThat(c.has("training.seed")).isFalse();
        assertThat(c.toMap()).containsOnlyKeys("hyper_params", "model", "training");
    }

    @Test
    void valuesAreCopiesSoTheConfigStaysUnchanged() {
        Config c = Config.parse("[a]\nl = [1, 2]\n");
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) c.get("a.l");
        l.add(3L);
        assertThat(c.get("a.l")).isEqualTo(List.of(1L, 2L));
    }

    @Test
    void stringsInListsStayStrings() {
        // Deliberately unlike confection 0.0.4, which reads ["1", "true"] as [1, true]: it parses the
        // items of a list a second time, so such a list cannot be written back and read the same.
        Config c = Config.parse("[a]\nnames = [\"1\", \"true\", \"x\"]\n");
        assertThat(c.get("a.names")).isEqualTo(List.of("1", "true", "x"));
        assertThat(Config.parse(c.toString())).isEqualTo(c);
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstHeader(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bom.cfg");
        Files.writeString(file, "\uFEFF[a]\nx = 1\n");
        assertThat(Config.read(file).get("a.x")).isEqualTo(1L);
    }

    @Test
    void missingValueNamesTheClosestKey() {
        Config c = Config.parse(MLP);
        assertThatThrownBy(() -> c.get("training.batch_sise")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no value training.batch_sise")
                .hasMessageContaining("did you mean batch_size?");
    }

    // ---- locations ----------------------------------------------------------------------------------

    @Test
    void everyValueKnowsItsFileLineSectionAndKey() {
        Config c = Config.parse(MLP, "config.cfg");
        assertThat(c.location("model.nO")).isEqualTo(new Location("config.cfg", 7, "model", "nO"));
        assertThat(c.location("model")).isEqualTo(new Location("config.cfg", 5, "model", null));
        assertThat(c.location("model.nO").toString()).isEqualTo("config.cfg:7 [model] nO");
        // A key that is not there yet (a default) points at its block.
        assertThat(c.location("model.nI")).isEqualTo(new Location("config.cfg", 5, "model", "nI"));
    }

    @Test
    void readsFilesAndNamesThemInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.cfg");
        Files.writeString(file, "[a]\nx = 1\ny = ${a.z}\n");
        assertThatThrownBy(() -> Config.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":3 [a] y: ${a.z} points nowhere");
        assertThatThrownBy(() -> Config.read(dir.resolve("missing.cfg"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.cfg: cannot read the config: no such file");
        assertThatThrownBy(() -> Config.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessage(dir + ": cannot read the config: it is a directory, not a file");
        Path binary = dir.resolve("model.bin");
        Files.write(binary, new byte[] {'T', 'H', 'I', 'N', 'J', (byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> Config.read(binary)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(binary + ": cannot read the config: it is not UTF-8 text");
    }

    // ---- syntax errors ------------------------------------------------------------------------------

    @Test
    void syntaxErrorsGiveTheLine() {
        ConfigException e = parseError("[a]\nx = 1\nthis is not a key value\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo("config.cfg:3 [a]: syntax error: expected \"key = value\", a [section]"
                + " header or a # comment, got \"this is not a key value\"");
        assertThat(parseError("x = 1\n[a]\n").getMessage())
                .startsWith("config.cfg:1: syntax error: a value outside any section");
        assertThat(parseError("[a]\n= 1\n").getMessage()).startsWith("config.cfg:2 [a]: syntax error: a value without a key");
    }

    @Test
    void repeatedKeysAndSectionsAreErrors() {
        assertThat(parseError("[a]\nx = 1\n\nx = 2\n").getMessage())
                .isEqualTo("config.cfg:4 [a] x: key is defined twice in this section (first on line 2)");
        assertThat(parseError("[a]\n[b]\n[a]\n").getMessage())
                .isEqualTo("config.cfg:3 [a]: section [a] is defined twice (first on line 1)");
    }

    @Test
    void nestingErrorsNameTheSections() {
        assertThat(parseError("[optimizer]\nx = 1\n[optimiser.learn_rate]\ny = 2\n").getMessage())
                .isEqualTo("config.cfg:3 [optimiser.learn_rate]: section [optimiser.learn_rate] is inside"
                        + " [optimiser], which is not defined; did you mean optimizer?");
        assertThat(parseError("[a]\nx = 1\n[a.x]\ny = 2\n").getMessage())
                .startsWith("config.cfg:3 [a.x]: section [a.x] conflicts with the value x = 1 in [a]");
        assertThat(parseError("[DEFAULT]\nx = 1\n[a]\n").getMessage()).startsWith("config.cfg:2 [DEFAULT] x: values in [DEFAULT]");
    }

    // ---- interpolation ------------------------------------------------------------------------------

    @Test
    void interpolationPointingNowhereSaysWhereAndSuggests() {
        ConfigException e = parseError("[training]\nuse_vectors = false\n\n[nlp]\nuse_vectors = ${training.use_vector}\n");
        assertThat(e.getMessage()).isEqualTo("config.cfg:5 [nlp] use_vectors: ${training.use_vector} points nowhere:"
                + " [training] has no key \"use_vector\" and there is no section [training.use_vector];"
                + " did you mean use_vectors?");
        assertThat(e.file()).isEqualTo("config.cfg");
        assertThat(e.section()).isEqualTo("nlp");
        assertThat(e.key()).isEqualTo("use_vectors");
        assertThat(parseError("[a]\nx = ${trainig.x}\n[training]\nx = 1\n").getMessage())
                .endsWith("there is no section [trainig]; did you mean training?");
        assertThat(parseError("[a]\nx = ${nothing}\n").getMessage())
                .isEqualTo("config.cfg:2 [a] x: ${nothing} points nowhere: there is no key \"nothing\" in this"
                        + " section and no section [nothing]");
    }

    @Test
    void interpolationErrors() {
        assertThat(parseError("[a]\nx = costs $5\n").getMessage())
                .isEqualTo("config.cfg:2 [a] x: '$' must be followed by '$' or '{', found \"$5\" (write $$ for a dollar sign)");
        // A '$' that ends the value has nothing after it to be checked.
        assertThat(parseError("[a]\nx = costs 5$\n").getMessage())
                .isEqualTo("config.cfg:2 [a] x: '$' must be followed by '$' or '{', found \"$\" (write $$ for a dollar sign)");
        assertThat(parseError("[a]\nx = $\n").getMessage()).startsWith("config.cfg:2 [a] x: '$' must be followed");
        assertThat(Config.parse("[a]\nx = costs 5$$\n").get("a.x")).isEqualTo("costs 5$");
        assertThat(parseError("[a]\nx = ${a\n").getMessage()).startsWith("config.cfg:2 [a] x: bad variable reference");
        assertThat(parseError("[a]\nx = 1\n[b]\ny = \"see ${a}\"\n").getMessage())
                .startsWith("config.cfg:4 [b] y: a whole section is referenced inside a string");
        assertThat(parseError("[a]\nx = ${a.y}\ny = ${a.x}\n").getMessage())
                .startsWith("config.cfg:2 [a] x: interpolation nested more than 10 deep");
        assertThat(parseError("[a]\nx = ${b}\n[b]\ny = ${a}\n").getMessage())
                .contains("contains a reference to itself");
    }

    @Test
    void sectionReferencesCopyTheSection() {
        Config c = Config.parse("[shared]\nwidth = 3\n\n[a]\nx = ${shared}\n\n[b]\nl = [${shared}]\n");
        assertThat(c.get("a.x")).isEqualTo(Map.of("width", 3L));
        assertThat(c.get("b.l")).isEqualTo(List.of(Map.of("width", 3L)));
    }

    // ---- overrides ----------------------------------------------------------------------------------

    @Test
    void overridesAreInterpolatedLikeText() {
        Config c = Config.parse(MLP, "config.cfg",
                Map.of("hyper_params.width", 64, "training.batch_size", 32, "training.seed", 7));
        assertThat(c.get("model.nO")).isEqualTo(64L);
        assertThat(c.get("training.batch_size")).isEqualTo(32L);
        assertThat(c.get("training.seed")).isEqualTo(7L);
        assertThat(c.location("training.seed").source()).isEqualTo("<override>");
    }

    @Test
    void overrideOfASectionReplacesIt() {
        Config c = Config.parse("[optimizer]\n@optimizers = \"Adam.v1\"\n\n[optimizer.learn_rate]\n"
                + "@schedules = \"constant.v1\"\nrate = 0.1\n");
        Config o = c.withOverrides(Map.of("optimizer.learn_rate", 0.01));
        assertThat(o.get("optimizer.learn_rate")).isEqualTo(0.01);
        assertThat(o.toString()).doesNotContain("[optimizer.learn_rate]");
    }

    @Test
    void overrideOfAMissingSectionIsAnError() {
        Config c = Config.parse(MLP);
        assertThatThrownBy(() -> c.withOverrides(Map.of("trainig.batch_size", 1))).isInstanceOf(ConfigException.class)
                .hasMessage("<override> [trainig] batch_size: cannot override trainig.batch_size: there is no section"
                        + " [trainig]; did you mean training?");
        assertThatThrownBy(() -> c.withOverrides(Map.of("batch_size", 1))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("an override names a key inside a section");
    }

    @Test
    void overridesFromTheCommandLine() {
        Map<String, Object> o = Overrides.fromArgs(List.of("--training.batch_size", "64", "--nlp.lang=en",
                "--training.use_gpu", "--training.dropouts", "[0.1, 0.2]"));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("training.batch_size", 64L);
        expected.put("nlp.lang", "en");
        expected.put("training.use_gpu", true);
        expected.put("training.dropouts", List.of(0.1, 0.2));
        assertThat(o).containsExactlyEntriesOf(expected);
        assertThatThrownBy(() -> Overrides.fromArgs(List.of("training.batch_size", "64")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected a config override");
        assertThatThrownBy(() -> Overrides.fromArgs(List.of("--batch_size", "64")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("names a section and a key");
    }

    // ---- writing ------------------------------------------------------------------------------------

    @Test
    void writesBackWithVariables() {
        Config c = Config.parse(MLP);
        String text = c.toString();
        assertThat(text).contains("nO = ${hyper_params.width}");
        assertThat(Config.parse(text)).isEqualTo(c);
        assertThat(c.interpolate().toString()).contains("nO = 512").doesNotContain("${");
    }

    @Test
    void writesAnyTreeSoItReadsBackTheSame() {
        Map<String, Object> tree = new LinkedHashMap<>();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("numeric string", "0.2");
        a.put("boolean string", "true");
        a.put("json string", "[1, 2]");
        a.put("quoted", "\"q\"");
        a.put("dollars", "$5 and ${not.a.variable}");
        a.put("spaces", "  padded  ");
        a.put("empty", "");
        a.put("lines", "one\ntwo");
        a.put("number", 1.5);
        a.put("tiny", 1e-8);
        a.put("list", List.of("x", 1L, List.of(true)));
        a.put("dotted.key", Map.of("inline", 1L));
        Map<String, Object> positional = new LinkedHashMap<>();
        positional.put("first", Map.of("@layers", "Relu.v1"));
        positional.put("second", Map.of("@layers", "Softmax.v1"));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("@layers", "chain.v1");
        model.put("*", positional);
        tree.put("a", a);
        tree.put("model", model);
        Config c = Config.of(tree);
        assertThat(c.toMap()).isEqualTo(tree);
        assertThat(Config.parse(c.toString()).toMap()).isEqualTo(tree);
        assertThat(c.toString()).contains("[model.*.first]").contains("numeric string = \"\\\"0.2\\\"\"");
    }

    @Test
    void refusesTreesTheFormatCannotHold() {
        assertThatThrownBy(() -> Config.of(Map.of("a", Map.of("x", Double.NaN)))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[a] x: cannot write this value");
        assertThatThrownBy(() -> Config.of(Map.of("a", 1))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("a top-level value must be a section");
        assertThatThrownBy(() -> Config.of(Map.of("a", Map.of("x", new Object())))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not a config value");
        assertThatThrownBy(() -> Config.of(Map.of("a", Map.of("k=v", 1)))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot write the key");
    }

    @Test
    void writesFilesAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out.cfg");
        Files.writeString(file, "old");
        Config c = Config.parse(MLP);
        c.write(file);
        assertThat(Config.read(file)).isEqualTo(c);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    /** A written config is readable as any new file in its folder is (the umask's), not owner-only. */
    @Test
    void aWrittenConfigHasTheFolderUsersPermissions(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions only");
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path file = dir.resolve("out.cfg");
        Config.parse(MLP).write(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> tree, String name) {
        return (Map<String, Object>) tree.get(name);
    }

    @Test
    void withValuesKeepsVariablesWhereValuesAreUnchanged() {
        Config c = Config.parse(MLP);
        Map<String, Object> tree = c.toMap();
        section(tree, "model").put("nI", null);
        section(tree, "training").put("batch_size", 64L);
        Config changed = c.withValues(tree);
        assertThat(changed.toMap()).isEqualTo(tree);
        assertThat(changed.source()).isEqualTo(c.source());
        assertThat(changed.toString()).contains("nO = ${hyper_params.width}").contains("nI = null")
                .contains("batch_size = 64");
        // A variable whose target changed is written as its new value.
        section(tree, "hyper_params").put("width", 8L);
        assertThat(c.withValues(tree).toMap()).isEqualTo(tree);
    }
}
