package dev.thinj.cli;

import dev.thinj.model.config.Overrides;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.Evaluation;
import dev.thinj.train.TrainedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code thinj evaluate MODEL [--data DIR] [--section.key value ...]}: a trained model on the test split of
 * the dataset its config names (or another, by overrides), with a report and its files.
 */
@Command(name = "evaluate", description = {"Evaluate a trained model on the test split of the data its config"
        + " names: accuracy, macro-F1 and per-class scores (or MSE, MAE, R²), evaluation.json and a plot.",
    "Overrides such as --data.test other.csv evaluate on other data."})
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a model file written by thinj train, or by"
            + " Thinc's model.to_disk()")
    Path model;

    @Option(names = "--data", paramLabel = "DIR", description = "for IDX datasets: the folder with the four IDX files"
            + " (the same as --data.path DIR)")
    Path data;

    @Option(names = "--config", description = "the config the model was trained with (default: config.cfg beside"
            + " MODEL);"
            + " for a Thinc model file, the config it was built from")
    Path config;

    @Option(names = "--output", description = "folder for evaluation.json and the plot (default: MODEL's folder)")
    Path output;

    @Option(names = "--ops", description = "backend: cpu, cuda or auto")
    String ops;

    @CommandLine.Unmatched
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        try (OpsScope scope = BackendOption.use(ops)) {
            Map<String, Object> values = new LinkedHashMap<>(Overrides.fromArgs(overrides));
            if (data != null) {
                InputFiles.folder(data, InputFiles.DATA_HINT + " (or leave --data out for the data of the model's config)");
                values.put("data.path", data.toAbsolutePath().toString());
            }
            Path modelFile = InputFiles.model(model);
            TrainedModel trained = TrainedModel.open(modelFile, config == null ? null : InputFiles.config(config), values);
            Path out = output != null ? output : modelFile.toAbsolutePath().getParent();
            Evaluation.Result result = Evaluation.run(trained, trained.dataset(), out);
            PrintWriter w = spec.commandLine().getOut();
            w.print(result.text());
            if (!result.text().endsWith("\n")) {
                w.println();
            }
            w.println("wrote " + String.join(" and ", result.files().stream().map(Path::toString).toList()));
            w.flush();
        }
        return 0;
    }
}
