package dev.thinj.spark;

import java.util.Locale;

/**
 * Where an epoch's rounds spent their time, on the driver's clock: compute (the slowest task of each
 * round, from loading the parameters to reading the gradients), serialisation on the driver (reading
 * the parameters, broadcasting them, setting the summed gradients or averages, the update), and the
 * rest of the round's wall time (Spark scheduling, task launch, shipping the results and summing them).
 */
final class RoundTimes {
    private long rounds;
    private long wallNanos;
    private long computeNanos;
    private long driverNanos;

    /**
     * @param wall the round's wall time
     * @param compute its slowest task's compute time
     * @param driver the driver's own work in it
     */
    synchronized void add(long wall, long compute, long driver) {
        rounds++;
        wallNanos += wall;
        computeNanos += compute;
        driverNanos += driver;
    }

    /** @return the rounds so far, and clears them */
    synchronized String takeSummary() {
        double wall = wallNanos / 1e9;
        double compute = computeNanos / 1e9;
        double driver = driverNanos / 1e9;
        String s = String.format(Locale.ROOT, "spark: %d rounds in %.2f s (%.1f ms each): compute %.2f s, driver"
                + " serialisation and update %.2f s, scheduling and transfer %.2f s", rounds, wall,
                rounds == 0 ? 0 : 1000 * wall / rounds, compute, driver, Math.max(0, wall - compute - driver));
        rounds = 0;
        wallNanos = 0;
        computeNanos = 0;
        driverNanos = 0;
        return s;
    }
}
