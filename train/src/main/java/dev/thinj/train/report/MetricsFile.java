package dev.thinj.train.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps {@code metrics.jsonl} in a run folder: a resumed run first drops the lines of the epochs it
 * is about to redo, then every epoch appends its line (see {@link MetricsLog}).
 */
public final class MetricsFile implements TrainingListener {
    /** The file's name in the run folder. */
    public static final String NAME = "metrics.jsonl";

    private final Path path;

    /** @param runFolder the run's output folder */
    public MetricsFile(Path runFolder) {
        this.path = runFolder.resolve(NAME);
    }

    @Override
    public void runStarted(int firstEpoch, int epochs) {
        List<EpochMetrics> kept = new ArrayList<>(MetricsLog.read(path));
        kept.removeIf(m -> m.epoch() >= firstEpoch);
        MetricsLog.rewrite(path, kept);
    }

    @Override
    public void epochFinished(EpochEnd end) {
        MetricsLog.append(path, end.metrics());
    }
}
