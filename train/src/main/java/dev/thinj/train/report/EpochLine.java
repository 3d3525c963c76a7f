package dev.thinj.train.report;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Prints one line per epoch: loss, every dev score, training time and speed, and the time spent
 * outside the steps (evaluation and the listeners before this one: checkpoint, plot, best model).
 */
public final class EpochLine implements TrainingListener {
    private final PrintWriter out;

    /** @param out where the lines go (flushed after each) */
    public EpochLine(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void notice(String message) {
        out.println(message);
        out.flush();
    }

    @Override
    public void runStarted(int firstEpoch, int epochs) {
        if (firstEpoch > 1) {
            out.printf(Locale.ROOT, "resuming after epoch %d%n", firstEpoch - 1);
            out.flush();
        }
    }

    @Override
    public void epochFinished(EpochEnd end) {
        EpochMetrics m = end.metrics();
        StringBuilder scores = new StringBuilder();
        for (Map.Entry<String, Double> s : m.dev().entrySet()) {
            scores.append(String.format(Locale.ROOT, "  dev %s %.4f", s.getKey(), s.getValue()));
        }
        // The time outside the steps to the millisecond: it is ~0.1 s, and epoch-race.sh takes its share of the epoch.
        out.printf(Locale.ROOT, "epoch %d/%d  loss %.4g%s  %.2f s  %.0f samples/s  (+%.3f s evaluation and"
                + " checkpoint)%n", m.epoch(), end.epochs(), m.loss(), scores, m.seconds(), m.samplesPerSecond(),
                (System.nanoTime() - end.stepsEndedNanos()) / 1e9);
        out.flush();
    }
}
