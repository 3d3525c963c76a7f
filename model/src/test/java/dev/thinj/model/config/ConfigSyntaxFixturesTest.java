package dev.thinj.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thinj.model.ThincJson;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The format's rules, case by case, against confection 0.0.4 (the "syntax" cases of
 * thinc_configs.json, written by make_config_fixtures.py): the same tree, or an error where
 * confection fails, and then a {@link ConfigException} with a line number.
 */
class ConfigSyntaxFixturesTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : ThincJson.load("/fixtures/thinc_configs.json").get("syntax")) {
            out.add(Arguments.of(c.get("name").asText(), c));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsAsConfectionDoes(String name, JsonNode c) {
        String text = c.get("text").asText();
        if (c.get("error").isNull()) {
            Config config = Config.parse(text, "case.cfg");
            assertThat((Object) config.toMap()).isEqualTo(JsonValues.parse(c.get("parsed").toString()));
            assertThat(Config.parse(config.toString())).isEqualTo(config);
        } else {
            assertThatThrownBy(() -> Config.parse(text, "case.cfg"))
                    .as("confection: " + c.get("error").asText())
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).line()).isPositive())
                    .hasMessageStartingWith("case.cfg:");
        }
    }
}
