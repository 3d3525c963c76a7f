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

/**
 * The corners of {@link Config} the main tests pass by: where a config says it came from, how
 * locations and values are described in messages, keys the writer must refuse or write inline, a
 * failed write, and an override flag with no value.
 */
class ConfigEdgesTest {
    @Test
    void aConfigKnowsItsSourceAndHashesByValue() {
        assertThat(Config.parse("[a]\nx = 1\n", "a.cfg").source()).isEqualTo("a.cfg");
        assertThat(Config.parse("[a]\nx = 1\n").source()).isEqualTo("<string>");
        assertThat(Config.of(Map.of("a", Map.of("x", 1L))).source()).isNull();
        Config one = Config.parse("[a]\nx = 1\n");
        Config two = Config.parse("[a]\nx = 2\n");
        assertThat(one.hashCode()).isEqualTo(Config.parse("[a]\nx = 1\n", "other.cfg").hashCode())
                .isNotEqualTo(two.hashCode());
    }

    @Test
    void locationsReadAsFileLineSectionKey() {
        assertThat(new Location("f.cfg", 3, "s", "k")).hasToString("f.cfg:3 [s] k");
        assertThat(new Location("f.cfg", 0, null, null)).hasToString("f.cfg");
        assertThat(new Location(null, 1, "s", null)).hasToString("line 1 [s]");
        assertThat(new Location(null, 0, "s", "k")).hasToString("[s] k");
        assertThat(new Location(null, 0, null, "k")).hasToString("k");
        assertThat(new Location(null, 0, null, null)).hasToString("");
    }

    @Test
    void theLocationOfAMissingKeyIsItsSectionsLineWithTheKey() {
        Config c = Config.parse("[a]\nx = 1\n\n[a.b]\ny = {\"z\": 1}\n", "c.cfg");
        assertThat(c.location("a.b.y.z")).isEqualTo(new Location("c.cfg", 5, "a.b", "y"));
        assertThat(c.location("a.b.w")).isEqualTo(new Location("c.cfg", 4, "a.b", "w"));
        assertThat(c.location("a")).isEqualTo(new Location("c.cfg", 1, "a", null));
        assertThat(c.location("nowhere.at.all")).isEqualTo(new Location("c.cfg", 0, null, null));
    }

    @Test
    void longValuesAreAbbreviatedInMessagesAtEightyCharacters() {
        String eighty = "x".repeat(80);
        String eightyOne = "x".repeat(81);
        assertThat(ConfigText.quote(eighty)).isEqualTo("\"" + eighty + "\"");
        assertThat(ConfigText.quote(eightyOne)).isEqualTo("\"" + "x".repeat(77) + "...\"");
        assertThat(JsonValues.describe("x".repeat(78))).hasSize(80);
        assertThat(JsonValues.describe("x".repeat(79))).endsWith("...").hasSize(80);
        assertThat(JsonValues.describe(new Object())).isEqualTo("an Object");
        assertThat(JsonValues.describe(Thread.currentThread())).isEqualTo("a Thread");
        assertThat(JsonValues.describe(List.of(1L, 2L))).isEqualTo("a list [1,2]");
        assertThat(JsonValues.describe(Map.of("k", 1L))).isEqualTo("a section {\"k\":1}");
        assertThat(JsonValues.startsWithVowel("")).isFalse();
        assertThat(JsonValues.startsWithVowel("u")).isTrue();
        assertThat(JsonValues.startsWithVowel("Z")).isFalse();
    }

    @Test
    void keysTheFormatCannotHoldAreRefusedOrWrittenInline() {
        for (String key : List.of("=x", ":x", "\nx", "\rx", "x\r", "[x", "#x", ";x", " x", "")) {
            assertThatThrownBy(() -> Config.of(Map.of("a", Map.of(key, 1L)))).as("key %s", JsonValues.write(key))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("cannot write the key");
        }
        // A map under a key that cannot name a section is written as an inline value instead.
        for (String key : List.of(".x", "x.", "]x", "x]")) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put(key, Map.of("inline", 1L));
            Config c = Config.of(Map.of("a", a));
            assertThat(c.toString()).as("key %s", key).contains(key + " = {\"inline\":1}");
            assertThat(Config.parse(c.toString())).isEqualTo(c);
        }
        assertThatThrownBy(() -> Config.of(Map.of("a", Map.of("\nx", Map.of("y", 1L))))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Config.of(Map.of("a.b", Map.of("x", 1L)))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot write a section named");
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileBehind(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("busy.cfg");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");
        assertThatThrownBy(() -> Config.parse("[a]\nx = 1\n").write(target)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("busy.cfg").hasMessageContaining("cannot write the config");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aSectionHeaderNeedsANameAndABlankLineInsideAValueIsKept() {
        assertThatThrownBy(() -> Config.parse("[]\nx = 1\n", "c.cfg")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("c.cfg:1");
        Config c = Config.parse("[a]\nl = [\n    1,\n\n    2\n    ]\n");
        assertThat(c.get("a.l")).isEqualTo(List.of(1L, 2L));
        assertThat(c.toString()).isEqualTo("[a]\nl = [\n    1,\n\n    2\n    ]\n");
    }

    @Test
    void aFlagWithoutAValueIsTrueWhereverItStands() {
        assertThat(Overrides.fromArgs(List.of("--training.resume"))).isEqualTo(Map.of("training.resume", true));
        assertThat(Overrides.fromArgs(List.of("--a.b", "--c.d", "2"))).isEqualTo(Map.of("a.b", true, "c.d", 2L));
        assertThat(Overrides.fromArgs(List.of("--a.b=x=y"))).isEqualTo(Map.of("a.b", "x=y"));
        assertThatThrownBy(() -> Overrides.fromArgs(List.of("--"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected a config override");
        assertThatThrownBy(() -> Overrides.fromArgs(List.of("--ab", "1"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("names a section and a key");
    }
}
