package dev.thinj.train;

import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.Split;
import dev.thinj.train.eval.ClassificationReport;
import dev.thinj.train.eval.RegressionReport;
import java.util.Map;

/** The scores an epoch reports on the evaluation split, the primary one (higher is better) first. */
final class DevScores {
    private DevScores() {
    }

    /**
     * @param model the model, in whatever parameters the caller swapped in
     * @param x the split's features, on the model's backend (cut into chunks once per run)
     * @param split the split (its targets, on the host)
     * @param data the dataset (task, class names)
     * @return accuracy and macro-F1 for classification; R², MSE and MAE for regression
     */
    static Map<String, Double> of(Model<FloatArray, FloatArray> model, RowChunks x, Split split, Dataset data) {
        return switch (data.task()) {
            case CLASSIFY -> ClassificationReport.of(split.labels(), Predictions.classes(model, x),
                    data.classNames()).scores();
            case REGRESS -> RegressionReport.of(split.targets(), Predictions.values(model, x),
                    split.targetWidth()).scores();
        };
    }
}
