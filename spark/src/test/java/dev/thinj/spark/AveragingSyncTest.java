package dev.thinj.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sync = "averaging"}: local steps, then the parameters and optimizer state averaged. */
class AveragingSyncTest {
    @TempDir
    Path dir;

    @Test
    void learnsWithSeveralLocalStepsPerRound() {
        SparkTests.Run run = SparkTests.trainOnSpark(SparkTests.plan(SparkTests.config(""), Map.of()), dir,
                new DistributedSettings(SparkTests.MASTER, DistributedSettings.Sync.AVERAGING, 3, 2), false, List.of());
        assertThat(run.last().score()).as("dev accuracy").isGreaterThan(0.9);
        assertThat(run.last().loss()).isFinite();
    }

    /**
     * With plain SGD and one step per round, averaging the workers' parameters weighted by their rows is
     * one step along the global batch's gradient: the same training as {@code sync = "gradients"}, up to
     * rounding (each worker rounds its {@code w - lr * g} to float before the average, so the bound is
     * looser than the gradients mode's 1e-5).
     */
    @Test
    void oneStepOfSgdAveragedIsTheGlobalStep() {
        String sgd = SparkTests.config("").replace("@optimizers = \"Adam.v1\"\nlearn_rate = 0.01",
                "@optimizers = \"SGD.v1\"\nlearn_rate = 0.5\ngrad_clip = 0.0\nuse_averages = false");
        assertThat(sgd).contains("SGD.v1");
        float[] gradients = SparkTests.trainOnSpark(SparkTests.plan(sgd, Map.of()), dir.resolve("g"),
                SparkTests.gradients(2), false, List.of()).params();
        float[] averaged = SparkTests.trainOnSpark(SparkTests.plan(sgd, Map.of()), dir.resolve("a"),
                new DistributedSettings(SparkTests.MASTER, DistributedSettings.Sync.AVERAGING, 1, 2), false,
                List.of()).params();
        assertThat(SparkTests.maxRelativeDifference(gradients, averaged)).isLessThanOrEqualTo(1e-4);
    }
}
