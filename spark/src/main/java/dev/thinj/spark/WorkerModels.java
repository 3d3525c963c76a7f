package dev.thinj.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

/**
 * The executor JVM's models, kept between tasks: building one resolves the config and loads the
 * driver's model, which a round should not pay again. Concurrent tasks of one executor each borrow
 * their own; only the latest run's are kept.
 */
final class WorkerModels {
    private static final Map<String, ConcurrentLinkedDeque<Worker>> IDLE = new ConcurrentHashMap<>();

    private WorkerModels() {
    }

    /**
     * @param job the run
     * @param build makes a worker when none is idle
     * @return a worker of the run, for this task alone until {@link #release}
     */
    static Worker borrow(JobSpec job, Function<JobSpec, Worker> build) {
        String key = job.cacheKey();
        IDLE.keySet().removeIf(k -> !k.equals(key) && !k.startsWith(job.runId() + "\n"));
        Worker w = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        return w != null ? w : build.apply(job);
    }

    /**
     * @param job the run the worker belongs to
     * @param worker a worker that finished its task; one that failed is dropped instead (its state is suspect)
     */
    static void release(JobSpec job, Worker worker) {
        IDLE.computeIfAbsent(job.cacheKey(), k -> new ConcurrentLinkedDeque<>()).addFirst(worker);
    }
}
