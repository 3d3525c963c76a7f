package dev.thinj.spark;

/**
 * Told when a task has computed its result, before it returns it (its worker's model already changed):
 * the tests' way to fail a task's first attempt late and watch Spark retry it. Tasks of a {@code local[...]} master run in the driver's JVM, where a test
 * sets {@link #CURRENT}; on a cluster it stays null.
 */
@FunctionalInterface
interface TaskProbe {
    /** The probe, or null for none. */
    TaskProbe[] CURRENT = new TaskProbe[1];

    /**
     * @param round the round, unique in the run
     * @param partition the task's partition
     * @param attempt Spark's attempt number of the task, from 0
     */
    void taskStarted(long round, int partition, int attempt);

    /** Calls the probe, if one is set. */
    static void tell(long round, int partition, int attempt) {
        TaskProbe p = CURRENT[0];
        if (p != null) {
            p.taskStarted(round, partition, attempt);
        }
    }
}
