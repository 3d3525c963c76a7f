package dev.thinj.model.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.schedules.Schedule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registering functions: annotations, ServiceLoader libraries, code, and declaration mistakes. */
class RegistrationTest {
    /** Thinc's {@code @thinc.registry.schedules("my_schedule.v1")}, the Java way. */
    static final class Mine {
        private Mine() {
        }

        @Registered(registry = "schedules", name = "halving.v1")
        static Schedule halving(@Arg("start") double start, @Arg(value = "floor", defaultJson = "0.0") double floor) {
            return step -> Math.max(floor, start / Math.pow(2, step));
        }

        @Registered(registry = "layers", name = "sum.v1")
        static long sum(@Arg("*") long... values) {
            long s = 0;
            for (long v : values) {
                s += v;
            }
            return s;
        }
    }

    static final class NoAnnotations {
        private NoAnnotations() {
        }

        static int nothing() {
            return 0;
        }
    }

    static final class MissingArg {
        private MissingArg() {
        }

        @Registered(registry = "layers", name = "bad.v1")
        static int bad(int x) {
            return x;
        }
    }

    static final class NotStatic {
        @Registered(registry = "layers", name = "bad.v1")
        int bad(@Arg("x") int x) {
            return x;
        }
    }

    static final class BadDefault {
        private BadDefault() {
        }

        @Registered(registry = "layers", name = "bad.v1")
        static int bad(@Arg(value = "x", defaultJson = "\"three\"") int x) {
            return x;
        }
    }

    static final class UnknownCategory {
        private UnknownCategory() {
        }

        @Registered(registry = "layer", name = "bad.v1")
        static int bad() {
            return 0;
        }
    }

    @Test
    void annotatedFunctionsAreCalledFromConfigs() {
        Registry r = Registry.builtins().registerAll(Mine.class);
        Resolved resolved = r.resolve(Config.parse("[optimizer]\n@optimizers = \"Adam.v1\"\n\n[optimizer.learn_rate]\n"
                + "@schedules = \"halving.v1\"\nstart = 0.8\n\n[total]\n@layers = \"sum.v1\"\n* = [1, 2, 3]\n"));
        assertThat(resolved.get("total")).isEqualTo(6L);
        assertThat(resolved.get("optimizer", dev.thinj.model.optimizers.Optimizer.class).learnRate()).isEqualTo(0.8);
        assertThat(r.get("schedules", "halving.v1")).hasToString("halving.v1(start, floor=0.0)");
        assertThat(r.fill(Config.parse("[s]\n@schedules = \"halving.v1\"\nstart = 1\n")).get("s.floor")).isEqualTo(0.0);
    }

    @Test
    void libraryFoundByServiceLoaderIsInTheGlobalRegistry() {
        // ThincDocsFunctions is listed in this module's test META-INF/services.
        assertThat(Registry.global().has("schedules", "my_schedule.v1")).isTrue();
        assertThat(Registry.global().categories()).contains("visualizers");
        assertThat(Registry.builtins().has("schedules", "my_schedule.v1")).isFalse();
    }

    @Test
    void functionsFromCode() {
        Registry r = Registry.builtins();
        r.addCategory("visualizers");
        r.register(RegisteredFunction.of("visualizers", "echo.v1",
                List.of(new Param("word", String.class, false, "hi", false)), args -> args.get(0) + "!"));
        assertThat(r.resolve(Config.parse("[v]\n@visualizers = \"echo.v1\"\n")).get("v")).isEqualTo("hi!");
        assertThatThrownBy(() -> r.addCategory("visualizers")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("registry \"visualizers\" already exists");
    }

    @Test
    void copiesAreIndependent() {
        Registry original = Registry.builtins();
        Registry copy = original.copy().registerAll(Mine.class);
        assertThat(copy.has("schedules", "halving.v1")).isTrue();
        assertThat(original.has("schedules", "halving.v1")).isFalse();
    }

    @Test
    void registeringAgainReplacesAsInThinc() {
        Registry r = Registry.builtins();
        r.register(RegisteredFunction.of("schedules", "constant.v1", List.of(), args -> Schedule.constant(7)));
        assertThat(r.resolve(Config.parse("[s]\n@schedules = \"constant.v1\"\n")).get("s", Schedule.class).valueAt(0))
                .isEqualTo(7.0);
    }

    @Test
    void declarationMistakesAreCaughtWhenRegistering() {
        Registry r = Registry.builtins();
        assertThatThrownBy(() -> r.registerAll(NoAnnotations.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no @Registered methods");
        assertThatThrownBy(() -> r.registerAll(MissingArg.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs an @Arg with its config name");
        assertThatThrownBy(() -> r.registerAll(NotStatic.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be static");
        assertThatThrownBy(() -> r.registerAll(BadDefault.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the default of \"x\" does not fit its type: expected an integer, got \"three\"");
        assertThatThrownBy(() -> r.registerAll(UnknownCategory.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("there is no registry \"layer\"; did you mean layers?");
    }

    @Test
    void lookupWithoutAConfigStillSuggests() {
        assertThatThrownBy(() -> Registry.builtins().get("optimizers", "adam.v1")).isInstanceOf(ConfigException.class)
                .hasMessage("no function \"adam.v1\" in registry \"optimizers\"; did you mean Adam.v1, RAdam.v1?");
    }

    // ---- records: sections with a declared shape, as Thinc's pydantic schemas --------------------

    /** usage-config.md's TrainingSchema, after its update ("Filling a config with defaults"). */
    record TrainingSchema(
            @Arg("patience") int patience,
            @Arg("dropout") double dropout,
            @Arg(value = "use_vectors", defaultJson = "false") boolean useVectors,
            @Arg(value = "use_tok2vec", defaultJson = "false") boolean useTok2vec,
            @Arg(value = "max_epochs", defaultJson = "100") int maxEpochs) {
    }

    record FillSchema(@Arg("training") TrainingSchema training) {
    }

    /** usage-config.md's NlpSchema and ConfigBaseSchema ("Using a base schema"). */
    record NlpSchema(@Arg("lang") String lang, @Arg("pipeline") List<String> pipeline) {
    }

    record BaseSchema(@Arg("training") TrainingSchema training, @Arg("nlp") NlpSchema nlp) {
    }

    @Test
    void fillWithASchemaAddsItsDefaults() {
        // usage-config.md: the "Before" config, filled, is its "After" config.
        Config before = Config.parse(ThincExampleConfigsTest.text("thinc/usage-config-fill-schema-before.cfg"));
        Config after = Registry.global().fill(before, FillSchema.class);
        assertThat(after).isEqualTo(Config.parse(
                "[training]\npatience = 10\ndropout = 0.2\nuse_vectors = false\nuse_tok2vec = false\nmax_epochs = 100\n"));
    }

    @Test
    void resolveWithASchemaBuildsTheRecord() {
        Config config = Config.parse(ThincExampleConfigsTest.text("thinc/usage-config-base-schema.cfg"), "config.cfg");
        BaseSchema s = Registry.global().resolve(config, BaseSchema.class);
        assertThat(s.training()).isEqualTo(new TrainingSchema(10, 0.2, false, false, 100));
        assertThat(s.nlp()).isEqualTo(new NlpSchema("en", List.of("tagger", "parser")));
        assertThatThrownBy(() -> Registry.global().resolve(config.withOverrides(Map.of("training.patience", "ten")),
                BaseSchema.class)).isInstanceOf(ConfigException.class)
                .hasMessage("<override> [training] patience: expected an integer, got \"ten\"");
        assertThatThrownBy(() -> Registry.global().resolve(config.withOverrides(Map.of("nlp.langs", "en")),
                BaseSchema.class)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("<override> [nlp] langs: unexpected key \"langs\" for NlpSchema; did you mean lang?");
    }

    @Test
    void recordArgumentsAreSectionsCheckedLikeBlocks() {
        // usage-config.md: logging_config is a pydantic model; here a record.
        Registry r = Registry.global().copy().registerAll(ThincDocsFunctions.LoggingVariant.class);
        Config config = Config.parse(ThincExampleConfigsTest.text("thinc/usage-config-logging-config.cfg"), "config.cfg");
        ThincDocsFunctions.MyCoolOptimizer o = r.resolve(config).get("optimizer", ThincDocsFunctions.MyCoolOptimizer.class);
        assertThat(o.settings()[1]).isEqualTo(new ThincDocsFunctions.LoggingConfig("my_logger", "DEBUG", false));
        Config bad = config.withOverrides(Map.of("optimizer.logging_config.level", "LOUD"));
        assertThatThrownBy(() -> r.resolve(bad)).isInstanceOf(ConfigException.class)
                .hasMessage("config.cfg:6 [optimizer.logging_config]: LoggingConfig refused these values: log_level must"
                        + " be DEBUG, INFO, WARNING or ERROR, got LOUD");
        Config filled = r.fill(config.withOverrides(Map.of("optimizer.logging_config.use_colors", true)));
        assertThat(filled.get("optimizer.logging_config.use_colors")).isEqualTo(true);
        assertThat(r.fill(Config.parse("[o]\n@optimizers = \"my_cool_optimizer.v1\"\nlearn_rate = 0.1\n\n"
                + "[o.logging_config]\nname = \"x\"\n")).get("o.logging_config"))
                .isEqualTo(Map.of("name", "x", "level", "INFO", "use_colors", true));
    }
}
