package dev.thinj.model.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.thinj.model.Model;
import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.layers.WeightInit;
import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.schedules.Schedule;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resolving and filling configs with the registry, its errors, and registering functions. */
class RegistryTest {
    private final Registry registry = Registry.global();

    private static Config cfg(String... lines) {
        return Config.parse(String.join("\n", lines) + "\n", "config.cfg");
    }

    private ConfigException resolveError(Config config) {
        return resolveError(registry, config);
    }

    private static ConfigException resolveError(Registry registry, Config config) {
        try {
            registry.resolve(config);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + config);
    }

    // ---- resolving ----------------------------------------------------------------------------------

    @Test
    void aScheduleUsedAsLearnRateArrivesAsASchedule() {
        Resolved r = registry.resolve(cfg(
                "[optimizer]",
                "@optimizers = \"Adam.v1\"",
                "",
                "[optimizer.learn_rate]",
                "@schedules = \"warmup_linear.v1\"",
                "initial_rate = 0.01",
                "warmup_steps = 2",
                "total_steps = 10"));
        Optimizer optimizer = r.get("optimizer", Optimizer.class);
        assertThat(optimizer.learnRate()).isEqualTo(0.0);
        optimizer.stepSchedules();
        assertThat(optimizer.learnRate()).isCloseTo(0.005, within(1e-12));
    }

    @Test
    void nestedBlocksBuildNestedModels() {
        Resolved r = registry.resolve(cfg(
                "[model]",
                "@layers = \"chain.v1\"",
                "",
                "[model.*.hidden]",
                "@layers = \"residual.v1\"",
                "",
                "[model.*.hidden.layer]",
                "@layers = \"Relu.v1\"",
                "nO = 4",
                "",
                "[model.*.out]",
                "@layers = \"Softmax.v2\"",
                "nO = 3",
                "temperature = 2"));
        Model<?, ?> model = r.get("model", Model.class);
        assertThat(model.layers()).hasSize(2);
        assertThat(model.layers().get(0).name()).startsWith("residual");
        assertThat(model.layers().get(1).<Float>attr("softmax_temperature")).isEqualTo(2f);
    }

    @Test
    void positionalArgumentsFromAListOrSections() {
        Resolved r = registry.resolve(cfg(
                "[schedule]",
                "@schedules = \"my_cool_schedule.v1\"",
                "* = [0.1, 0.2]",
                "final = 0.5",
                "",
                "[plain]",
                "",
                "[plain.*.a]",
                "x = 1",
                "",
                "[plain.*.b]",
                "x = 2"));
        Schedule s = r.get("schedule", Schedule.class);
        assertThat(List.of(s.valueAt(0), s.valueAt(1), s.valueAt(2), s.valueAt(9))).containsExactly(0.1, 0.2, 0.5, 0.5);
        // Outside blocks, positional sections also become a list, as in Thinc.
        assertThat(r.get("plain.*")).isEqualTo(List.of(Map.of("x", 1L), Map.of("x", 2L)));
    }

    @Test
    void valuesOutsideBlocksStayAsTheyAre() {
        Resolved r = registry.resolve(cfg("[training]", "batch_size = 128", "patience = 10", "lang = en"));
        assertThat(r.get("training.batch_size")).isEqualTo(128L);
        assertThat(r.get("training.batch_size", int.class)).isEqualTo(128);
        assertThat(r.get("training.batch_size", Schedule.class).valueAt(5)).isEqualTo(128.0);
        assertThat(r.get("training.lang", String.class)).isEqualTo("en");
        assertThatThrownBy(() -> r.get("training.lang", Model.class)).isInstanceOf(ConfigException.class)
                .hasMessage("config.cfg:4 [training] lang: expected a Model, got \"en\"");
        assertThatThrownBy(() -> r.get("training.batch_sise")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("did you mean batch_size?");
    }

    @Test
    void initializersConfigureLayerWeights() {
        Resolved r = registry.resolve(cfg(
                "[model]",
                "@layers = \"Linear.v1\"",
                "nO = 3",
                "nI = 5",
                "",
                "[model.init_W]",
                "@initializers = \"uniform_init.v1\"",
                "lo = 0.5",
                "hi = 0.75",
                "",
                "[model.init_b]",
                "@initializers = \"normal_init.v1\"",
                "mean = 1.0"));
        @SuppressWarnings("unchecked")
        Model<FloatArray, FloatArray> model = r.get("model", Model.class);
        model.initialize();
        for (float w : model.getParam("W").toFloatArray()) {
            assertThat(w).isBetween(0.5f, 0.75f);
        }
        assertThat(model.getParam("b").toFloatArray()).hasSize(3).doesNotContain(0f);
        assertThat(registry.resolve(cfg("[init]", "@initializers = \"zero_init.v1\"")).get("init", WeightInit.class))
                .isSameAs(WeightInit.ZEROS);
    }

    @Test
    void theOpsRegistryGivesBackends() {
        Resolved r = registry.resolve(cfg("[a]", "@ops = \"NumpyOps\"", "", "[b]", "@ops = \"cpu\""));
        assertThat(r.get("a", Ops.class)).isSameAs(Ops.get("cpu"));
        assertThat(r.get("b", Ops.class)).isSameAs(Ops.get("cpu"));
        // A plain name works too, wherever a backend is expected.
        Resolved named = registry.resolve(cfg("[training]", "ops = \"cpu\"", "other = \"nope\""));
        assertThat(named.get("training.ops", Ops.class)).isSameAs(Ops.get("cpu"));
        assertThatThrownBy(() -> named.get("training.other", Ops.class)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config.cfg:3 [training] other: backend \"nope\" cannot be used: ");
        // A backend that cannot run here is a config error that says why, never a bare exception.
        try {
            registry.resolve(cfg("[ops]", "@ops = \"CupyOps\""));
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("config.cfg:2 [ops] @ops: CupyOps failed: ");
        }
    }

    @Test
    void lossesWithTheirOptions() {
        Resolved r = registry.resolve(cfg(
                "[loss]",
                "@losses = \"CategoricalCrossentropy.v3\"",
                "names = [\"cat\", \"dog\"]",
                "missing_value = \"\"",
                "label_smoothing = 0.1"));
        CategoricalCrossentropy loss = r.get("loss", CategoricalCrossentropy.class);
        assertThat(loss.names()).containsExactly("cat", "dog");
        assertThat(loss.missingValue()).isEqualTo("");
        assertThat(loss.labelSmoothing()).isEqualTo(0.1);
        assertThat(resolveError(cfg("[loss]", "@losses = \"CategoricalCrossentropy.v1\"", "missing_value = 1.5")).getMessage())
                .contains("missing_value must be a string or an integer, got 1.5");
    }

    // ---- errors -------------------------------------------------------------------------------------

    @Test
    void unknownFunctionNamesTheClosest() {
        ConfigException e = resolveError(cfg("[model]", "@layers = \"Relu.v0\""));
        assertThat(e.getMessage()).isEqualTo("config.cfg:2 [model] @layers: no function \"Relu.v0\" in registry"
                + " \"layers\"; did you mean Relu.v1?");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.key()).isEqualTo("@layers");
        assertThat(resolveError(cfg("[s]", "@schedules = \"decaying\"")).getMessage()).endsWith("did you mean decaying.v1?");
        assertThat(resolveError(cfg("[s]", "@schedules = \"zzz\"")).getMessage())
                .contains("(registered: ").contains("compounding.v1");
    }

    @Test
    void unknownRegistryNamesTheClosest() {
        assertThat(resolveError(cfg("[model]", "@layer = \"Relu.v1\"")).getMessage())
                .startsWith("config.cfg:2 [model] @layer: unknown registry \"layer\"; did you mean layers?");
    }

    @Test
    void missingArgumentNamesTheBlock() {
        ConfigException e = resolveError(cfg("[optimizer]", "@optimizers = \"SGD.v1\"", "L2 = 0.1"));
        assertThat(e.getMessage()).isEqualTo("config.cfg:1 [optimizer]: SGD.v1: missing argument \"learn_rate\""
                + " (SGD.v1 takes learn_rate, L2, grad_clip, L2_is_weight_decay, use_averages)");
    }

    @Test
    void unexpectedArgumentSuggestsTheIntendedOne() {
        ConfigException e = resolveError(cfg("[optimizer]", "@optimizers = \"Adam.v1\"", "learning_rate = 0.1"));
        assertThat(e.getMessage()).startsWith("config.cfg:3 [optimizer] learning_rate: unexpected argument"
                + " \"learning_rate\" for Adam.v1; did you mean learn_rate? (Adam.v1 takes learn_rate, L2,");
        assertThat(resolveError(cfg("[d]", "@layers = \"Dropout.v1\"", "* = [1]")).getMessage())
                .startsWith("config.cfg:3 [d] *: Dropout.v1 takes no positional arguments");
    }

    @Test
    void wrongTypeSaysWhatWasExpected() {
        assertThat(resolveError(cfg("[optimizer]", "@optimizers = \"Adam.v1\"", "learn_rate = abc")).getMessage())
                .isEqualTo("config.cfg:3 [optimizer] learn_rate: expected a number, a list of numbers or a schedule,"
                        + " got \"abc\"");
        assertThat(resolveError(cfg("[m]", "@layers = \"Relu.v1\"", "nO = 1.5")).getMessage())
                .isEqualTo("config.cfg:3 [m] nO: expected an integer, got 1.5");
        assertThat(resolveError(cfg("[m]", "@layers = \"Relu.v1\"", "normalize = maybe")).getMessage())
                .isEqualTo("config.cfg:3 [m] normalize: expected true or false, got \"maybe\"");
        assertThat(resolveError(cfg("[m]", "@layers = \"Maxout.v1\"", "nP = null")).getMessage())
                .isEqualTo("config.cfg:3 [m] nP: expected an integer, got null");
        assertThat(resolveError(cfg("[m]", "@layers = \"residual.v1\"", "", "[m.layer]",
                "@schedules = \"constant.v1\"", "rate = 1")).getMessage())
                .isEqualTo("config.cfg:4 [m.layer]: expected a Model, got a Constant (what @schedules ="
                        + " \"constant.v1\" returns)");
        assertThat(resolveError(cfg("[l]", "@losses = \"CategoricalCrossentropy.v2\"", "names = [\"a\", 3.5]"))
                .getMessage()).isEqualTo("config.cfg:3 [l] names[1]: expected a string, got 3.5");
    }

    @Test
    void allProblemsOfABlockAreReportedTogether() {
        ConfigException e = resolveError(cfg("[optimizer]", "@optimizers = \"SGD.v1\"", "L2 = x", "beta1 = 0.9"));
        assertThat(e.all()).hasSize(3);
        assertThat(e.getMessage().split("\n")).containsExactly(
                "config.cfg:1 [optimizer]: SGD.v1: missing argument \"learn_rate\" (SGD.v1 takes learn_rate, L2,"
                        + " grad_clip, L2_is_weight_decay, use_averages)",
                "config.cfg:3 [optimizer] L2: expected a number, a list of numbers or a schedule, got \"x\"",
                "config.cfg:4 [optimizer] beta1: unexpected argument \"beta1\" for SGD.v1 (SGD.v1 takes learn_rate,"
                        + " L2, grad_clip, L2_is_weight_decay, use_averages)");
    }

    @Test
    void aFunctionThatRefusesItsArgumentsIsAConfigError() {
        ConfigException e = resolveError(cfg("[model]", "@layers = \"chain.v1\"", "", "[model.*.drop]",
                "@layers = \"Dropout.v1\"", "rate = 1.5"));
        assertThat(e.getMessage()).isEqualTo("config.cfg:5 [model.*.drop] @layers: Dropout.v1 failed:"
                + " Dropout: rate must be in [0, 1], got 1.5");
        assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
        assertThat(resolveError(cfg("[model]", "@layers = \"chain.v1\"", "", "[model.*.only]",
                "@layers = \"Relu.v1\"")).getMessage())
                .contains("chain.v1 failed: chain.v1 needs at least two layers");
    }

    @Test
    void blockErrors() {
        assertThat(resolveError(cfg("[x]", "@layers = \"Relu.v1\"", "@schedules = \"constant.v1\"")).getMessage())
                .isEqualTo("config.cfg:1 [x]: a block calls one registered function, but this one has @layers and @schedules");
        assertThat(resolveError(cfg("[x]", "@layers = 3")).getMessage())
                .startsWith("config.cfg:2 [x] @layers: expected the name of a registered function");
    }

    // ---- filling ------------------------------------------------------------------------------------

    @Test
    void fillAddsDefaultsAndKeepsVariables() {
        Config config = cfg(
                "[hp]",
                "width = 32",
                "",
                "[model]",
                "@layers = \"Maxout.v1\"",
                "nO = ${hp.width}");
        Config filled = registry.fill(config);
        assertThat(filled.get("model")).isEqualTo(map("@layers", "Maxout.v1", "nO", 32L, "nI", null, "nP", 3L,
                "init_W", null, "init_b", null, "dropout", null, "normalize", false));
        assertThat(filled.toString()).contains("nO = ${hp.width}\nnI = null\nnP = 3\n");
        assertThat(Config.parse(filled.toString())).isEqualTo(filled);
        assertThat(registry.fill(filled)).isEqualTo(filled);
    }

    @Test
    void fillChecksValuesWithoutCallingFunctions() {
        // Filling does not call Dropout.v1, so its range check does not run; the types are checked.
        Config config = cfg("[model]", "@layers = \"Dropout.v1\"", "rate = 1.5");
        assertThat(registry.fill(config).get("model.rate")).isEqualTo(1.5);
        assertThatThrownBy(() -> registry.fill(cfg("[model]", "@layers = \"Dropout.v1\"", "rate = high")))
                .isInstanceOf(ConfigException.class).hasMessage("config.cfg:3 [model] rate: expected a number, got \"high\"");
        assertThatThrownBy(() -> registry.fill(cfg("[model]", "@layers = \"Relu.v0\"")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean Relu.v1?");
    }

    @Test
    void resolvedKeepsTheFilledConfig() {
        Resolved r = registry.resolve(cfg("[loss]", "@losses = \"L2Distance.v1\""));
        assertThat(r.filled().get("loss")).isEqualTo(Map.of("@losses", "L2Distance.v1", "normalize", true));
        assertThat(r.config().get("loss")).isEqualTo(Map.of("@losses", "L2Distance.v1"));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    // ---- overrides ----------------------------------------------------------------------------------

    @Test
    void overridesReachTheFunctions() {
        Config config = Config.parse("[optimizer]\n@optimizers = \"Adam.v1\"\nlearn_rate = 0.1\n", "config.cfg",
                Map.of("optimizer.beta1", 0.5, "optimizer.learn_rate", 0.2));
        assertThat(registry.resolve(config).get("optimizer", Optimizer.class).learnRate()).isEqualTo(0.2);
        assertThat(registry.fill(config).get("optimizer.beta1")).isEqualTo(0.5);
        assertThatThrownBy(() -> registry.resolve(config.withOverrides(Map.of("optimizer.beta3", 0.5))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("<override> [optimizer] beta3: unexpected argument \"beta3\" for Adam.v1;"
                        + " did you mean beta1, beta2?");
    }
}
