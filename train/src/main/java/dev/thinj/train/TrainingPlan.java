package dev.thinj.train;

import dev.thinj.model.Model;
import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.config.JsonValues;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.registry.Registry;
import dev.thinj.model.registry.Resolved;
import dev.thinj.model.schedules.Schedule;
import dev.thinj.ops.FloatArray;
import dev.thinj.train.data.Dataset;

/**
 * Everything a training run needs, resolved from a config: the sections {@code [model]},
 * {@code [optimizer]}, {@code [loss]} (optional: categorical cross-entropy for classification, L2
 * distance for regression), {@code [data]} (a {@code datasets} function such as
 * {@code fashion_mnist.v1} or {@code csv.v1}) and {@code [training]} with
 * {@code n_epoch}, {@code batch_size} (a number or a schedule), {@code seed} and {@code buffer}.
 *
 * @param model the model, built on the current backend
 * @param optimizer the optimizer
 * @param objective the loss, bound to the task's targets
 * @param data the training and test splits
 * @param epochs how many epochs to train
 * @param batchSize the batch size by batch number (continuing across epochs)
 * @param seed seeds shuffling (per epoch) and, before the config is resolved, the layers
 * @param buffer batches prepared ahead by the batching pipeline
 * @param config the config it came from (written into the run folder), or null
 */
public record TrainingPlan(Model<FloatArray, FloatArray> model, Optimizer optimizer, Objective objective,
        Dataset data, int epochs, Schedule batchSize, long seed, int buffer, Config config) {

    /**
     * Resolves a config on the current backend.
     *
     * @param config the config, overrides applied
     * @param seed the seed fixed before the layers are built
     * @return the plan
     */
    public static TrainingPlan resolve(Config config, long seed) {
        return resolve(config, seed, null);
    }

    /**
     * Resolves a config on the current backend, training on given data instead of the config's
     * {@code [data]} (whose functions are then not called): a Spark ML estimator's DataFrame.
     *
     * @param config the config, overrides applied; its {@code [data]} section may be missing
     * @param seed the seed fixed before the layers are built
     * @param data the data to train on, or null for the config's {@code [data]}
     * @return the plan
     */
    @SuppressWarnings("unchecked")
    public static TrainingPlan resolve(Config config, long seed, Dataset data) {
        dev.thinj.model.RandomSeeds.fix(seed);
        Config resolvable = config;
        if (data != null && config.has("data") && config.get("data") instanceof java.util.Map<?, ?> block) {
            java.util.Map<String, Object> tree = config.toMap();
            tree.put("data", TrainedModel.withoutFunctions((java.util.Map<String, Object>) block));
            resolvable = config.withValues(tree);
        }
        Resolved r = Registry.global().resolve(resolvable);
        Model<FloatArray, FloatArray> model = r.get("model", Model.class);
        Optimizer optimizer = r.get("optimizer", Optimizer.class);
        if (data == null) {
            data = r.get("data", Dataset.class);
        }
        Objective objective;
        try {
            objective = Objective.of(data.task(), config.has("loss") ? r.get("loss", Object.class) : null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.location("loss"), e.getMessage(), e);
        }
        int epochs = atLeastOne(config, "training.n_epoch", r.get("training.n_epoch", Integer.class));
        Schedule batchSize = r.get("training.batch_size", Schedule.class);
        atLeastOne(config, "training.batch_size", batchSize.valueAt(0));
        int buffer = config.has("training.buffer")
                ? atLeastOne(config, "training.buffer", r.get("training.buffer", Integer.class)) : 1;
        return new TrainingPlan(model, optimizer, objective, data, epochs, batchSize, seed, buffer, config);
    }

    /** @return the value, checked to be at least 1 (a count or size), else an error at its config line */
    private static int atLeastOne(Config config, String key, double value) {
        if (!(value >= 1)) {
            throw new ConfigException(config.location(key), "must be at least 1, got "
                    + (value == (long) value ? String.valueOf((long) value) : String.valueOf(value)));
        }
        return (int) value;
    }

    /**
     * @param config a config
     * @return its {@code training.seed}, or 0
     * @throws ConfigException if the seed is not an integer
     */
    public static long seedOf(Config config) {
        if (!config.has("training.seed")) {
            return 0L;
        }
        Object seed = config.get("training.seed");
        if (!(seed instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || Double.isInfinite(n.doubleValue())) {
            throw new ConfigException(config.location("training.seed"), "expected an integer seed, got "
                    + JsonValues.describe(seed));
        }
        return n.longValue();
    }
}
