package dev.thinj.train.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Redraws {@code training.png} in a run folder as epochs finish: the training loss and the primary
 * dev score of every epoch so far, those of a resumed run's earlier epochs included. It draws after
 * the first epoch, then after an epoch that ends {@link #MIN_INTERVAL_NANOS} or more after the last
 * drawing, and at the end of the run if an epoch has not been drawn: a drawing costs 20-30 ms of CPU
 * warm and several times that in a run's first epochs (JFreeChart, PNG encoding, their JIT), taken
 * from the next epoch's training on a small machine (85 ms per epoch over a 4-epoch run of the
 * Fashion-MNIST MLP, 2 cores), and a plot of seconds-long epochs is not watched epoch by epoch.
 */
public final class TrainingPlot implements TrainingListener {
    /** The file's name in the run folder. */
    public static final String NAME = "training.png";

    /** The least time between two drawings while training runs. */
    public static final long MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final List<EpochMetrics> history = new ArrayList<>();
    private final Deferred rendering = new Deferred("plot");
    private final LongSupplier clock;
    private final Consumer<List<EpochMetrics>> draw;
    private final Path runFolder;
    private boolean drawn;
    private long lastDrawn;
    private boolean behind;

    /**
     * @param runFolder the run's output folder (its {@code metrics.jsonl} gives the earlier epochs)
     * @param title the plot's title
     */
    public TrainingPlot(Path runFolder, String title) {
        this(runFolder, System::nanoTime, points -> MetricsPlot.write(points, title, runFolder.resolve(NAME)));
    }

    /** With the clock and the drawing given (tests). */
    TrainingPlot(Path runFolder, LongSupplier clock, Consumer<List<EpochMetrics>> draw) {
        this.runFolder = runFolder;
        this.clock = clock;
        this.draw = draw;
    }

    @Override
    public void runStarted(int firstEpoch, int epochs) {
        history.clear();
        history.addAll(MetricsLog.read(runFolder.resolve(MetricsFile.NAME)));
        history.removeIf(m -> m.epoch() >= firstEpoch);
        drawn = false;
        behind = false;
    }

    @Override
    public void epochFinished(EpochEnd end) {
        history.add(end.metrics());
        long now = clock.getAsLong();
        if (drawn && now - lastDrawn < MIN_INTERVAL_NANOS) {
            behind = true;
            return;
        }
        drawn = true;
        lastDrawn = now;
        drawNow();
    }

    @Override
    public void runEnded() {
        try {
            if (behind) {
                drawNow();
            }
        } finally {
            rendering.finish();
        }
    }

    private void drawNow() {
        behind = false;
        List<EpochMetrics> points = List.copyOf(history);
        // Drawing takes tens of milliseconds: it overlaps the next epoch's training.
        rendering.run(() -> draw.accept(points));
    }
}
