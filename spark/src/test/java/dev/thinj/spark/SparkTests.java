package dev.thinj.spark;

import dev.thinj.model.config.Config;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.Trainer;
import dev.thinj.train.TrainingPlan;
import dev.thinj.train.report.EpochMetrics;
import dev.thinj.train.report.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * What the Spark tests share: one embedded session for all of them ({@code local[2,2]}: two cores, a
 * failed task retried once), a small config, and training runs in one line.
 */
final class SparkTests {
    /** Two executor threads; a task may fail once and is then retried. */
    static final String MASTER = "local[2,2]";

    private static SparkSession session;

    private SparkTests() {
    }

    /** @return the shared session, started on first use and stopped when the JVM exits */
    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSessions.open(MASTER).session();
        }
        return session;
    }

    /** @return the shared session's context */
    static JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    /**
     * A small MLP on three blobs: 6 -> 16 (Relu, no dropout) -> 3 (Softmax).
     *
     * @param extra more config lines (sections), appended
     * @return the config text
     */
    static String config(String extra) {
        return """
                [training]
                n_epoch = 2
                batch_size = 64
                seed = 3

                [data]
                @datasets = "spark_test_blobs.v1"
                rows = 300

                [model]
                @layers = "chain.v1"

                [model.*.hidden]
                @layers = "Relu.v1"
                nO = 16

                [model.*.output]
                @layers = "Softmax.v1"

                [optimizer]
                @optimizers = "Adam.v1"
                learn_rate = 0.01
                """ + extra;
    }

    /**
     * @param text a config's text
     * @param overrides {@code section.key} values
     * @return its plan, on the CPU
     */
    static TrainingPlan plan(String text, Map<String, ?> overrides) {
        try (OpsScope cpu = Ops.use("cpu")) {
            Config cfg = Config.parse(text, "test.cfg", overrides);
            return TrainingPlan.resolve(cfg, TrainingPlan.seedOf(cfg));
        }
    }

    /** @return the final parameters of a single-process run */
    static float[] trainLocally(TrainingPlan plan, Path out) {
        try (OpsScope cpu = Ops.use("cpu")) {
            new Trainer(plan, out, List.of()).run(false);
        }
        return ParamVector.of(plan.model()).readParams();
    }

    /**
     * A finished run.
     *
     * @param params the final parameters
     * @param last the last epoch's metrics
     */
    record Run(float[] params, EpochMetrics last) {
    }

    /** @return the run on the shared session */
    static Run trainOnSpark(TrainingPlan plan, Path out, DistributedSettings settings, boolean resume,
            List<? extends TrainingListener> listeners) {
        EpochMetrics last;
        try (OpsScope cpu = Ops.use("cpu")) {
            last = SparkTraining.train(plan, out, listeners, resume, jsc(), settings, "cpu");
        }
        return new Run(ParamVector.of(plan.model()).readParams(), last);
    }

    /** @return the settings of sync "gradients" over some partitions */
    static DistributedSettings gradients(int partitions) {
        return new DistributedSettings(MASTER, DistributedSettings.Sync.GRADIENTS, 1, partitions);
    }

    /** @return the largest difference between two vectors relative to the larger magnitude, over elements of at least 1e-3 */
    static double maxRelativeDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(Math.abs(a[i]), Math.abs(b[i]));
            double diff = Math.abs(a[i] - b[i]);
            worst = Math.max(worst, scale < 1e-3 ? diff / 1e-3 : diff / scale);
        }
        return worst;
    }
}
