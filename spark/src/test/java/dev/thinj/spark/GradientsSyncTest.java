package dev.thinj.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.Trainer;
import dev.thinj.train.TrainingPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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

    /**
     * With one partition the worker computes exactly what the single process computes (the same rows in
     * the same order, the gradient scaled by 1): the weights are equal to the bit, so any difference with
     * more partitions is the order of float summation, nothing else.
     */
    @Test
    void onePartitionIsSingleProcessTrainingToTheBit() {
        String cfg = SparkTests.config("").replace("n_epoch = 2", "n_epoch = 3");
        float[] single = SparkTests.trainLocally(SparkTests.plan(cfg, Map.of()), dir.resolve("single"));
        float[] spark = SparkTests.trainOnSpark(SparkTests.plan(cfg, Map.of()), dir.resolve("spark"),
                SparkTests.gradients(1), false, List.of()).params();
        assertThat(spark).containsExactly(single);
    }

    /**
     * Against single-process training on the same global batches with each batch's gradient grouped as
     * the partitions group it ({@link ShardedSteps}: shards scaled to the batch, summed along the same
     * tree), the Spark run is equal to the bit: broadcasting, tasks on executors, retries and
     * {@code treeAggregate} add nothing to the arithmetic. What separates it from plain single-process
     * training is only the grouping of the float sum.
     */
    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {2, 3})
    void equalsSingleProcessTrainingWithTheSameGroupingToTheBit(int partitions) {
        String cfg = SparkTests.config("");
        TrainingPlan reference = SparkTests.plan(cfg, Map.of());
        try (OpsScope cpu = Ops.use("cpu")) {
            new Trainer(reference, dir.resolve("sharded"), List.of(), new ShardedSteps(partitions)).run(false);
        }
        float[] sharded = ParamVector.of(reference.model()).readParams();
        float[] spark = SparkTests.trainOnSpark(SparkTests.plan(cfg, Map.of()), dir.resolve("spark"),
                SparkTests.gradients(partitions), false, List.of()).params();
        assertThat(spark).containsExactly(sharded);
    }
}
