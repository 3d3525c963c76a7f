package dev.thinj.train.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one training epoch measured: one line of the metrics file and one point of the plot.
 *
 * @param epoch the epoch, from 1
 * @param loss the mean training loss over the epoch's batches
 * @param dev the scores on the evaluation split by name, the primary one first: {@code accuracy} for
 *     classification; {@code r2}, {@code mse}, {@code mae} for regression
 * @param seconds wall-clock seconds the epoch's training took
 * @param samplesPerSecond training throughput
 */
public record EpochMetrics(int epoch, double loss, Map<String, Double> dev, double seconds, double samplesPerSecond) {
    /** Copies the scores, keeping their order. */
    public EpochMetrics {
        if (dev.isEmpty()) {
            throw new IllegalArgumentException("an epoch's metrics need at least one dev score");
        }
        dev = Collections.unmodifiableMap(new LinkedHashMap<>(dev));
    }

    /** @return the primary score's name ({@code accuracy} or {@code r2}) */
    public String scoreName() {
        return dev.keySet().iterator().next();
    }

    /** @return the primary score: higher is better */
    public double score() {
        return dev.values().iterator().next();
    }
}
