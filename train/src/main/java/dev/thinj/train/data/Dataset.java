package dev.thinj.train.data;

import java.util.List;

/**
 * What a {@code datasets} function of a config returns, and all the trainer knows of its data: a
 * training and a test split, the task, and for classification the class names in index order (what
 * {@code thinj predict} prints). Datasets are read whole onto the host; the trainer uploads them to
 * the backend.
 */
public interface Dataset {
    /** @return the split trained on */
    Split train();

    /** @return the split evaluated after every epoch (a test file, or a seeded share of train) */
    Split test();

    /** @return classification or regression */
    Task task();

    /** @return one name per class, index order (classification); empty for regression */
    List<String> classNames();

    /** @return one line saying what was read, for the training log */
    String describe();

    /**
     * The first rows of the training split: what a trainer infers the model's open widths from, and
     * all it reads of the training data on this machine when the steps run elsewhere (a dataset spread
     * over a cluster overrides this to read only these rows).
     *
     * @param rows how many rows at most
     * @return a split of {@code min(rows, train().count())} rows
     */
    default Split trainHead(int rows) {
        Split train = train();
        int n = Math.min(rows, train.count());
        float[] x = java.util.Arrays.copyOf(train.features(), n * train.width());
        return train.isClassification() ? Split.classification(n, train.width(), x,
                java.util.Arrays.copyOf(train.labels(), n))
                : Split.regression(n, train.width(), x, java.util.Arrays.copyOf(train.targets(), n * train.targetWidth()),
                        train.targetWidth());
    }

    /**
     * @return the features' names in row order (a CSV header's), kept with the model so that
     *     {@code thinj predict} finds the columns by name; empty when the data has none
     */
    default List<String> featureNames() {
        return List.of();
    }

    /** @return the number of classes (classification), else 0 */
    default int classes() {
        return classNames().size();
    }
}
