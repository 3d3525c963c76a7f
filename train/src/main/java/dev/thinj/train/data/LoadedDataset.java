package dev.thinj.train.data;

import java.util.List;
import java.util.Objects;

/**
 * A dataset read whole by one of the {@code datasets} functions ({@code csv.v1}, {@code npy.v1},
 * {@code npz.v1}, {@code idx.v1}): its two splits, its task and, for classification, its class names.
 *
 * @param train the split trained on
 * @param test the split evaluated on
 * @param task classification or regression
 * @param classNames one name per class, index order (classification); empty for regression
 * @param describe one line saying what was read
 * @param featureNames the feature columns' names, in row order (a CSV header); empty when unnamed
 */
public record LoadedDataset(Split train, Split test, Task task, List<String> classNames, String describe,
        List<String> featureNames) implements Dataset {
    /** A dataset whose features have no names. */
    public LoadedDataset(Split train, Split test, Task task, List<String> classNames, String describe) {
        this(train, test, task, classNames, describe, List.of());
    }

    /** Checks that the splits agree with each other and with the task. */
    public LoadedDataset {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(task, "task");
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(describe, "describe");
        featureNames = List.copyOf(featureNames);
        if (!featureNames.isEmpty() && featureNames.size() != train.width()) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for " + train.width() + " features");
        }
        if (train.width() != test.width()) {
            throw new IllegalArgumentException("train has " + train.width() + " features per row, test "
                    + test.width());
        }
        boolean classify = task == Task.CLASSIFY;
        if (train.isClassification() != classify || test.isClassification() != classify) {
            throw new IllegalArgumentException("a " + task + " dataset needs "
                    + (classify ? "class labels" : "regression targets") + " in both splits");
        }
        if (classify == classNames.isEmpty()) {
            throw new IllegalArgumentException(classify ? "a classification dataset needs class names"
                    : "a regression dataset has no class names");
        }
        if (!classify && train.targetWidth() != test.targetWidth()) {
            throw new IllegalArgumentException("train has " + train.targetWidth() + " targets per row, test "
                    + test.targetWidth());
        }
    }
}
