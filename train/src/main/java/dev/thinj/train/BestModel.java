package dev.thinj.train;

import dev.thinj.model.ParamsScope;
import dev.thinj.model.serialize.AtomicFiles;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.train.report.Deferred;
import dev.thinj.train.report.EpochEnd;
import dev.thinj.train.report.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Saves {@code model-best.bin} whenever an epoch beats the best dev score so far, with the optimizer's
 * parameter averages swapped in (the parameters the score was measured with). The parameters are
 * copied at once; the file is written on a background thread while the next epoch trains, and is
 * complete when the run returns.
 */
final class BestModel implements TrainingListener {
    /** The file's name in the run folder. */
    static final String NAME = "model-best.bin";

    private final Path path;
    private final Deferred writing = new Deferred("best-model");

    BestModel(Path runFolder) {
        this.path = runFolder.resolve(NAME);
    }

    @Override
    public void epochFinished(EpochEnd end) {
        if (end.improved()) {
            AtomicFiles.Content file;
            try (ParamsScope averaged = end.model().useParams(end.optimizer().averages())) {
                file = ModelFile.snapshot(end.model());
            }
            writing.run(() -> {
                try {
                    AtomicFiles.write(path, file);
                } catch (IOException e) {
                    throw new ModelFileException("Cannot write model file " + path + ": " + e.getMessage(), e);
                }
            });
        }
    }

    @Override
    public void runEnded() {
        writing.finish();
    }
}
