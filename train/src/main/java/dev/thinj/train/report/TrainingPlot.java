package dev.thinj.train.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Redraws {@code training.png} in a run folder after every epoch: the training loss and the primary
 * dev score of every epoch so far, those of a resumed run's earlier epochs included.
 */
public final class TrainingPlot implements TrainingListener {
    /** The file's name in the run folder. */
    public static final String NAME = "training.png";

    private final Path runFolder;
    private final String title;
    private final List<EpochMetrics> history = new ArrayList<>();
    private final Deferred rendering = new Deferred("plot");

    /**
     * @param runFolder the run's output folder (its {@code metrics.jsonl} gives the earlier epochs)
     * @param title the plot's title
     */
    public TrainingPlot(Path runFolder, String title) {
        this.runFolder = runFolder;
        this.title = title;
    }

    @Override
    public void runStarted(int firstEpoch, int epochs) {
        history.clear();
        history.addAll(MetricsLog.read(runFolder.resolve(MetricsFile.NAME)));
        history.removeIf(m -> m.epoch() >= firstEpoch);
    }

    @Override
    public void epochFinished(EpochEnd end) {
        history.add(end.metrics());
        List<EpochMetrics> points = List.copyOf(history);
        // Rendering takes tens of milliseconds: it overlaps the next epoch's training.
        rendering.run(() -> MetricsPlot.write(points, title, runFolder.resolve(NAME)));
    }

    @Override
    public void runEnded() {
        rendering.finish();
    }
}
