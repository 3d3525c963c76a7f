package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.config.Config;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every config in examples/ resolves into a training plan, so the README's commands keep working. */
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
}
