package dev.thinj.model.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.DimensionException;
import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.layers.LayerNorm;
import dev.thinj.model.layers.Linear;
import dev.thinj.model.layers.Maxout;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A width that no layer can have (zero, negative) is refused when the layer is built, naming the
 * layer and the dim; through a config, naming the config line (or the override) and the function,
 * never the kernel that would otherwise fail at initialisation.
 */
class LayerDimensionsTest {
    private static final String CHAIN = String.join("\n", "[model]", "@layers = \"chain.v1\"", "",
            "[model.*.hidden]", "@layers = \"%s\"", "%s = %s", "", "[model.*.output]", "@layers = \"Softmax.v1\"", "");

    private static ConfigException resolveError(Config config) {
        try {
            Registry.global().resolve(config);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + config);
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @CsvSource({"Relu.v1, nO, -5", "Relu.v1, nI, 0", "Linear.v1, nO, 0", "Sigmoid.v1, nI, -1", "Softmax.v1, nO, -10",
        "Maxout.v1, nP, 0", "Maxout.v1, nO, -2", "LayerNorm.v1, nI, 0"})
    void aBadWidthInTheFileNamesTheLineAndTheLayer(String layer, String dim, int value) {
        ConfigException e = resolveError(Config.parse(String.format(CHAIN, layer, dim, value), "config.cfg"));
        assertThat(e.getMessage()).isEqualTo("config.cfg:6 [model.*.hidden] " + dim + ": " + layer + ": " + dim
                + " must be positive, got " + value);
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.key()).isEqualTo(dim);
        assertThat(e.getCause()).isInstanceOf(DimensionException.class);
    }

    @Test
    void aBadWidthFromAnOverrideSaysSo() {
        Config config = Config.parse(String.format(CHAIN, "Relu.v1", "nO", 512), "mlp.cfg",
                Map.of("model.*.hidden.nO", -5));
        assertThat(resolveError(config).getMessage())
                .isEqualTo("<override> [model.*.hidden] nO: Relu.v1: nO must be positive, got -5");
    }

    @Test
    void theJavaFactoriesRefuseBadWidthsNamingTheLayer() {
        assertThatThrownBy(() -> Relu.of(-5)).isInstanceOf(DimensionException.class)
                .hasMessage("Layer 'relu': nO must be positive, got -5");
        assertThatThrownBy(() -> Linear.of(0, 3)).isInstanceOf(DimensionException.class)
                .hasMessage("Layer 'linear': nO must be positive, got 0");
        assertThatThrownBy(() -> Softmax.of(10, -1)).isInstanceOf(DimensionException.class)
                .hasMessageContaining("nI must be positive, got -1");
        assertThatThrownBy(() -> Maxout.of(4, 3, 0, null, false)).isInstanceOf(DimensionException.class)
                .hasMessageContaining("nP must be positive, got 0");
        DimensionException e = (DimensionException) org.assertj.core.api.Assertions.catchThrowable(() -> LayerNorm.of(0));
        assertThat(e.layer()).isEqualTo("layernorm");
        assertThat(e.dim()).isEqualTo("nI");
        assertThat(e.value()).isZero();
    }

    @Test
    void unsetWidthsAreStillInferred() {
        assertThat(Relu.of(null, null, null, false).hasDim("nI")).isFalse();
    }
}
