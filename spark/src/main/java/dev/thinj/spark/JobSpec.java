package dev.thinj.spark;

import dev.thinj.train.data.Task;
import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;

/**
 * What every task of a run needs to rebuild the driver's model on its executor: the config's text
 * (its {@code [model]}, {@code [loss]} and {@code [optimizer]} sections are resolved there; never
 * {@code [data]}), the seed fixed before resolving, the backend asked for, the task, and the driver's
 * model at the run's start (dims, parameters and attributes, as {@code ModelFile} bytes).
 *
 * @param runId identifies the run: an executor's cached model is reloaded for a new one
 * @param configText the config, overrides applied
 * @param seed the run's seed
 * @param backend the backend to compute on ({@code auto}, {@code cpu}, {@code cuda})
 * @param task classification or regression
 * @param initialModel the driver's model at the start, broadcast once
 */
record JobSpec(String runId, String configText, long seed, String backend, Task task,
        Broadcast<byte[]> initialModel) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** @return what the executor's model cache keys its models by */
    String cacheKey() {
        return runId + "\n" + backend;
    }
}
