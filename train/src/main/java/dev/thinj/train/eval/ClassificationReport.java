package dev.thinj.train.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How well a classifier did: the confusion matrix and what scikit-learn computes from it (accuracy,
 * macro-F1 and per-class precision, recall, F1 and support, with {@code zero_division=0} and every
 * class counted in the macro average, also one absent from both truth and predictions).
 *
 * <p>The record is immutable: {@link #confusion()} returns a copy, and equality compares the matrix
 * by content.
 *
 * @param classNames the class names, by index
 * @param confusion {@code confusion[t][p]}: how many samples of true class {@code t} were predicted
 *     as {@code p}
 * @param accuracy the share of samples predicted right (the matrix's trace over its sum)
 * @param macroF1 the mean of the classes' F1 scores
 * @param classes each class's scores, by index
 */
public record ClassificationReport(List<String> classNames, int[][] confusion, double accuracy, double macroF1,
        List<ClassScores> classes) {

    /** Checks that the parts fit together (k names, a k×k matrix of counts, k scores) and copies them. */
    public ClassificationReport {
        classNames = List.copyOf(classNames);
        classes = List.copyOf(classes);
        int k = classNames.size();
        if (k == 0) {
            throw new IllegalArgumentException("A classification report needs at least one class");
        }
        if (confusion.length != k || classes.size() != k) {
            throw new IllegalArgumentException("A classification report of " + k + " classes needs a " + k + "x" + k
                    + " confusion matrix and " + k + " class scores, not " + confusion.length + " rows and "
                    + classes.size() + " scores");
        }
        int[][] copy = new int[k][];
        for (int t = 0; t < k; t++) {
            if (confusion[t].length != k) {
                throw new IllegalArgumentException("Confusion matrix row " + t + " has " + confusion[t].length
                        + " columns, not " + k);
            }
            copy[t] = confusion[t].clone();
            for (int p = 0; p < k; p++) {
                if (copy[t][p] < 0) {
                    throw new IllegalArgumentException("Confusion matrix cell [" + t + "][" + p + "] is negative: "
                            + copy[t][p]);
                }
            }
        }
        confusion = copy;
    }

    /**
     * @param truth the true class index of each sample (not modified)
     * @param predicted the predicted class index of each sample (not modified)
     * @param classNames the class names by index: at least one, distinct
     * @return the report
     * @throws IllegalArgumentException if the arrays differ in length or are empty, an index is outside
     *     {@code [0, classNames.size())} (the message names the array, position and value), or the names
     *     are empty or repeat
     */
    public static ClassificationReport of(int[] truth, int[] predicted, List<String> classNames) {
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(predicted, "predicted");
        List<String> names = checkNames(classNames);
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " labels but predicted has "
                    + predicted.length);
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("No samples to evaluate: truth and predicted are empty");
        }
        int k = names.size();
        int[][] confusion = new int[k][k];
        for (int i = 0; i < truth.length; i++) {
            confusion[checkIndex("truth", i, truth[i], k)][checkIndex("predicted", i, predicted[i], k)]++;
        }
        return fromConfusion(names, confusion, truth.length);
    }

    /** @return the names, copied, if there is at least one and none is null or repeated */
    static List<String> checkNames(List<String> classNames) {
        Objects.requireNonNull(classNames, "classNames");
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("No class names: a classification needs at least one class");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < classNames.size(); i++) {
            String name = classNames.get(i);
            if (name == null) {
                throw new IllegalArgumentException("Class name " + i + " is null");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("Class name \"" + name + "\" appears twice (again at index " + i + ")");
            }
        }
        return List.copyOf(classNames);
    }

    private static int checkIndex(String array, int i, int value, int classes) {
        if (value < 0 || value >= classes) {
            throw new IllegalArgumentException(array + "[" + i + "] = " + value + " is not a class index: there are "
                    + classes + " classes (0.." + (classes - 1) + ")");
        }
        return value;
    }

    private static ClassificationReport fromConfusion(List<String> names, int[][] confusion, int count) {
        int k = names.size();
        long trace = 0;
        double f1Sum = 0;
        List<ClassScores> scores = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            int support = 0;
            int predictedAs = 0;
            for (int o = 0; o < k; o++) {
                support += confusion[c][o];
                predictedAs += confusion[o][c];
            }
            double precision = ratio(tp, predictedAs);
            double recall = ratio(tp, support);
            // 2tp / (2tp + fp + fn): equal to 2PR / (P + R), and 0 where sklearn's zero_division=0 gives 0.
            double f1 = ratio(2.0 * tp, (double) predictedAs + support);
            scores.add(new ClassScores(names.get(c), precision, recall, f1, support));
            trace += tp;
            f1Sum += f1;
        }
        return new ClassificationReport(names, confusion, (double) trace / count, f1Sum / k, scores);
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0.0 : numerator / denominator;
    }

    /** @return a copy of the confusion matrix, {@code [truth][predicted]} */
    @Override
    public int[][] confusion() {
        int[][] copy = new int[confusion.length][];
        for (int t = 0; t < copy.length; t++) {
            copy[t] = confusion[t].clone();
        }
        return copy;
    }

    /** @return how many samples were evaluated (the confusion matrix's sum) */
    public int count() {
        int n = 0;
        for (int[] row : confusion) {
            for (int v : row) {
                n += v;
            }
        }
        return n;
    }

    /** @return {@code accuracy} and {@code macro_f1}, in that order (the metrics log's names) */
    public LinkedHashMap<String, Double> scores() {
        LinkedHashMap<String, Double> s = new LinkedHashMap<>();
        s.put("accuracy", accuracy);
        s.put("macro_f1", macroF1);
        return s;
    }

    /**
     * @return a text report, like scikit-learn's {@code classification_report}: accuracy and macro-F1,
     *     then one line per class (precision, recall, F1, support) and the macro and support-weighted
     *     averages
     */
    public String format() {
        int width = "weighted avg".length();
        for (String name : classNames) {
            width = Math.max(width, name.length());
        }
        String row = "%-" + width + "s  %9s  %9s  %9s  %9s%n";
        String numbers = "%-" + width + "s  %9.4f  %9.4f  %9.4f  %9d%n";
        int count = count();
        int right = 0;
        for (int c = 0; c < confusion.length; c++) {
            right += confusion[c][c];
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "accuracy  %.4f (%d of %d right)%n", accuracy, right, count));
        out.append(String.format(Locale.ROOT, "macro F1  %.4f%n%n", macroF1));
        out.append(String.format(Locale.ROOT, row, "class", "precision", "recall", "f1-score", "support"));
        double[] macro = new double[3];
        double[] weighted = new double[3];
        for (ClassScores c : classes) {
            out.append(String.format(Locale.ROOT, numbers, c.name(), c.precision(), c.recall(), c.f1(), c.support()));
            double[] v = {c.precision(), c.recall(), c.f1()};
            for (int j = 0; j < 3; j++) {
                macro[j] += v[j] / classes.size();
                weighted[j] += v[j] * c.support() / count;
            }
        }
        out.append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, numbers, "macro avg", macro[0], macro[1], macro[2], count));
        out.append(String.format(Locale.ROOT, numbers, "weighted avg", weighted[0], weighted[1], weighted[2], count));
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationReport r && classNames.equals(r.classNames)
                && Arrays.deepEquals(confusion, r.confusion) && Double.compare(accuracy, r.accuracy) == 0
                && Double.compare(macroF1, r.macroF1) == 0 && classes.equals(r.classes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classNames, Arrays.deepHashCode(confusion), accuracy, macroF1, classes);
    }

    @Override
    public String toString() {
        return "ClassificationReport[classNames=" + classNames + ", confusion=" + Arrays.deepToString(confusion)
                + ", accuracy=" + accuracy + ", macroF1=" + macroF1 + ", classes=" + classes + "]";
    }
}
