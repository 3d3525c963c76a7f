package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.Task;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every config in examples/ resolves (the Fashion-MNIST ones into a training plan, the CSV ones in
 * their folders with their data loaded), so the README's commands keep working.
 */
class ExampleConfigsTest {
    @Test
    void everyExampleResolves() throws IOException {
        Path examples = Path.of("..", "examples");
        List<Path> configs;
        try (Stream<Path> files = Files.list(examples)) {
            configs = files.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
        assertThat(configs).hasSizeGreaterThanOrEqualTo(2);
        try (OpsScope cpu = Ops.use("cpu")) {
            for (Path p : configs) {
                Config cfg = Config.read(p);
                TrainingPlan plan = TrainingPlan.resolve(cfg, TrainingPlan.seedOf(cfg));
                assertThat(plan.epochs()).as(p.toString()).isPositive();
                assertThat(plan.batchSize().valueAt(0)).as(p.toString()).isPositive();
                assertThat(plan.data().train().count()).as(p.toString()).isEqualTo(6_000);
            }
        }
    }

    /**
     * The CSV examples, whose paths are relative to the repository root (where the README's commands
     * run): here, in train/, they are resolved against the parent folder.
     */
    @Test
    void csvExamplesLoadTheirData() throws IOException {
        try (OpsScope cpu = Ops.use("cpu")) {
            Dataset classify = resolveData(Path.of("..", "examples", "csv-classify", "csv-classify.cfg"));
            assertThat(classify.task()).isEqualTo(Task.CLASSIFY);
            assertThat(classify.classNames()).containsExactly("blue", "green", "red");
            assertThat(classify.train().width()).isEqualTo(4);
            assertThat(classify.train().count()).isEqualTo(240);
            assertThat(classify.test().count()).isEqualTo(60);

            Dataset regress = resolveData(Path.of("..", "examples", "csv-regress", "csv-regress.cfg"));
            assertThat(regress.task()).isEqualTo(Task.REGRESS);
            assertThat(regress.classNames()).isEmpty();
            assertThat(regress.train().width()).isEqualTo(5);
            assertThat(regress.train().targetWidth()).isEqualTo(1);
            assertThat(regress.train().count() + regress.test().count()).isEqualTo(400);
        }
    }

    /** @return the config's dataset, every section resolved (model, optimizer and loss too) */
    private static Dataset resolveData(Path file) {
        Config raw = Config.read(file);
        String train = (String) raw.get("data.train");
        assertThat(train).as(file + ": a path from the repository root").startsWith("examples/");
        Config cfg = Config.read(file, Map.of("data.train", Path.of("..").resolve(train).toString()));
        return Registry.global().resolve(cfg).get("data", Dataset.class);
    }
}
