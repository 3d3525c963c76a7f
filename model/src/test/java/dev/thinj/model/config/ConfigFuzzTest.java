package dev.thinj.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.Mutations;
import dev.thinj.model.registry.Arg;
import dev.thinj.model.registry.Registered;
import dev.thinj.model.registry.Registry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config reader and resolver on hostile text: the example configs and Thinc's documented configs,
 * mutated at random (lines dropped, doubled, swapped and indented, text cut short, characters
 * changed, values replaced by bad JSON, bad {@code ${...}} references and unknown {@code @} names,
 * sections nested deep). Each mutated config must either parse, write back to an equal config and
 * resolve, or fail with a {@link ConfigException} that names the file; never another exception or a
 * hang. Each try's seed is in its failure message.
 */
// A hang guard only: a separate thread, so that even a loop that ignores interrupts fails the test.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConfigFuzzTest {
    private static final int TRIES = 1000;
    private static final List<Sample> SAMPLES = samples();
    private static final Registry REGISTRY = registry();

    private static Registry registry() {
        Registry r = Registry.global().copy();
        if (!r.categories().contains("datasets")) {
            r.addCategory("datasets");
        }
        return r.registerAll(Datasets.class);
    }

    /** The examples' data function, without the data: resolving must not read files. */
    public static final class Datasets {
        private Datasets() {
        }

        /**
         * @param path the data folder, or null
         * @return the path
         */
        @Registered(registry = "datasets", name = "fashion_mnist.v1")
        public static String fashionMnist(@Arg(value = "path", defaultJson = "null") String path) {
            return String.valueOf(path);
        }
    }

    /** A config to mutate: its file name and text. */
    record Sample(String name, String text) {
    }

    private static List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        try {
            for (Path dir : List.of(Path.of("../examples"),
                    Path.of(ConfigFuzzTest.class.getResource("/config/thinc").toURI()))) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".cfg")).sorted().toList()) {
                        out.add(new Sample(f.getFileName().toString(), Files.readString(f)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Values that break readers: bad JSON, extreme numbers, bad references, deep nesting. */
    private static final List<String> BAD_VALUES = List.of(
            "[1, 2", "{\"a\":", "\"unterminated", "]", "}", "NaN", "Infinity", "-Infinity", "1e999", "-1e999",
            "99999999999999999999999999999", "-99999999999999999999999999999", "-0", "1.", "007", "0x10", "'single'",
            "null", "true", "[]", "{}", "\"\"", "\"\\u0000\"", "\u0000", "-", "[1, \"a\", null, {}, [[]]]",
            "${", "${}", "${nope}", "${nope.nope}", "${training}", "${model}", "${optimizer.learn_rate}",
            "\"${model}\"", "x ${model} y", "[${model}, ${model}]", "$", "$$", "$x", "${a:b}", "${training.n_epoch",
            "${model.*.hidden1.nO}", "\"Relu.v1\"", "Nope.v1", "-2147483649", "2147483648", "0", "-1", "1e-400",
            "[" .repeat(3000) + "]".repeat(3000), "{\"a\":".repeat(2000) + "1" + "}".repeat(2000),
            "[".repeat(3000), "x".repeat(100_000));

    /** Names for {@code @} keys and their values that the registry does not know, or are not names. */
    private static final List<String> BAD_REFS = List.of(
            "@layers = \"Nope.v1\"", "@layers = \"relu.v1\"", "@layers = \"Relu.v99\"", "@layers = \"\"",
            "@layers = 5", "@layers = null", "@layers = [1]", "@layers = {\"a\": 1}", "@nope = \"Relu.v1\"",
            "@ = \"Relu.v1\"", "@optimizers = \"Adam.v1\"", "@schedules = \"warmup_linear.v1\"",
            "@losses = \"Nope.v1\"", "@initializers = \"zero_init.v1\"", "@ops = \"CupyOps\"",
            "@datasets = \"fashion_mnist.v1\"", "@layers = \"chain.v1\"");

    private static final String CHARS = "[]{}$@=:.\"'#;,*\\ \t\n0123456789eE-+xa";

    /** One random edit of a config's text. */
    static String mutate(String text, Random r) {
        return switch (r.nextInt(7)) {
            case 0, 1 -> Mutations.mutateLines(text, r);
            case 2 -> Mutations.mutateChars(text, r, CHARS);
            case 3 -> replaceValue(text, r, BAD_VALUES.get(r.nextInt(BAD_VALUES.size())));
            case 4 -> insertLine(text, r, BAD_REFS.get(r.nextInt(BAD_REFS.size())));
            case 5 -> insertLine(text, r, "[" + randomSectionName(text, r) + "]");
            default -> text + deepSections(r);
        };
    }

    /** Replaces the value of a random {@code key = value} line. */
    private static String replaceValue(String text, Random r, String value) {
        String[] lines = text.split("\n", -1);
        List<Integer> keyLines = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("=") && !lines[i].startsWith("#")) {
                keyLines.add(i);
            }
        }
        if (keyLines.isEmpty()) {
            return text + "\n[x]\ny = " + value + "\n";
        }
        int i = keyLines.get(r.nextInt(keyLines.size()));
        lines[i] = lines[i].substring(0, lines[i].indexOf('=') + 1) + " " + value;
        return String.join("\n", lines);
    }

    private static String insertLine(String text, Random r, String line) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.add(r.nextInt(lines.size() + 1), line);
        return String.join("\n", lines);
    }

    /** An existing section's name (a duplicate), one nested under it, or a name with odd parts. */
    private static String randomSectionName(String text, Random r) {
        List<String> names = new ArrayList<>();
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (s.startsWith("[") && s.endsWith("]") && s.length() > 2) {
                names.add(s.substring(1, s.length() - 1));
            }
        }
        String base = names.isEmpty() ? "x" : names.get(r.nextInt(names.size()));
        return switch (r.nextInt(6)) {
            case 0 -> base;
            case 1 -> base + ".extra";
            case 2 -> base + ".*.item";
            case 3 -> base + "..";
            case 4 -> "." + base;
            default -> base + ".missing.child";
        };
    }

    /** A chain of nested sections, each inside the last, some with a value. */
    private static String deepSections(Random r) {
        int depth = 1 + r.nextInt(r.nextBoolean() ? 8 : 400);
        StringBuilder sb = new StringBuilder("\n");
        String name = "deep";
        for (int d = 0; d < depth; d++) {
            sb.append('[').append(name).append("]\n");
            if (r.nextInt(4) == 0) {
                sb.append("v").append(d).append(" = ").append(d).append('\n');
            }
            name = name + (r.nextInt(5) == 0 ? ".*" : ".n" + d);
        }
        return sb.toString();
    }

    /**
     * Parses, writes back and resolves, checking the outcome.
     *
     * @return whether the config parsed
     */
    static boolean check(String text, String source, String what) {
        Config config;
        try {
            config = Config.parse(text, source);
        } catch (ConfigException e) {
            assertLocated(e, source, what);
            return false;
        } catch (Throwable e) {
            throw new AssertionError(what + ": parsing threw " + e + " instead of a ConfigException", e);
        }
        try {
            assertThat(Config.parse(config.toString(), source)).as(what + ": written back and read again")
                    .isEqualTo(config);
        } catch (ConfigException e) {
            throw new AssertionError(what + ": the config written back does not parse: " + e.getMessage()
                    + "\n--- written:\n" + config, e);
        }
        try {
            REGISTRY.resolve(config);
        } catch (ConfigException e) {
            assertLocated(e, source, what + " (resolving)");
        } catch (Throwable e) {
            throw new AssertionError(what + ": resolving threw " + e + " instead of a ConfigException", e);
        }
        return true;
    }

    private static void assertLocated(ConfigException e, String source, String what) {
        assertThat(e.getMessage()).as(what).isNotBlank().startsWith(source);
        for (ConfigException each : e.all()) {
            assertThat(each.file()).as(what + ": " + each.getMessage()).isEqualTo(source);
        }
    }

    @Test
    void theUnmutatedSamplesParse() {
        assertThat(SAMPLES).hasSizeGreaterThan(30);
        for (Sample s : SAMPLES) {
            assertThat(check(s.text(), s.name(), s.name())).as(s.name()).isTrue();
        }
    }

    @Test
    void mutatedConfigsParseAndResolveOrFailNamingTheFile() {
        int failed = 0;
        for (int t = 0; t < TRIES; t++) {
            long seed = 1000 + t;
            Random r = new Random(seed);
            Sample s = SAMPLES.get(r.nextInt(SAMPLES.size()));
            String text = s.text();
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits; e++) {
                text = mutate(text, r);
            }
            if (!check(text, s.name(), "seed " + seed + " (" + s.name() + ")")) {
                failed++;
            }
        }
        // Most of these edits break a config; if almost none did, the mutations are not reaching the reader.
        assertThat(failed).isGreaterThan(TRIES / 4);
    }

    @Test
    void mutatedBytesReadFromAFileFailNamingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("fuzz.cfg");
        for (int t = 0; t < 200; t++) {
            long seed = 7000 + t;
            Random r = new Random(seed);
            Sample s = SAMPLES.get(r.nextInt(SAMPLES.size()));
            Files.write(file, Mutations.mutate(s.text().getBytes(StandardCharsets.UTF_8), r));
            String what = "seed " + seed + " (" + s.name() + ", bytes)";
            try {
                Config.read(file);
            } catch (ConfigException e) {
                assertLocated(e, file.toString(), what);
            } catch (Throwable e) {
                throw new AssertionError(what + ": reading threw " + e, e);
            }
        }
    }

    // ---- the named cases ---------------------------------------------------------------------------

    private static ConfigException parseError(String text) {
        try {
            Config.parse(text, "named.cfg");
        } catch (ConfigException e) {
            assertLocated(e, "named.cfg", text.length() > 60 ? text.substring(0, 60) : text);
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void referencesThatMultiplyAreRefusedBeforeTheyExhaustMemory() {
        // Each level references the one below ten times: ten levels would be 10^10 copies of "xxxxxxxxxx".
        StringBuilder text = new StringBuilder("[bomb]\nl0 = xxxxxxxxxx\n");
        for (int level = 1; level <= 10; level++) {
            text.append('l').append(level).append(" = ").append(("${bomb.l" + (level - 1) + "}").repeat(10))
                    .append('\n');
        }
        assertThat(parseError(text.toString()).getMessage()).contains("named.cfg").contains("[bomb]");
    }

    @Test
    void sectionReferencesThatMultiplyAreRefusedBeforeTheyExhaustMemory() {
        // Each section holds the one below twice: 40 levels would copy the first 2^40 times.
        StringBuilder text = new StringBuilder("[s0]\nx = 1\n");
        for (int level = 1; level <= 40; level++) {
            text.append("\n[s").append(level).append("]\na = ${s").append(level - 1).append("}\nb = ${s")
                    .append(level - 1).append("}\n");
        }
        assertThat(parseError(text.toString()).getMessage()).contains("named.cfg");
    }

    /** @return sections [a], [a.b], [a.b.b] ... each with v = 1, but the deepest with v = the value */
    private static String nestedSections(int depth, String value) {
        StringBuilder text = new StringBuilder();
        String name = "a";
        for (int d = 0; d < depth; d++) {
            text.append('[').append(name).append("]\nv = ").append(d == depth - 1 ? value : "1").append('\n');
            name += ".b";
        }
        return text.toString();
    }

    @Test
    void sectionsNestedTooDeepAreRefusedAtTheirHeader() {
        int limit = ConfigText.MAX_SECTION_DEPTH;
        assertThat(check(nestedSections(limit, "1"), "named.cfg", limit + " nested sections")).isTrue();
        ConfigException e = parseError(nestedSections(3000, "1"));
        assertThat(e.line()).isEqualTo(2 * limit + 1);
        assertThat(e.getMessage()).contains("section nested " + (limit + 1) + " deep");
    }

    @Test
    void deeplyNestedJsonIsAValueUpToJacksonsLimitAndAStringBeyond() {
        // Jackson reads JSON nested up to 1,000 deep, as ujson does for Thinc; deeper text stays a string.
        String deepest = "[".repeat(999) + "]".repeat(999);
        Config c = Config.parse(nestedSections(ConfigText.MAX_SECTION_DEPTH, deepest), "named.cfg");
        assertThat(c.get("a" + ".b".repeat(ConfigText.MAX_SECTION_DEPTH - 1) + ".v")).isInstanceOf(List.class);
        assertThat(check(nestedSections(ConfigText.MAX_SECTION_DEPTH, deepest), "named.cfg", "deep lists")).isTrue();
        String tooDeep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(Config.parse("[a]\nv = " + tooDeep + "\n", "named.cfg").get("a.v")).isEqualTo(tooDeep);
        assertThat(check("[a]\nv = " + tooDeep + "\n", "named.cfg", "deeper lists")).isTrue();
    }

    @Test
    void badUtf8AndUnreadableFilesAreNamed(@TempDir Path dir) throws IOException {
        Path bad = Files.write(dir.resolve("latin1.cfg"), new byte[] {'[', 'a', ']', '\n', 'x', '=', (byte) 0xe9});
        assertThatThrownBy(() -> Config.read(bad)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> Config.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.toString());
        Path huge = dir.resolve("huge.cfg");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30);  // sparse: 3 GiB that take no space
        }
        assertThatThrownBy(() -> Config.read(huge)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(huge.toString()).hasMessageContaining("3221225472 bytes");
        Path empty = Files.write(dir.resolve("empty.cfg"), new byte[0]);
        assertThat(Config.read(empty).toMap()).isEmpty();
    }

    @Test
    void unknownRegisteredNamesAndBadValuesFailAtResolveWithTheirLine() {
        Config config = Config.parse("[model]\n@layers = \"Reluu.v1\"\nnO = 3\n", "named.cfg");
        assertThatThrownBy(() -> REGISTRY.resolve(config)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("named.cfg:2 [model] @layers");
        Config badValue = Config.parse("[model]\n@layers = \"Relu.v1\"\nnO = [1, 2\n", "named.cfg");
        assertThatThrownBy(() -> REGISTRY.resolve(badValue)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("named.cfg:3 [model] nO");
        Config huge = Config.parse("[model]\n@layers = \"Relu.v1\"\nnO = 99999999999999999999\n", "named.cfg");
        assertThatThrownBy(() -> REGISTRY.resolve(huge)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("named.cfg:3 [model] nO");
    }
}
