package dev.thinj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.ops.ThinjException;
import dev.thinj.train.report.EpochEnd;
import dev.thinj.train.report.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A task is a pure function of the broadcast state, its partition and its round: a retried task, or a
 * driver resumed from its checkpoint, ends in the same weights, bit for bit.
 */
class ReliabilityTest {
    private static final String CONFIG = SparkTests.config("");

    @TempDir
    Path dir;

    @AfterEach
    void noProbe() {
        TaskProbe.CURRENT[0] = null;
    }

    /** With dropout too: a task's masks are keyed by its partition and round, not by what ran before it. */
    @ParameterizedTest(name = "dropout {0}")
    @ValueSource(doubles = {0.0, 0.3})
    void aTaskThatFailsOnceIsRetriedToTheSameWeights(double dropout) {
        String config = CONFIG.replace("nO = 16", "nO = 16\ndropout = " + dropout);
        float[] undisturbed = SparkTests.trainOnSpark(SparkTests.plan(config, Map.of()), dir.resolve("a"),
                SparkTests.gradients(2), false, List.of()).params();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        long round = (1L << 32) + 2;  // epoch 1, third round
        TaskProbe.CURRENT[0] = (r, partition, attempt) -> {
            if (r == round && partition == 1) {
                if (attempt == 0) {
                    failed.incrementAndGet();
                    throw new IllegalStateException("injected failure of round " + r + ", partition " + partition);
                }
                retried.incrementAndGet();
            }
        };
        float[] disturbed = SparkTests.trainOnSpark(SparkTests.plan(config, Map.of()), dir.resolve("b"),
                SparkTests.gradients(2), false, List.of()).params();
        assertThat(failed.get()).isEqualTo(1);
        assertThat(retried.get()).isEqualTo(1);
        assertThat(disturbed).containsExactly(undisturbed);
    }

    /** A task that fails on every attempt ends the run with one line naming the epoch, the round and Spark's reason. */
    @Test
    void aTaskThatAlwaysFailsEndsTheRunWithTheRoundAndTheReason() {
        TaskProbe.CURRENT[0] = (r, partition, attempt) -> {
            if (r == (1L << 32) + 3 && partition == 0) {
                throw new IllegalStateException("injected permanent failure");
            }
        };
        assertThatThrownBy(() -> SparkTests.trainOnSpark(SparkTests.plan(CONFIG, Map.of()), dir.resolve("c"),
                SparkTests.gradients(2), false, List.of()))
                .isInstanceOf(ThinjException.class)
                .hasMessageContaining("failed in epoch 1, round 4")
                .hasMessageContaining("injected permanent failure")
                .hasMessageNotContaining("\n");
    }

    @Test
    void averagingRetriesToTheSameWeightsToo() {
        DistributedSettings averaging = new DistributedSettings(SparkTests.MASTER, DistributedSettings.Sync.AVERAGING,
                2, 2);
        float[] undisturbed = SparkTests.trainOnSpark(SparkTests.plan(CONFIG, Map.of()), dir.resolve("a"), averaging,
                false, List.of()).params();
        AtomicInteger failed = new AtomicInteger();
        TaskProbe.CURRENT[0] = (r, partition, attempt) -> {
            if (r == (2L << 32) + 1 && partition == 0 && attempt == 0) {
                failed.incrementAndGet();
                throw new IllegalStateException("injected failure");
            }
        };
        float[] disturbed = SparkTests.trainOnSpark(SparkTests.plan(CONFIG, Map.of()), dir.resolve("b"), averaging,
                false, List.of()).params();
        assertThat(failed.get()).isEqualTo(1);
        assertThat(disturbed).containsExactly(undisturbed);
    }

    @Test
    void aDriverKilledMidRunResumesToTheSameWeights() {
        String three = CONFIG.replace("n_epoch = 2", "n_epoch = 3");
        float[] undisturbed = SparkTests.trainOnSpark(SparkTests.plan(three, Map.of()), dir.resolve("a"),
                SparkTests.gradients(2), false, List.of()).params();
        Path out = dir.resolve("b");
        // Listeners run after the folder's checkpoint: dying in epoch 2's is dying after checkpoint-2.
        TrainingListener killer = new TrainingListener() {
            @Override
            public void epochFinished(EpochEnd end) {
                if (end.metrics().epoch() == 2) {
                    throw new IllegalStateException("driver killed");
                }
            }
        };
        assertThatThrownBy(() -> SparkTests.trainOnSpark(SparkTests.plan(three, Map.of()), out,
                SparkTests.gradients(2), false, List.of(killer))).hasMessage("driver killed");
        assertThat(out.resolve("checkpoint-2")).isDirectory();
        SparkTests.Run resumed = SparkTests.trainOnSpark(SparkTests.plan(three, Map.of()), out,
                SparkTests.gradients(2), true, List.of());
        assertThat(resumed.last().epoch()).isEqualTo(3);
        assertThat(resumed.params()).containsExactly(undisturbed);
    }
}
