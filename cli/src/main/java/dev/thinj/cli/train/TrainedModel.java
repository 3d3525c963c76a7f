package dev.thinj.cli.train;

import dev.thinj.model.Model;
import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.ops.FloatArray;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rebuilds a trained model from a run folder: the architecture from the {@code config.cfg} that
 * {@code thinj train} wrote beside the model file, the numbers from the model file.
 */
public final class TrainedModel {
    /** The config a run writes into its output folder, for evaluate and predict. */
    public static final String CONFIG_FILE = "config.cfg";

    private TrainedModel() {
    }

    /**
     * @param modelFile a model file inside a run folder (or anywhere, with {@code config})
     * @param config the config, or null to use {@code config.cfg} beside the model file
     * @return the model with the file's parameters, on the current backend
     */
    @SuppressWarnings("unchecked")
    public static Model<FloatArray, FloatArray> load(Path modelFile, Path config) {
        Path cfgPath = config != null ? config : modelFile.toAbsolutePath().getParent().resolve(CONFIG_FILE);
        if (!Files.exists(cfgPath)) {
            throw new ModelFileException("No config for " + modelFile + ": expected " + cfgPath
                    + " (written by thinj train) or --config FILE");
        }
        Config cfg = Config.read(cfgPath);
        dev.thinj.model.RandomSeeds.fix(TrainingPlan.seedOf(cfg));
        Model<FloatArray, FloatArray> model = Registry.global().resolve(cfg).get("model", Model.class);
        return ModelFile.load(model, modelFile);
    }
}
