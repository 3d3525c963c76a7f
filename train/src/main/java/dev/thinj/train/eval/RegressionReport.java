package dev.thinj.train.eval;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Objects;

/**
 * How well a regression model did, as scikit-learn's {@code mean_squared_error},
 * {@code mean_absolute_error} and {@code r2_score} (with {@code multioutput='uniform_average'})
 * compute it, in double from the float values.
 *
 * @param count how many rows (samples)
 * @param width how many outputs per row
 * @param mse the mean squared error over every row and output
 * @param mae the mean absolute error over every row and output
 * @param r2 the coefficient of determination, averaged over the outputs: per output
 *     {@code 1 - SS_res / SS_tot}; an output whose true values are all equal scores 1 if predicted
 *     exactly, else 0 (as sklearn's {@code force_finite}); NaN with fewer than two rows, where R² is
 *     undefined (sklearn warns and returns NaN too)
 */
public record RegressionReport(int count, int width, double mse, double mae, double r2) {

    /** Checks that count and width are positive. */
    public RegressionReport {
        if (count < 1 || width < 1) {
            throw new IllegalArgumentException("A regression report needs at least one row and one output, not "
                    + count + " rows of " + width);
        }
    }

    /**
     * @param truth the true values, row-major {@code count × width} (not modified)
     * @param predicted the predictions, the same shape (not modified)
     * @param width the outputs per row, at least 1
     * @return the report
     * @throws IllegalArgumentException if the lengths differ, are empty or not a multiple of {@code width},
     *     or a value is NaN or infinite (the message names the array, row and output)
     */
    public static RegressionReport of(float[] truth, float[] predicted, int width) {
        int count = check(truth, predicted, width);
        double squared = 0;
        double absolute = 0;
        for (int i = 0; i < truth.length; i++) {
            double d = (double) truth[i] - predicted[i];
            squared += d * d;
            absolute += Math.abs(d);
        }
        double n = (double) truth.length;
        return new RegressionReport(count, width, squared / n, absolute / n, r2(truth, predicted, count, width));
    }

    private static double r2(float[] truth, float[] predicted, int count, int width) {
        if (count < 2) {
            return Double.NaN;
        }
        double sum = 0;
        for (int j = 0; j < width; j++) {
            double mean = 0;
            for (int r = 0; r < count; r++) {
                mean += truth[r * width + j];
            }
            mean /= count;
            double residual = 0;
            double total = 0;
            for (int r = 0; r < count; r++) {
                double t = truth[r * width + j];
                double d = t - predicted[r * width + j];
                residual += d * d;
                total += (t - mean) * (t - mean);
            }
            if (total != 0) {
                sum += 1 - residual / total;
            } else {
                // A constant output: sklearn (force_finite) scores it 1 if predicted exactly, else 0.
                sum += residual == 0 ? 1.0 : 0.0;
            }
        }
        return sum / width;
    }

    /**
     * Checks a truth/prediction pair of row-major tables (shared with the scatter plot).
     *
     * @return the number of rows
     */
    static int check(float[] truth, float[] predicted, int width) {
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(predicted, "predicted");
        if (width < 1) {
            throw new IllegalArgumentException("width must be at least 1, not " + width);
        }
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " values but predicted has "
                    + predicted.length);
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("No samples to evaluate: truth and predicted are empty");
        }
        if (truth.length % width != 0) {
            throw new IllegalArgumentException(truth.length + " values are not whole rows of width " + width);
        }
        checkFinite("truth", truth, width);
        checkFinite("predicted", predicted, width);
        return truth.length / width;
    }

    private static void checkFinite(String array, float[] values, int width) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(array + " row " + i / width + ", output " + i % width + " is "
                        + values[i] + ": metrics need finite values");
            }
        }
    }

    /** @return {@code r2}, {@code mse} and {@code mae}, in that order (the metrics log's names) */
    public LinkedHashMap<String, Double> scores() {
        LinkedHashMap<String, Double> s = new LinkedHashMap<>();
        s.put("r2", r2);
        s.put("mse", mse);
        s.put("mae", mae);
        return s;
    }

    /** @return a text report: the rows and outputs, then R², MSE and MAE, one a line */
    public String format() {
        return String.format(Locale.ROOT, "rows %d, outputs %d%nR2   %s%nMSE  %.6g%nMAE  %.6g%n", count, width,
                Double.isNaN(r2) ? "undefined (fewer than 2 rows)" : String.format(Locale.ROOT, "%.6f", r2), mse, mae);
    }
}
