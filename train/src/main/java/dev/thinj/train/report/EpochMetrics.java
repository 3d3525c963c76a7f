package dev.thinj.train.report;

/**
 * What one training epoch measured: one line of the metrics file and one point of the plot.
 *
 * @param epoch the epoch, from 1
 * @param loss the mean training loss over the epoch's batches
 * @param devAccuracy accuracy on the evaluation set, in [0, 1]
 * @param seconds wall-clock seconds the epoch's training took
 * @param samplesPerSecond training throughput
 */
public record EpochMetrics(int epoch, double loss, double devAccuracy, double seconds, double samplesPerSecond) {
}
