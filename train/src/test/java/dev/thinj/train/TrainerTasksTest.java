package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.data.Task;
import dev.thinj.train.report.EpochEnd;
import dev.thinj.train.report.EpochMetrics;
import dev.thinj.train.report.MetricsLog;
import dev.thinj.train.report.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer on both tasks: regression trains with L2 and reports R², MSE, MAE; the loss fits the task. */
class TrainerTasksTest {
    @TempDir
    Path dir;

    private static String config(String data, String output, String loss) {
        return String.join("\n", "[training]", "n_epoch = 12", "batch_size = 32", "seed = 3",
                "[data]", data,
                "[model]", "@layers = \"chain.v1\"",
                "[model.*.hidden]", "@layers = \"Relu.v1\"", "nO = 32",
                "[model.*.hidden2]", "@layers = \"Relu.v1\"", "nO = 32",
                "[model.*.output]", output,
                "[optimizer]", "@optimizers = \"Adam.v1\"", "learn_rate = 0.005", loss, "");
    }

    private static TrainingPlan plan(String text) {
        Config cfg = Config.parse(text, "test.cfg");
        return TrainingPlan.resolve(cfg, TrainingPlan.seedOf(cfg));
    }

    @Test
    void regressionTrainsWithL2AndReportsR2MseAndMae() {
        try (OpsScope cpu = Ops.use("cpu")) {
            List<EpochEnd> ends = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            TrainingListener record = new TrainingListener() {
                @Override
                public void batchFinished(int batch, double meanLoss) {
                    losses.add(meanLoss);
                }

                @Override
                public void epochFinished(EpochEnd end) {
                    ends.add(end);
                }
            };
            Path out = dir.resolve("regress");
            EpochMetrics last = new Trainer(plan(config("@datasets = \"test_regression.v1\"",
                    "@layers = \"Linear.v1\"", "")), out, List.of(record)).run(false);

            assertThat(last.dev().keySet()).containsExactly("r2", "mse", "mae");
            assertThat(last.scoreName()).isEqualTo("r2");
            assertThat(last.score()).as("R² after 12 epochs").isGreaterThan(0.8);
            assertThat(last.dev().get("mse")).isLessThan(ends.get(0).metrics().dev().get("mse"));
            assertThat(MetricsLog.read(out.resolve("metrics.jsonl")).get(11).dev()).isEqualTo(last.dev());
            // 800 rows in batches of 32: 25 steps; the loss is read at step 16 only, NaN before it.
            assertThat(losses.subList(0, 15)).allMatch(l -> l.isNaN());
            assertThat(losses.get(15)).isPositive().isFinite();
            assertThat(losses.get(24)).isEqualTo(losses.get(15));
            assertThat(ends.get(0).improved()).isTrue();
            assertThat(ends).allMatch(e -> e.bestScore() >= e.metrics().score());

            DatasetInfo info = DatasetInfo.read(out.resolve(DatasetInfo.FILE));
            assertThat(info).isEqualTo(new DatasetInfo(Task.REGRESS, 3, List.of(), 1));
            assertThat(out.resolve("model-best.bin")).exists();
        }
    }

    @Test
    void twoTargetsPerRowNeedAnOutputOfWidthTwo() {
        try (OpsScope cpu = Ops.use("cpu")) {
            EpochMetrics last = new Trainer(plan(config("@datasets = \"test_regression.v1\"\ntargets = 2",
                    "@layers = \"Linear.v1\"", "")), dir.resolve("two"), List.of()).run(false);
            assertThat(last.score()).isGreaterThan(0.5);

            assertThatThrownBy(() -> new Trainer(plan(config("@datasets = \"test_regression.v1\"\ntargets = 2",
                    "@layers = \"Linear.v1\"\nnO = 3", "")), dir.resolve("three"), List.of()).run(false))
                    .hasMessageContaining("output width is 3").hasMessageContaining("2 target value(s) per row");
        }
    }

    @Test
    void classificationReportsAccuracyAndMacroF1AndKeepsTheClassNames() {
        try (OpsScope cpu = Ops.use("cpu")) {
            Path out = dir.resolve("blobs");
            EpochMetrics last = new Trainer(plan(config("@datasets = \"test_blobs.v1\"",
                    "@layers = \"Softmax.v1\"", "")), out, List.of()).run(false);
            assertThat(last.dev().keySet()).containsExactly("accuracy", "macro_f1");
            assertThat(last.score()).isGreaterThan(0.9);
            assertThat(DatasetInfo.read(out.resolve(DatasetInfo.FILE)).classNames()).containsExactly("left", "right");
        }
    }

    @Test
    void aLossThatCannotTrainTheTaskIsRefusedAtItsConfigSection() {
        try (OpsScope cpu = Ops.use("cpu")) {
            assertThatThrownBy(() -> plan(config("@datasets = \"test_regression.v1\"", "@layers = \"Linear.v1\"",
                    "[loss]\n@losses = \"CategoricalCrossentropy.v3\"")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("test.cfg")
                    .hasMessageContaining("cannot train on float targets").hasMessageContaining("L2Distance.v1");
            assertThatThrownBy(() -> plan(config("@datasets = \"test_blobs.v1\"", "@layers = \"Softmax.v1\"",
                    "[loss]\n@losses = \"L2Distance.v1\"")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cannot train on class labels").hasMessageContaining("CategoricalCrossentropy");
        }
    }
}
