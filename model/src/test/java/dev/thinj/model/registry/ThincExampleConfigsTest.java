package dev.thinj.model.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thinj.model.ThincJson;
import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.config.JsonValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Thinc's own example configs, copied unchanged from its documentation (see
 * make_config_fixtures.py for each one's source), against what Thinc 8.1.7 made of them: the
 * parsed tree must be equal, the same configs must resolve, and filling must add the same defaults.
 * The docs' broken examples must fail here too, with a message that says where and why.
 */
class ThincExampleConfigsTest {
    private static final JsonNode FIXTURES = ThincJson.load("/fixtures/thinc_configs.json");

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : FIXTURES.get("configs")) {
            out.add(Arguments.of(c.get("file").asText(), c));
        }
        return out.stream();
    }

    static String text(String file) {
        try (InputStream in = ThincExampleConfigsTest.class.getResourceAsStream("/config/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Registry registryFor(String variant) {
        Registry global = Registry.global();
        return switch (variant) {
            case "docs" -> global;
            case "api" -> global.copy().registerAll(ThincDocsFunctions.ApiVariant.class);
            case "strict" -> global.copy().registerAll(ThincDocsFunctions.StrictVariant.class);
            case "logging" -> global.copy().registerAll(ThincDocsFunctions.LoggingVariant.class);
            default -> throw new IllegalArgumentException(variant);
        };
    }

    static Object tree(JsonNode node) {
        return JsonValues.parse(node.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void parsesToThincsTree(String file, JsonNode fixture) {
        Config config = Config.parse(text(file), file);
        assertThat(fixture.get("parse_error").isNull()).isTrue();
        assertThat((Object) config.toMap()).isEqualTo(tree(fixture.get("parsed")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void writesBackToAnEqualConfig(String file, JsonNode fixture) {
        Config config = Config.parse(text(file), file);
        Config again = Config.parse(config.toString(), file);
        assertThat(again).isEqualTo(config);
        assertThat(Config.parse(config.interpolate().toString())).isEqualTo(config);
        assertThat(Config.of(config.toMap())).isEqualTo(config);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void resolvesWhereThincResolves(String file, JsonNode fixture) {
        Config config = Config.parse(text(file), file);
        Registry registry = registryFor(fixture.get("functions").asText());
        if (fixture.get("resolves").asBoolean()) {
            Resolved r = registry.resolve(config);
            assertThat(r.asMap().keySet()).containsExactlyElementsOf(config.toMap().keySet());
            // Thinc's filled config from the same pass: the same defaults, in the same places.
            assertThat((Object) r.filled().toMap()).isEqualTo(tree(fixture.get("resolve_filled")));
            assertThat((Object) registry.fill(config).toMap()).isEqualTo(tree(fixture.get("resolve_filled")));
            for (Map.Entry<String, JsonNode> e : fixture.get("resolved_types").properties()) {
                assertThat(r.get(e.getKey())).as(e.getKey() + " (Thinc: " + e.getValue().asText() + ")")
                        .isNotNull().isNotInstanceOf(Map.class);
            }
        } else {
            assertThatThrownBy(() -> registry.resolve(config)).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).file()).isEqualTo(file))
                    .satisfies(e -> assertThat(((ConfigException) e).line()).isPositive());
        }
    }
}
