package dev.thinj.spark;

import dev.thinj.train.DistributedTraining;
import dev.thinj.train.Trainer;
import dev.thinj.train.TrainingPlan;
import dev.thinj.train.report.EpochEnd;
import dev.thinj.train.report.EpochMetrics;
import dev.thinj.train.report.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Data-parallel training on Apache Spark, the {@code "spark"} {@link DistributedTraining}: the
 * {@link Trainer} loop with its files and listeners, its steps run by {@link SparkSteps} on the
 * master the command line or {@code [training.distributed]} names ({@code local[N]} embedded, or a
 * cluster's URL). After each epoch one line says where the rounds' time went.
 */
public final class SparkTraining implements DistributedTraining {
    /** Public for {@link java.util.ServiceLoader}. */
    public SparkTraining() {
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public EpochMetrics train(TrainingPlan plan, Path out, List<? extends TrainingListener> listeners, boolean resume,
            String master, String backend) {
        DistributedSettings settings = DistributedSettings.of(plan.config(), master);
        try (SparkSessions.Lease lease = SparkSessions.open(settings.master())) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(lease.session().sparkContext());
            return train(plan, out, listeners, resume, jsc, settings, backend);
        }
    }

    /**
     * Trains in a given Spark context.
     *
     * @param plan what to train
     * @param out the output folder
     * @param listeners told of the run after the folder's own
     * @param resume continue from the folder's last checkpoint
     * @param jsc the Spark context
     * @param settings the distributed settings
     * @param backend the executors' backend ({@code auto}, {@code cpu}, {@code cuda})
     * @return the last epoch's metrics, or null if none was left to run
     */
    public static EpochMetrics train(TrainingPlan plan, Path out, List<? extends TrainingListener> listeners,
            boolean resume, JavaSparkContext jsc, DistributedSettings settings, String backend) {
        SparkSteps steps = new SparkSteps(jsc, settings, backend == null ? "auto" : backend);
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.add(new TrainingListener() {
            @Override
            public void epochFinished(EpochEnd end) {
                String line = steps.takeTimes();
                listeners.forEach(l -> l.notice(line));
            }
        });
        String where = "thinj: training on Spark " + jsc.master() + " (" + jsc.defaultParallelism() + " cores), sync "
                + settings.sync().name().toLowerCase(java.util.Locale.ROOT)
                + (settings.sync() == DistributedSettings.Sync.AVERAGING ? " every " + settings.stepsPerRound()
                        + " steps" : "");
        listeners.forEach(l -> l.notice(where));
        return new Trainer(plan, out, all, steps).run(resume);
    }
}
