package dev.thinj.train;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.Ops;
import dev.thinj.train.data.DataException;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.Split;
import dev.thinj.train.data.Task;
import dev.thinj.train.eval.ClassificationReport;
import dev.thinj.train.eval.ConfusionMatrixPlot;
import dev.thinj.train.eval.EvaluationJson;
import dev.thinj.train.eval.PredictionScatterPlot;
import dev.thinj.train.eval.RegressionReport;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code thinj evaluate}: a trained model on a dataset's test split, as a report (accuracy, macro-F1
 * and per-class scores; or MSE, MAE and R²) and files — {@code evaluation.json} and a plot
 * ({@code confusion.png}, or {@code scatter.png} for regression).
 */
public final class Evaluation {
    /** The JSON report's name in the output folder. */
    public static final String JSON = "evaluation.json";
    /** The confusion matrix's name in the output folder. */
    public static final String CONFUSION = "confusion.png";
    /** The predicted-against-true plot's name in the output folder. */
    public static final String SCATTER = "scatter.png";

    private Evaluation() {
    }

    /**
     * What an evaluation found.
     *
     * @param text the report as text, for the console
     * @param scores the headline scores by name, the primary one first
     * @param files the files written
     */
    public record Result(String text, Map<String, Double> scores, List<Path> files) {
    }

    /**
     * @param trained the model and what it knows of its data
     * @param data the dataset whose test split is evaluated
     * @param outDir where the JSON report and the plot go (created if missing)
     * @return the report
     * @throws DataException if the data does not fit the model: another feature width, another task,
     *     or a class the model never saw in training
     */
    public static Result run(TrainedModel trained, Dataset data, Path outDir) {
        DatasetInfo info = trained.info();
        Split test = data.test();
        if (data.task() != info.task()) {
            throw new DataException(data.describe() + ": a " + name(data.task()) + " dataset, but the model was trained"
                    + " for " + name(info.task()));
        }
        if (test.width() != info.width()) {
            throw new DataException(data.describe() + ": " + test.width() + " features per row, but the model takes "
                    + info.width());
        }
        createFolder(outDir);
        Ops ops = trained.model().ops();
        try (ArrayScope scope = ops.scope()) {
            RowChunks x = RowChunks.of(ops, test.features(), test.count(), test.width());
            if (info.task() == Task.CLASSIFY) {
                int[] truth = toModelClasses(test.labels(), data.classNames(), info.classNames(), data.describe());
                ClassificationReport report = ClassificationReport.of(truth, Predictions.classes(trained.model(), x),
                        info.classNames());
                Path json = outDir.resolve(JSON);
                Path png = outDir.resolve(CONFUSION);
                EvaluationJson.write(report, json);
                ConfusionMatrixPlot.write(report, png);
                return new Result(report.format(), report.scores(), List.of(json, png));
            }
            float[] predicted = Predictions.values(trained.model(), x);
            RegressionReport report = RegressionReport.of(test.targets(), predicted, test.targetWidth());
            Path json = outDir.resolve(JSON);
            Path png = outDir.resolve(SCATTER);
            EvaluationJson.write(report, json);
            PredictionScatterPlot.write(test.targets(), predicted, test.targetWidth(), png);
            return new Result(report.format(), report.scores(), List.of(json, png));
        }
    }

    /**
     * Maps the data's class indices onto the model's by name: a dataset read on its own numbers its
     * classes by what it holds, which need not be what the model was trained on.
     */
    static int[] toModelClasses(int[] labels, List<String> dataNames, List<String> modelNames, String source) {
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < modelNames.size(); i++) {
            byName.put(modelNames.get(i), i);
        }
        int[] mapped = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            String name = dataNames.get(labels[i]);
            Integer index = byName.get(name);
            if (index == null) {
                throw new DataException(source + ": label \"" + name + "\" (row " + (i + 1) + " of the test split) was"
                        + " never seen in training; the model knows " + quoted(modelNames));
            }
            mapped[i] = index;
        }
        return mapped;
    }

    private static String quoted(List<String> names) {
        List<String> shown = names.size() <= 20 ? names : names.subList(0, 20);
        String list = String.join("\", \"", shown);
        return "\"" + list + "\"" + (names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "");
    }

    private static String name(Task task) {
        return task == Task.CLASSIFY ? "classification" : "regression";
    }

    private static void createFolder(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new DataException("Cannot create output folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
