package dev.thinj.model.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thinj.model.ThincJson;
import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.config.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * thinj's built-ins against Thinc 8.1.7's registry (the "signatures" of thinc_configs.json): the same
 * names, the same parameters in the same order, the same defaults; and every built-in resolves.
 */
class BuiltinsTest {
    private static final JsonNode THINC = ThincJson.load("/fixtures/thinc_configs.json").get("signatures");
    /** Registered here but not in Thinc 8.1: Thinc 9's plateau, and backend names of the ops registry. */
    private static final Set<String> NOT_IN_THINC_8 = Set.of("schedules/plateau.v1", "ops/cpu", "ops/cuda", "ops/auto");

    private final Registry builtins = Registry.builtins();

    @Test
    void hasThincsCategories() {
        assertThat(builtins.categories()).containsExactlyInAnyOrder("layers", "optimizers", "schedules", "losses",
                "initializers", "datasets", "ops");
        // The Fashion-MNIST loader comes with the CLI's data readers; until then the category is empty.
        assertThat(builtins.names("datasets")).isEmpty();
    }

    @Test
    void registersThincsNames() {
        assertThat(builtins.names("optimizers")).contains("Adam.v1", "SGD.v1", "RAdam.v1");
        assertThat(builtins.names("schedules")).contains("compounding.v1", "warmup_linear.v1", "decaying.v1",
                "slanted_triangular.v1", "cyclic_triangular.v1", "constant.v1", "constant_then.v1");
        assertThat(builtins.names("losses")).contains("CategoricalCrossentropy.v1", "CategoricalCrossentropy.v2",
                "CategoricalCrossentropy.v3", "SequenceCategoricalCrossentropy.v1", "SequenceCategoricalCrossentropy.v2",
                "SequenceCategoricalCrossentropy.v3", "L2Distance.v1", "CosineDistance.v1");
        assertThat(builtins.names("layers")).contains("Relu.v1", "Linear.v1", "Softmax.v1", "Softmax.v2", "Dropout.v1",
                "Maxout.v1", "LayerNorm.v1", "Sigmoid.v1", "chain.v1", "residual.v1", "concatenate.v1", "clone.v1");
        assertThat(builtins.names("initializers")).contains("glorot_uniform_init.v1", "zero_init.v1",
                "uniform_init.v1", "normal_init.v1");
        assertThat(builtins.names("ops")).contains("NumpyOps", "CupyOps", "cpu");
    }

    @Test
    void takeThincsArgumentsAndDefaults() {
        int checked = 0;
        for (String category : builtins.categories()) {
            for (String name : builtins.names(category)) {
                JsonNode thinc = THINC.path(category).get(name);
                if (thinc == null) {
                    assertThat(NOT_IN_THINC_8).as("%s/%s is not registered in Thinc 8.1.7", category, name)
                            .contains(category + "/" + name);
                    continue;
                }
                List<List<Object>> expected = new ArrayList<>();
                for (JsonNode p : thinc) {
                    String dflt = p.get(1).isTextual() && p.get(1).asText().equals("<required>") ? "<required>" : null;
                    expected.add(List.of(p.get(0).asText(), dflt != null ? dflt : String.valueOf(JsonValues.parse(p.get(1).toString()))));
                }
                List<List<Object>> actual = new ArrayList<>();
                for (Param p : builtins.get(category, name).params()) {
                    actual.add(List.of(p.name(), p.required() || p.positional() ? "<required>" : String.valueOf(p.defaultValue())));
                }
                assertThat(actual).as("%s/%s", category, name).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(35);
    }

    /** A plausible value for each required argument of a built-in. */
    private static final Map<String, Object> SAMPLES = Map.ofEntries(
            Map.entry("learn_rate", 0.1), Map.entry("rate", 0.1), Map.entry("steps", 2L),
            Map.entry("schedule", Map.of("@schedules", "constant.v1", "rate", 0.1)),
            Map.entry("base_rate", 0.1), Map.entry("decay", 0.01), Map.entry("start", 1L), Map.entry("stop", 10L),
            Map.entry("compound", 1.1), Map.entry("max_rate", 0.1), Map.entry("num_steps", 100L),
            Map.entry("initial_rate", 0.1), Map.entry("warmup_steps", 10L), Map.entry("total_steps", 100L),
            Map.entry("min_lr", 0.01), Map.entry("max_lr", 0.1), Map.entry("period", 10L),
            Map.entry("max_patience", 2L), Map.entry("scale", 0.5),
            Map.entry("layer", Map.of("@layers", "Relu.v1", "nO", 2L)),
            Map.entry("orig", Map.of("@layers", "Relu.v1", "nO", 2L)), Map.entry("n", 2L),
            Map.entry("*", Map.of("a", Map.of("@layers", "Relu.v1", "nO", 2L), "b", Map.of("@layers", "Relu.v1", "nO", 2L))));

    @Test
    void everyBuiltinResolves() {
        int resolved = 0;
        for (String category : builtins.categories()) {
            for (String name : builtins.names(category)) {
                Map<String, Object> block = new LinkedHashMap<>();
                block.put("@" + category, name);
                for (Param p : builtins.get(category, name).params()) {
                    if (p.required() || p.positional()) {
                        assertThat(SAMPLES).as("a sample for %s of %s", p.name(), name).containsKey(p.name());
                        block.put(p.name(), SAMPLES.get(p.name()));
                    }
                }
                Config config = Config.of(Map.of("x", block));
                try {
                    assertThat(builtins.resolve(config).get("x")).as("%s/%s", category, name).isNotNull();
                    resolved++;
                } catch (ConfigException e) {
                    // Only a GPU backend may be missing on this machine, and then it says why.
                    assertThat(name).as(e.getMessage()).isIn("CupyOps", "cuda");
                    assertThat(e.getMessage()).contains("failed:");
                }
            }
        }
        assertThat(resolved).isGreaterThanOrEqualTo(40);
    }
}
