package dev.thinj.train;

import dev.thinj.model.Model;
import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.model.serialize.ModelFormat;
import dev.thinj.model.serialize.ModelMismatchException;
import dev.thinj.ops.FloatArray;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.FashionMnist;
import dev.thinj.train.data.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained model rebuilt from a run folder: the architecture from the {@code config.cfg} that
 * {@code thinj train} wrote beside the model file, the numbers from the model file, and what it knows
 * of its data from {@code dataset.json} (the feature width, the class names). The model file may be
 * thinj's own or one Thinc wrote ({@code model.to_disk()}), told apart by its first bytes
 * ({@link ModelFormat}).
 *
 * @param model the model with the file's parameters, on the current backend
 * @param config the config it was trained with (overrides applied)
 * @param info the task, feature width and class names
 */
public record TrainedModel(Model<FloatArray, FloatArray> model, Config config, DatasetInfo info) {
    /** The config a run writes into its output folder, for evaluate and predict. */
    public static final String CONFIG_FILE = "config.cfg";
    /** What to give where a model file is expected. */
    public static final String MODEL_HINT = "give a model file written by thinj train, such as"
            + " runs/NAME/model-best.bin, or by Thinc's model.to_disk() (with --config, the config that builds it)";

    /**
     * @param modelFile a model file inside a run folder (or anywhere, with {@code config})
     * @param config the config, or null to use {@code config.cfg} beside the model file
     * @return the model with the file's parameters, on the current backend
     */
    public static Model<FloatArray, FloatArray> load(Path modelFile, Path config) {
        return open(modelFile, config, Map.of()).model();
    }

    /**
     * @param modelFile a model file inside a run folder (or anywhere, with {@code config})
     * @param config the config, or null to use {@code config.cfg} beside the model file
     * @param overrides {@code section.key} values applied to the config (another dataset to evaluate on)
     * @return the model, its config and what it knows of its data
     */
    @SuppressWarnings("unchecked")
    public static TrainedModel open(Path modelFile, Path config, Map<String, ?> overrides) {
        Path folder = modelFile.toAbsolutePath().getParent();
        Path cfgPath = config != null ? config : folder.resolve(CONFIG_FILE);
        if (!Files.exists(cfgPath)) {
            throw new ModelFileException("No config for " + modelFile + ": expected " + cfgPath
                    + " (written by thinj train) or --config FILE");
        }
        Config cfg = Config.read(cfgPath, overrides);
        dev.thinj.model.RandomSeeds.fix(TrainingPlan.seedOf(cfg));
        Model<FloatArray, FloatArray> model = Registry.global().resolve(cfg.withValues(onlyFunctionsOf(cfg, "model")))
                .get("model", Model.class);
        ModelFormat format = ModelFormat.detect(modelFile);
        try {
            model = format.read(model, modelFile);
            if (format == ModelFormat.THINC) {
                requireWeights(model, modelFile);
            }
        } catch (ModelMismatchException e) {
            // The file is intact; the config builds another architecture.
            throw new ModelMismatchException(e.getMessage() + "; " + cfgPath + " is not the config this model was"
                    + " trained with: give that one with --config FILE (thinj train writes it as " + CONFIG_FILE
                    + " beside the model)", e);
        } catch (ModelFileException e) {
            throw new ModelFileException(e.getMessage() + "; " + MODEL_HINT, e);
        }
        Path infoFile = folder.resolve(DatasetInfo.FILE);
        DatasetInfo info = Files.exists(infoFile) ? DatasetInfo.read(infoFile) : guessInfo(cfg, model);
        return new TrainedModel(model, cfg, info);
    }

    /**
     * Thinc writes nil for the parameters of a model that was never initialised; such a file loads, but
     * the model cannot predict. Said here, naming the file, rather than by the first layer that runs.
     */
    private static void requireWeights(Model<?, ?> model, Path modelFile) {
        java.util.List<Model<?, ?>> nodes = model.walk();
        for (int i = 0; i < nodes.size(); i++) {
            for (String p : nodes.get(i).paramNames()) {
                if (!nodes.get(i).hasParam(p)) {
                    throw new ModelFileException(modelFile + " holds no values for parameter '" + p + "' of node " + i
                            + " ('" + nodes.get(i).name() + "'): the Thinc model was saved before it was initialised"
                            + " or trained");
                }
            }
        }
    }

    /**
     * Reads the data the config names ({@code [data]}, overrides applied): the dataset to evaluate on.
     *
     * @return the dataset
     * @throws dev.thinj.model.config.ConfigException if the config has no {@code [data]} section
     */
    public Dataset dataset() {
        if (!config.has("data")) {
            throw new dev.thinj.model.config.ConfigException(config.location("data"), "no [data] section: nothing"
                    + " names the data to evaluate on; add one, or give it as --data.@datasets and its arguments");
        }
        return Registry.global().resolve(config.withValues(onlyFunctionsOf(config, "data"))).get("data", Dataset.class);
    }

    /**
     * The config's tree with the registered functions of every section but one turned into plain
     * values, so that resolving it calls only that section's (rebuilding the model must not read the
     * data, nor reading the data build a model). Sections stay, so variables that point into them
     * still resolve.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyFunctionsOf(Config cfg, String section) {
        Map<String, Object> tree = cfg.toMap();
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            if (!e.getKey().equals(section) && e.getValue() instanceof Map<?, ?> m) {
                e.setValue(withoutFunctions((Map<String, Object>) m));
            }
        }
        return tree;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutFunctions(Map<String, Object> block) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        block.forEach((key, value) -> {
            if (!key.startsWith("@")) {
                out.put(key, value instanceof Map<?, ?> m ? withoutFunctions((Map<String, Object>) m) : value);
            }
        });
        return out;
    }

    /**
     * For a run folder from before {@code dataset.json}: such runs trained Fashion-MNIST classifiers, so
     * the model's output width gives the classes and Fashion-MNIST's names apply when there are ten.
     */
    private static DatasetInfo guessInfo(Config cfg, Model<FloatArray, FloatArray> model) {
        int outputs = model.hasDim("nO") && model.getDim("nO") > 0 ? model.getDim("nO") : FashionMnist.CLASSES;
        int width = model.hasDim("nI") && model.getDim("nI") > 0 ? model.getDim("nI") : 28 * 28;
        java.util.List<String> names = outputs == FashionMnist.CLASSES ? FashionMnist.CLASS_NAMES
                : java.util.stream.IntStream.range(0, outputs).mapToObj(String::valueOf).toList();
        return new DatasetInfo(Task.CLASSIFY, width, names, 0);
    }
}
