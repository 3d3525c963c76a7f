package dev.thinj.train.data.csv;

import dev.thinj.train.data.DevSplit;
import dev.thinj.train.data.LoadedDataset;
import dev.thinj.train.data.Split;
import dev.thinj.train.data.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code csv.v1} dataset: a training CSV file and either a test file with the same feature
 * columns or a seeded share of the training rows held out. Classification labels become classes in
 * sorted order (see {@link LabelEncoder}), named as written (less surrounding spaces); regression
 * labels are one float each. Header names lose surrounding spaces too.
 */
public final class CsvDataset {
    private CsvDataset() {
    }

    /**
     * @param train the training file, gzipped or not
     * @param test the test file, or null to hold out {@code devFraction} of {@code train}
     * @param devFraction the share of {@code train} held out when there is no test file, in (0, 1)
     * @param seed the seed of that split
     * @param columns which columns to read
     * @param task classification or regression
     * @return both splits, the task and the class names
     * @throws dev.thinj.train.data.DataException for a bad file, naming its line and column
     * @throws IllegalArgumentException if {@code devFraction} is out of range
     */
    public static LoadedDataset load(Path train, Path test, double devFraction, long seed, CsvColumns columns,
            Task task) {
        if (test == null && !(devFraction > 0 && devFraction < 1)) {
            throw new IllegalArgumentException("dev_fraction must be between 0 and 1 (exclusive), got " + devFraction);
        }
        boolean classify = task == Task.CLASSIFY;
        CsvTable trainTable = CsvTableReader.readTraining(train, columns, classify);
        List<String> classes = classify ? trainTable.labels().classes() : List.of();
        Split all = split(trainTable, classes, train.toString());
        String what = "CSV " + train + ": " + describe(trainTable, classes);
        List<String> names = columns.header() ? trainTable.layout().featureNames() : List.of();
        if (test == null) {
            DevSplit.Parts parts = DevSplit.split(all, devFraction, seed, train.toString());
            return new LoadedDataset(parts.train(), parts.test(), task, classes, what + "; "
                    + parts.test().count() + " of them held out for testing (dev_fraction "
                    + String.format(Locale.ROOT, "%.3g", devFraction) + ", seed " + seed + ")", names);
        }
        CsvTable testTable = CsvTableReader.readTest(test, columns, trainTable.layout(), train.toString(), classify);
        return new LoadedDataset(all, split(testTable, classes, train.toString()), task, classes, what + "; test " + test + ": "
                + testTable.count() + " rows", names);
    }

    private static Split split(CsvTable t, List<String> classes, String trainSource) {
        int width = t.layout().width();
        if (!t.classified()) {
            return Split.regression(t.count(), width, t.features(), t.targets(), 1);
        }
        int[] classOf = t.labels().remap(classes, t.source(), t.layout().labelName(), trainSource);
        int[] labels = t.codes();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = classOf[labels[i]];
        }
        return Split.classification(t.count(), width, t.features(), labels);
    }

    private static String describe(CsvTable t, List<String> classes) {
        String rows = t.count() + " rows of " + t.layout().width() + " features, label \"" + t.layout().labelName()
                + "\"";
        return classes.isEmpty() ? rows + " (regression)"
                : rows + ", " + classes.size() + " classes (" + ColumnLayout.quoted(classes) + ")";
    }
}
