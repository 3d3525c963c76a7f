package dev.thinj.train;

import dev.thinj.train.report.EpochMetrics;
import dev.thinj.train.report.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Data-parallel training on a cluster, found at run time through {@link ServiceLoader} so that
 * nothing here (nor the command line) depends on a cluster framework: the Spark module registers one
 * named {@code "spark"} in {@code META-INF/services/dev.thinj.train.DistributedTraining}. It runs the
 * same {@link Trainer} loop, files and listeners as a single process, with the steps spread over the
 * cluster.
 */
public interface DistributedTraining {
    /** @return the name the command line knows it by, such as {@code "spark"} */
    String name();

    /**
     * Trains the plan, as {@link Trainer#run(boolean)} does.
     *
     * @param plan what to train; its config's {@code [training.distributed]} section, if any, sets the
     *     defaults
     * @param out the run's output folder
     * @param listeners told of the run after the folder's own listeners
     * @param resume continue from the folder's last checkpoint
     * @param master where to run (a Spark master URL such as {@code local[2]} or
     *     {@code spark://host:7077}); null for the config's, else the implementation's default
     * @param backend the backend the workers should compute on ({@code auto}, {@code cpu},
     *     {@code cuda}); a worker that cannot start it falls back to the CPU
     * @return the last epoch's metrics, or null if no epoch was left to run
     */
    EpochMetrics train(TrainingPlan plan, Path out, List<? extends TrainingListener> listeners, boolean resume,
            String master, String backend);

    /**
     * @param name an implementation's name
     * @return the implementation on the class path by that name, if any
     */
    static Optional<DistributedTraining> find(String name) {
        for (DistributedTraining t : ServiceLoader.load(DistributedTraining.class)) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
