package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.config.Config;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.report.MetricsLog;
import dev.thinj.train.report.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed mid-epoch and resumed ends with exactly the weights of an uninterrupted run. */
class TrainerResumeTest {
    private static final String CONFIG = String.join("\n",
            "[training]", "n_epoch = 3", "batch_size = 64", "seed = 7", "buffer = 2",
            "[data]", "@datasets = \"fashion_mnist.v1\"",
            "[model]", "@layers = \"chain.v1\"",
            "[model.*.hidden]", "@layers = \"Relu.v1\"", "nO = 32", "dropout = 0.2",
            "[model.*.output]", "@layers = \"Softmax.v1\"",
            "[optimizer]", "@optimizers = \"Adam.v1\"", "learn_rate = 0.002",
            "[loss]", "@losses = \"CategoricalCrossentropy.v1\"", "");

    @TempDir
    Path dir;

    private TrainingPlan plan() {
        Config cfg = Config.parse(CONFIG, "test.cfg");
        return TrainingPlan.resolve(cfg, TrainingPlan.seedOf(cfg));
    }

    private Trainer trainer(Path out, TrainingListener... listeners) {
        return new Trainer(plan(), out, List.of(listeners));
    }

    /** Lets {@code allowed} steps finish, then fails as a killed process would. */
    private static TrainingListener crashAfter(int allowed) {
        int[] seen = {0};
        return new TrainingListener() {
            @Override
            public void batchFinished(int batch, double meanLoss) {
                if (++seen[0] == allowed) {
                    throw new IllegalStateException("simulated kill");
                }
            }
        };
    }

    @Test
    void aRunKilledMidEpochResumesBitForBit() throws Exception {
        try (OpsScope cpu = Ops.use("cpu")) {
            Path straight = dir.resolve("straight");
            trainer(straight).run(false);

            Path interrupted = dir.resolve("interrupted");
            // Epoch 1 has 94 batches of 64 over 6,000 rows: crash 30 batches into epoch 2.
            assertThatThrownBy(() -> trainer(interrupted, crashAfter(94 + 30)).run(false))
                    .hasMessageContaining("simulated kill");
            assertThat(Files.readString(interrupted.resolve("state.json"))).contains("\"epoch\":1");
            trainer(interrupted).run(true);

            assertThat(Files.readAllBytes(interrupted.resolve("checkpoint-3/model.bin")))
                    .isEqualTo(Files.readAllBytes(straight.resolve("checkpoint-3/model.bin")));
            assertThat(Files.readAllBytes(interrupted.resolve("checkpoint-3/optimizer.bin")))
                    .isEqualTo(Files.readAllBytes(straight.resolve("checkpoint-3/optimizer.bin")));
            assertThat(MetricsLog.read(interrupted.resolve("metrics.jsonl"))).extracting(m -> m.epoch())
                    .containsExactly(1, 2, 3);
            assertThat(interrupted.resolve("training.png")).exists();
            assertThat(interrupted.resolve("model-best.bin")).exists();
            assertThat(MetricsLog.read(straight.resolve("metrics.jsonl")).get(2).dev().get("accuracy")).isGreaterThan(0.7);
        }
    }

    @Test
    void resumingACompletedRunHasNothingLeftToDo() {
        try (OpsScope cpu = Ops.use("cpu")) {
            Path out = dir.resolve("done");
            trainer(out).run(false);
            assertThat(trainer(out).run(true)).isNull();
        }
    }
}
