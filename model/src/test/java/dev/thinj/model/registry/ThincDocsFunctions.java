package dev.thinj.model.registry;

import dev.thinj.model.Model;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.schedules.Schedule;
import dev.thinj.ops.FloatArray;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The user functions of Thinc's documentation (usage-config.md, usage-training.md and the intro
 * notebook), registered the thinj way: {@link Registered} static methods in a {@link FunctionLibrary}
 * that {@code META-INF/services} lists, so {@link Registry#global()} finds them. Each mirrors the
 * Python function that make_config_fixtures.py registers for the same configs.
 */
public final class ThincDocsFunctions implements FunctionLibrary {
    /** What my_cool_optimizer.v1 returns in these tests. */
    public record MyCoolOptimizer(Object learnRate, Object... settings) {
    }

    /** What my_cool_visualizer.v1 returns. */
    public record MyCoolVisualizer(String fileFormat) {
    }

    /** The mnist_data.v1 placeholder: the notebook downloads MNIST; the tests need no data. */
    public record Dataset(String name) {
    }

    @Override
    public List<String> categories() {
        // usage-config.md: thinc.registry.create("visualizers")
        return List.of("visualizers");
    }

    /** usage-config.md: {@code make_my_optimizer(learn_rate: Union[float, Iterable[float]], gamma: float)}. */
    @Registered(registry = "optimizers", name = "my_cool_optimizer.v1")
    public static MyCoolOptimizer makeMyOptimizer(@Arg("learn_rate") Schedule learnRate, @Arg("gamma") double gamma) {
        return new MyCoolOptimizer(learnRate, gamma);
    }

    /** usage-config.md: the v2 that adds {@code gamma = 1e-8}, for the fill example. */
    @Registered(registry = "optimizers", name = "my_cool_optimizer.v2")
    public static MyCoolOptimizer myCoolOptimizerV2(
            @Arg("learn_rate") double learnRate,
            @Arg(value = "steps", defaultJson = "10") int steps,
            @Arg(value = "gamma", defaultJson = "1e-8") double gamma,
            @Arg(value = "log_level", defaultJson = "\"ERROR\"") String logLevel) {
        return new MyCoolOptimizer(learnRate, positive("steps", steps), gamma, level(logLevel));
    }

    /** usage-config.md: {@code decaying(base_rate, decay, *, t=0)}, a generator. */
    @Registered(registry = "schedules", name = "my_cool_decaying_schedule.v1")
    public static Iterator<Double> decaying(@Arg("base_rate") double baseRate, @Arg("decay") double decay,
            @Arg(value = "t", defaultJson = "0") long t) {
        return new Iterator<>() {
            private long step = t;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Double next() {
                return baseRate * (1.0 / (1.0 + decay * step++));
            }
        };
    }

    /** usage-config.md: {@code schedule(*steps: float, final: float = 1.0)}. */
    @Registered(registry = "schedules", name = "my_cool_schedule.v1")
    public static Schedule schedule(@Arg("*") double[] steps, @Arg(value = "final", defaultJson = "1.0") double last) {
        List<Double> values = new ArrayList<>();
        for (double s : steps) {
            values.add(s);
        }
        values.add(last);
        return Schedule.of(values);
    }

    /** usage-training.md: {@code my_schedule(values)}, forwards then backwards, forever. */
    @Registered(registry = "schedules", name = "my_schedule.v1")
    public static Schedule mySchedule(@Arg("values") List<Double> values) {
        return Schedule.of(new Iterator<Double>() {
            private int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Double next() {
                int cycle = i++ % (2 * values.size());
                return cycle < values.size() ? values.get(cycle) : values.get(2 * values.size() - 1 - cycle);
            }
        });
    }

    /** The intro notebook's {@code create_mnist(nO: int, dropout: float)}. */
    @Registered(registry = "layers", name = "MNIST.v1")
    public static Model<FloatArray, FloatArray> createMnist(@Arg("nO") int nO, @Arg("dropout") float dropout) {
        return Chain.of(Relu.of(nO, dropout), Relu.of(nO, dropout), Softmax.of());
    }

    /** The intro notebook's {@code mnist()} dataset loader. */
    @Registered(registry = "datasets", name = "mnist_data.v1")
    public static Dataset mnist() {
        return new Dataset("mnist");
    }

    /** usage-config.md: {@code my_cool_visualizer(file_format: str = "jpg")}. */
    @Registered(registry = "visualizers", name = "my_cool_visualizer.v1")
    public static MyCoolVisualizer myCoolVisualizer(@Arg(value = "file_format", defaultJson = "\"jpg\"") String format) {
        return new MyCoolVisualizer(format);
    }

    static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": ensure this value is greater than 0, got " + value);
        }
        return value;
    }

    static String level(String value) {
        if (!value.matches("DEBUG|INFO|WARNING|ERROR")) {
            throw new IllegalArgumentException("log_level must be DEBUG, INFO, WARNING or ERROR, got " + value);
        }
        return value;
    }

    /** api-config.md's variant: {@code make_my_optimizer(learn_rate: float, gamma: float)}. */
    public static final class ApiVariant {
        private ApiVariant() {
        }

        @Registered(registry = "optimizers", name = "my_cool_optimizer.v1")
        public static MyCoolOptimizer makeMyOptimizer(@Arg("learn_rate") double learnRate, @Arg("gamma") double gamma) {
            return new MyCoolOptimizer(learnRate, gamma);
        }
    }

    /** usage-config.md's pydantic variant: {@code learn_rate: StrictFloat, steps: PositiveInt = 10, log_level}. */
    public static final class StrictVariant {
        private StrictVariant() {
        }

        @Registered(registry = "optimizers", name = "my_cool_optimizer.v1")
        public static MyCoolOptimizer myCoolOptimizer(
                @Arg("learn_rate") double learnRate,
                @Arg(value = "steps", defaultJson = "10") int steps,
                @Arg(value = "log_level", defaultJson = "\"ERROR\"") String logLevel) {
            return new MyCoolOptimizer(learnRate, positive("steps", steps), level(logLevel));
        }
    }

    /** usage-config.md's pydantic model {@code LoggingConfig}, as a record: a section checked like a block. */
    public record LoggingConfig(
            @Arg("name") String name,
            @Arg(value = "level", defaultJson = "\"INFO\"") String level,
            @Arg(value = "use_colors", defaultJson = "true") boolean useColors) {
        /** Validates as the docs' {@code constr(regex=...)} does. */
        public LoggingConfig {
            ThincDocsFunctions.level(level);
        }
    }

    /** usage-config.md's variant taking {@code logging_config: LoggingConfig}. */
    public static final class LoggingVariant {
        private LoggingVariant() {
        }

        @Registered(registry = "optimizers", name = "my_cool_optimizer.v1")
        public static MyCoolOptimizer myCoolOptimizer(
                @Arg("learn_rate") double learnRate,
                @Arg(value = "steps", defaultJson = "10") int steps,
                @Arg("logging_config") LoggingConfig loggingConfig) {
            return new MyCoolOptimizer(learnRate, positive("steps", steps), loggingConfig);
        }
    }
}
