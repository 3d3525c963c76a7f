/**
 * Evaluation of a trained model on labelled data, and its predictions written out.
 *
 * <p>{@link dev.thinj.train.eval.ClassificationReport} (accuracy, macro-F1, per-class precision,
 * recall, F1 and support, the confusion matrix) and {@link dev.thinj.train.eval.RegressionReport}
 * (MSE, MAE, R²) compute what scikit-learn's metrics compute, with its conventions: a class with no
 * predicted or no true samples scores 0 ({@code zero_division=0}); R² averages the outputs
 * uniformly. {@link dev.thinj.train.eval.ConfusionMatrixPlot},
 * {@link dev.thinj.train.eval.PredictionScatterPlot} and {@link dev.thinj.train.eval.EvaluationJson}
 * turn a report into the files {@code thinj evaluate} leaves behind;
 * {@link dev.thinj.train.eval.PredictionWriter} streams {@code thinj predict}'s CSV.
 *
 * <p>Every file is written atomically: readers see the previous file or the complete new one, and a
 * failed write leaves nothing behind ({@link dev.thinj.train.eval.OutputFileException} names the
 * file). Numbers are written with {@link java.util.Locale#ROOT}, whatever the user's locale.
 */
package dev.thinj.train.eval;
