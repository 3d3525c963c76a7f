package dev.thinj.spark;

import dev.thinj.model.config.Config;
import dev.thinj.model.config.Overrides;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.Trainer;
import dev.thinj.train.TrainingPlan;
import dev.thinj.train.report.EpochLine;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The single-process reference of {@code benchmarks/scripts/spark-race.sh}'s exactness check, from the
 * command line: trains a config as {@code thinj train} would, but through {@link ShardedSteps}, into an
 * output folder whose checkpoints compare with a Spark run's.
 *
 * <pre>java -cp ... dev.thinj.spark.ShardedReference CONFIG PARTITIONS OUT [--section.key value ...]</pre>
 */
public final class ShardedReference {
    private ShardedReference() {
    }

    /** @param args the config, the partitions, the output folder, then overrides as {@code thinj train} takes them */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ShardedReference CONFIG PARTITIONS OUT [--section.key value ...]");
            System.exit(2);
        }
        Map<String, Object> overrides = Overrides.fromArgs(List.of(args).subList(3, args.length));
        Path config = Path.of(args[0]);
        try (OpsScope cpu = Ops.use("cpu")) {
            Config cfg = Config.parse(Files.readString(config), config.toString(), overrides);
            TrainingPlan plan = TrainingPlan.resolve(cfg, TrainingPlan.seedOf(cfg));
            new Trainer(plan, Path.of(args[2]), List.of(new EpochLine(new PrintWriter(System.out, true))),
                    new ShardedSteps(Integer.parseInt(args[1]))).run(false);
        }
    }
}
