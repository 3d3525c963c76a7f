package dev.thinj.cli;

import dev.thinj.model.config.Config;
import dev.thinj.model.config.Overrides;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.DistributedTraining;
import dev.thinj.train.Trainer;
import dev.thinj.train.TrainingPlan;
import dev.thinj.train.report.EpochLine;
import dev.thinj.train.report.EpochMetrics;
import dev.thinj.train.report.EpochProgress;
import dev.thinj.train.report.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code thinj train CONFIG [--ops cpu|cuda|auto] [--output DIR] [--resume] [--data DIR] [--spark[=MASTER]]
 * [--section.key value ...]}: trains the config's model, evaluating, checkpointing and plotting each
 * epoch; with {@code --spark}, data-parallel on Apache Spark through the {@code "spark"}
 * {@link DistributedTraining} found on the class path (this module does not depend on Spark).
 */
@Command(name = "train", description = "Train the model a config describes (Thinc's config format).")
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the config file")
    Path config;

    @Option(names = "--ops", description = "backend: cpu, cuda or auto (default: [training] ops, else thinj.ops/THINJ_OPS, else auto)")
    String ops;

    @Option(names = "--output", description = "folder for checkpoints, metrics and the plot (default: runs/<config name>)")
    Path output;

    @Option(names = "--resume", description = "continue from the output folder's last checkpoint (none there: start"
            + " from epoch 1, so a preemptible job can always pass it)")
    boolean resume;

    @Option(names = "--data", description = "folder with the full Fashion-MNIST IDX files (default: the embedded subset)")
    Path data;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    /** What {@code --spark} with no master stands for: the config's {@code [training.distributed]} master. */
    static final String CONFIG_MASTER = "config";

    @Option(names = "--spark", arity = "0..1", fallbackValue = CONFIG_MASTER, paramLabel = "MASTER",
            parameterConsumer = MasterConsumer.class,
            description = "train data-parallel on Apache Spark: a master URL (local[2], spark://host:7077, ...); alone,"
                    + " [training.distributed] master, else local[*]. Needs the spark module, which ./thinj adds")
    String spark;

    /**
     * Takes {@code --spark}'s master only when one follows: a next argument that starts with {@code -} is
     * the next option (a config override such as {@code --training.n_epoch}), not a master URL.
     */
    static final class MasterConsumer implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(java.util.Stack<String> args, CommandLine.Model.ArgSpec argSpec,
                CommandLine.Model.CommandSpec commandSpec) {
            String next = args.isEmpty() ? null : args.peek();
            argSpec.setValue(next == null || next.startsWith("-") ? CONFIG_MASTER : args.pop());
        }
    }

    /** The line that says how to get the Spark module when it is not on the class path. */
    static final String NO_SPARK = "--spark needs thinj's spark module on the class path: run ./thinj train CONFIG --spark"
            + " ... (it builds the module and adds it with Spark's jars), or add spark/target/thinj-spark-*.jar and the"
            + " jars listed in spark/target/spark.classpath to java's -cp";

    @CommandLine.Unmatched
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        Map<String, Object> values = new LinkedHashMap<>(Overrides.fromArgs(overrides));
        if (data != null) {
            InputFiles.folder(data, InputFiles.DATA_HINT + " (or leave --data out for the embedded subset)");
            values.put("data.path", data.toAbsolutePath().toString());
        }
        Config cfg = Config.read(InputFiles.config(config), values);
        String backend = ops != null ? ops : cfg.has("training.ops") ? String.valueOf(cfg.get("training.ops")) : null;
        Path out = output != null ? output : Path.of("runs", config.getFileName().toString().replaceFirst("\\.cfg$", ""));
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputFiles.InputException(out + ": is a file, not a folder; give --output a folder for the run"
                    + " (created if missing)");
        }
        DistributedTraining distributed = spark == null ? null : DistributedTraining.find("spark")
                .orElseThrow(() -> new InputFiles.InputException(NO_SPARK));
        PrintWriter log = spec.commandLine().getOut();
        try (OpsScope scope = BackendOption.use(backend)) {
            log.println("thinj train " + config + " on " + scope.ops().description());
            TrainingPlan plan = TrainingPlan.resolve(cfg, TrainingPlan.seedOf(cfg));
            List<TrainingListener> listeners = new ArrayList<>();
            if (!noProgress) {
                listeners.add(new EpochProgress());
            }
            listeners.add(new EpochLine(log));
            EpochMetrics last = distributed == null ? new Trainer(plan, out, listeners).run(resume)
                    : distributed.train(plan, out, listeners, resume, CONFIG_MASTER.equals(spark) ? null : spark,
                            backend != null ? backend : "auto");
            if (last != null) {
                log.printf(Locale.ROOT, "test %s %.4f after %d epochs; model, checkpoint, metrics.jsonl and training.png"
                        + " in %s%n", last.scoreName(), last.score(), last.epoch(), out);
            } else {
                log.println("nothing to do: " + out + " already holds all " + plan.epochs() + " epochs");
            }
        }
        return 0;
    }
}
