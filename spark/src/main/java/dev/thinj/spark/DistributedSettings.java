package dev.thinj.spark;

import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.config.JsonValues;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The config's {@code [training.distributed]} section, every key optional:
 *
 * <pre>{@code
 * [training.distributed]
 * master = "local[2]"        # a Spark master URL; --spark MASTER overrides it
 * sync = "gradients"         # or "averaging"
 * steps_per_round = 1        # averaging: local steps between two averages
 * partitions = 0             # shards of the training data; 0: Spark's default parallelism
 * }</pre>
 *
 * @param master the Spark master URL
 * @param sync how workers' work is combined each round
 * @param stepsPerRound local steps per round (1 with {@code gradients})
 * @param partitions the number of data partitions, or 0 for Spark's default parallelism
 */
public record DistributedSettings(String master, Sync sync, int stepsPerRound, int partitions) {
    /** The section's path in a config. */
    public static final String SECTION = "training.distributed";
    /** The master when neither the config nor the command line names one: every core of this machine. */
    public static final String DEFAULT_MASTER = "local[*]";
    private static final Set<String> KEYS = Set.of("master", "sync", "steps_per_round", "partitions");

    /** How a round combines its workers' work. */
    public enum Sync {
        /**
         * Every worker computes the gradient of its shard of one global batch; the driver sums them and
         * updates once: exactly single-process training on the same batches.
         */
        GRADIENTS,
        /**
         * Every worker takes {@code steps_per_round} steps with its own copy of the optimizer; the driver
         * averages the parameters and the optimizer state (local SGD: fewer, larger messages).
         */
        AVERAGING
    }

    /** Checks the values. */
    public DistributedSettings {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("a Spark master URL is needed, such as local[2]");
        }
        if (stepsPerRound < 1 || partitions < 0) {
            throw new IllegalArgumentException("steps per round must be at least 1 and partitions at least 0, got "
                    + stepsPerRound + " and " + partitions);
        }
        if (sync == Sync.GRADIENTS && stepsPerRound != 1) {
            throw new IllegalArgumentException("sync \"gradients\" takes one step per round, got steps_per_round = "
                    + stepsPerRound + "; use sync = \"averaging\" for several local steps");
        }
    }

    /**
     * @param config the run's config
     * @param masterOverride the command line's master, or null for spark-submit's ({@code spark.master}),
     *     else the config's, else {@link #DEFAULT_MASTER}
     * @return the settings
     * @throws ConfigException naming the key and its line for an unknown key or a bad value
     */
    public static DistributedSettings of(Config config, String masterOverride) {
        // spark-submit passes its --master to the application as the system property spark.master.
        return of(config, masterOverride, System.getProperty("spark.master"));
    }

    /**
     * @param config the run's config
     * @param masterOverride the command line's master, or null
     * @param submitted the master {@code spark-submit} was given, or null: it comes before the config's
     *     (the same config submits to any cluster) and after the command line's
     * @return the settings
     */
    static DistributedSettings of(Config config, String masterOverride, String submitted) {
        Map<?, ?> section = Map.of();
        if (config != null && config.has(SECTION)) {
            Object s = config.get(SECTION);
            if (!(s instanceof Map<?, ?> m)) {
                throw new ConfigException(config.location(SECTION), "expected a section, got " + JsonValues.describe(s));
            }
            section = m;
        }
        for (Object key : section.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new ConfigException(config.location(SECTION + "." + key), "unknown setting; [" + SECTION
                        + "] takes " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        String master = masterOverride != null && !masterOverride.isBlank() ? masterOverride
                : submitted != null && !submitted.isBlank() ? submitted
                : section.containsKey("master") ? text(config, section, "master") : DEFAULT_MASTER;
        Sync sync = Sync.GRADIENTS;
        if (section.containsKey("sync")) {
            String s = text(config, section, "sync");
            try {
                sync = Sync.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(config.location(SECTION + ".sync"), "expected \"gradients\" or \"averaging\", got \""
                        + s + "\"");
            }
        }
        int steps = section.containsKey("steps_per_round") ? whole(config, section, "steps_per_round", 1) : 1;
        int partitions = section.containsKey("partitions") ? whole(config, section, "partitions", 0) : 0;
        if (sync == Sync.GRADIENTS && steps != 1) {
            throw new ConfigException(config.location(SECTION + ".steps_per_round"), "sync \"gradients\" takes one step"
                    + " per round, got " + steps + "; set sync = \"averaging\" for several local steps");
        }
        return new DistributedSettings(master, sync, steps, partitions);
    }

    private static String text(Config config, Map<?, ?> section, String key) {
        Object v = section.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new ConfigException(config.location(SECTION + "." + key), "expected a non-empty string, got "
                    + JsonValues.describe(v));
        }
        return s;
    }

    private static int whole(Config config, Map<?, ?> section, String key, int min) {
        Object v = section.get(key);
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
                || n.doubleValue() > Integer.MAX_VALUE) {
            throw new ConfigException(config.location(SECTION + "." + key), "expected a whole number, at least " + min
                    + ", got " + JsonValues.describe(v));
        }
        return n.intValue();
    }
}
