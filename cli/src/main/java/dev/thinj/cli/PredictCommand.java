package dev.thinj.cli;

import dev.thinj.ops.OpsScope;
import dev.thinj.train.DatasetInfo;
import dev.thinj.train.Predictions;
import dev.thinj.train.TrainedModel;
import dev.thinj.train.data.DataException;
import dev.thinj.train.data.FeatureRows;
import dev.thinj.train.data.Task;
import dev.thinj.train.eval.PredictionWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code thinj predict MODEL INPUT [--output FILE] [--probabilities]}: one CSV row per input row — the
 * predicted class name (or value, for regression), and with {@code --probabilities} one column per
 * class. Rows stream through in chunks: a file of any size predicts in bounded memory.
 */
@Command(name = "predict", description = {"Predict every row of INPUT: a CSV/TSV file (the training columns; the"
        + " label column, if there, is ignored), a NumPy .npy array or an IDX image file.",
    "Writes CSV: the predicted class name (or value) per row, to FILE or the console."})
final class PredictCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a model file written by thinj train, or by"
            + " Thinc's model.to_disk()")
    Path model;

    @Parameters(index = "1", paramLabel = "INPUT", description = "the rows to predict: .csv/.tsv (optionally .gz),"
            + " .npy, or an IDX image file")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "write the CSV here (atomically) instead of the console")
    Path output;

    @Option(names = "--probabilities", description = "add one column per class: the model's output for it")
    boolean probabilities;

    @Option(names = "--config", description = "the config the model was trained with (default: config.cfg beside"
            + " MODEL);"
            + " for a Thinc model file, the config it was built from")
    Path config;

    @Option(names = "--limit", description = "predict at most this many rows (default: all)")
    long limit = Long.MAX_VALUE;

    @Option(names = "--ops", description = "backend: cpu, cuda or auto")
    String ops;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        try (OpsScope scope = BackendOption.use(ops)) {
            Path modelFile = InputFiles.model(model);
            InputFiles.file(input, "an input file", "give " + FeatureRows.KINDS);
            TrainedModel trained = TrainedModel.open(modelFile, config == null ? null : InputFiles.config(config),
                    Map.of());
            DatasetInfo info = trained.info();
            try (FeatureRows rows = FeatureRows.open(input, trained.config(), info.width(), info.featureNames())) {
                if (rows.width() != info.width()) {
                    throw new DataException(rows.source() + ": " + rows.width() + " features per row, but the model"
                            + " takes " + info.width());
                }
                PrintWriter console = spec.commandLine().getOut();
                PredictionWriter writer = writer(info, console);
                try {
                    Predictions.stream(trained.model(), rows, writer, limit);
                } catch (RuntimeException e) {
                    writer.abort();  // no half-written --output file
                    throw e;
                }
                writer.close();
                console.flush();
            }
        }
        return 0;
    }

    private PredictionWriter writer(DatasetInfo info, PrintWriter console) {
        if (info.task() == Task.CLASSIFY) {
            return output != null ? PredictionWriter.classification(output, info.classNames(), probabilities)
                    : PredictionWriter.classification(console, info.classNames(), probabilities);
        }
        if (probabilities) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--probabilities: the model is a regression"
                    + " model; it predicts values, not classes");
        }
        return output != null ? PredictionWriter.regression(output, info.targetWidth())
                : PredictionWriter.regression(console, info.targetWidth());
    }
}
