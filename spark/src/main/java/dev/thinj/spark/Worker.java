package dev.thinj.spark;

import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.config.Config;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.registry.Registry;
import dev.thinj.model.registry.Resolved;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.Objective;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A model rebuilt on an executor from the run's config, with its objective and optimizer: what a
 * task trains with. Built once per executor JVM, thread and run (see {@link WorkerModels}); every
 * task first overwrites whatever state the previous one left (parameters, gradients, dropout
 * streams), so its result depends only on the broadcast state, its partition and its round.
 */
final class Worker {
    /** The sections an executor resolves: the data is read by the partitions, never from [data]. */
    private static final Set<String> SECTIONS = Set.of("model", "loss", "optimizer");

    final Model<FloatArray, FloatArray> model;
    final Objective objective;
    final ShardScale scale;
    final Optimizer optimizer;
    final ParamVector vector;
    final Ops ops;
    /** The seed of each node with a dropout stream, as the driver's model had it: re-derived per task. */
    private final Map<Model<?, ?>, Long> dropoutSeeds = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    Worker(JobSpec job) {
        this.ops = WorkerBackend.open(job.backend());
        try (OpsScope scope = Ops.use(ops)) {
            RandomSeeds.fix(job.seed());
            Config cfg = Config.parse(job.configText(), "the run's config");
            Resolved r = Registry.global().resolve(cfg.withValues(ConfigSections.onlyFunctionsOf(cfg, SECTIONS)));
            this.model = r.get("model", Model.class);
            Object loss = cfg.has("loss") ? r.get("loss", Object.class) : null;
            this.objective = Objective.of(job.task(), loss);
            this.scale = ShardScale.of(loss, job.task());
            this.optimizer = r.get("optimizer", Optimizer.class);
            ModelFile.fromBytes(model, job.initialModel().value(), "the driver's model");
        }
        this.vector = ParamVector.of(model);
        for (Model<?, ?> node : model.walk()) {
            if (node.attrNames().contains("seed") && node.attrNames().contains("dropout_draws")) {
                dropoutSeeds.put(node, node.<Long>attr("seed"));
            }
        }
    }

    /**
     * Starts a task: zeroes every gradient (a task that failed half-way may have left some) and keys
     * every dropout stream by the partition and the round, so a retried task draws the same masks.
     *
     * @param partition the task's partition
     * @param round the round, unique in the run
     */
    void startTask(int partition, long round) {
        for (Model<?, ?> node : model.walk()) {
            for (String p : node.paramNames()) {
                if (node.hasGrad(p)) {
                    FloatArray g = node.getGrad(p);
                    g.ops().fill(g, 0f);
                }
            }
        }
        for (Map.Entry<Model<?, ?>, Long> e : dropoutSeeds.entrySet()) {
            e.getKey().setAttr("seed", mix(e.getValue(), partition));
            e.getKey().setAttr("dropout_draws", round << 20);
        }
    }

    /** SplitMix64's finaliser over the seed and the partition: unrelated streams for neighbouring partitions. */
    private static long mix(long seed, int partition) {
        long z = seed + 0x9E3779B97F4A7C15L * (partition + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
