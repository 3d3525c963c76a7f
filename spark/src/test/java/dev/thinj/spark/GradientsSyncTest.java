package dev.thinj.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sync = "gradients"} is single-process training on the same global batches, up to float summation order. */
class GradientsSyncTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {2, 3})
    void equalsSingleProcessTraining(int partitions) {
        String cfg = SparkTests.config("");
        float[] single = SparkTests.trainLocally(SparkTests.plan(cfg, Map.of()), dir.resolve("single"));
        SparkTests.Run run = SparkTests.trainOnSpark(SparkTests.plan(cfg, Map.of()), dir.resolve("spark"),
                SparkTests.gradients(partitions), false, List.of());
        float[] spark = run.params();
        double diff = SparkTests.maxRelativeDifference(single, spark);
        assertThat(spark).hasSameSizeAs(single);
        assertThat(diff).isLessThanOrEqualTo(1e-5);
        assertThat(run.last().epoch()).isEqualTo(2);
        assertThat(run.last().score()).as("dev accuracy").isGreaterThan(0.9);
        // The driver wrote the run's files, as a single process does.
        assertThat(dir.resolve("spark/state.json")).exists();
        assertThat(dir.resolve("spark/model-best.bin")).exists();
        assertThat(dir.resolve("spark/metrics.jsonl")).exists();
    }
}
