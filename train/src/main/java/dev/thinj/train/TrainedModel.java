package dev.thinj.train;

import dev.thinj.model.Model;
import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.model.serialize.ModelMismatchException;
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
    /** What to give where a model file is expected. */
    public static final String MODEL_HINT = "give a model file written by thinj train, such as runs/NAME/model-best.bin";

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
        try {
            return ModelFile.load(model, modelFile);
        } catch (ModelMismatchException e) {
            // The file is intact; the config builds another architecture.
            throw new ModelMismatchException(e.getMessage() + "; " + cfgPath + " is not the config this model was"
                    + " trained with: give that one with --config FILE (thinj train writes it as " + CONFIG_FILE
                    + " beside the model)", e);
        } catch (ModelFileException e) {
            throw new ModelFileException(e.getMessage() + "; " + MODEL_HINT, e);
        }
    }
}
