package dev.thinj.train.data;

import java.util.Objects;

/**
 * One split of a dataset, on the host: {@code count} rows of {@code width} float32 features,
 * row-major (as the model reads them), and their targets — class indices for classification, or
 * {@code targetWidth} floats per row for regression (exactly one of {@code labels} and
 * {@code targets} is set).
 *
 * @param count the number of rows
 * @param width features per row
 * @param features {@code count * width} values (not copied)
 * @param labels {@code count} class indices, or null for regression
 * @param targets {@code count * targetWidth} values, or null for classification
 * @param targetWidth targets per row (0 for classification)
 */
public record Split(int count, int width, float[] features, int[] labels, float[] targets, int targetWidth) {
    /** Checks the sizes agree. */
    public Split {
        Objects.requireNonNull(features, "features");
        if (count < 0 || width < 0 || (long) count * width != features.length) {
            throw new IllegalArgumentException("split of " + count + " x " + width + " features holds "
                    + features.length + " values");
        }
        if ((labels == null) == (targets == null)) {
            throw new IllegalArgumentException("a split has either class labels or regression targets");
        }
        if (labels != null && (labels.length != count || targetWidth != 0)) {
            throw new IllegalArgumentException(labels.length + " labels for " + count + " rows");
        }
        if (targets != null && (targetWidth < 1 || (long) count * targetWidth != targets.length)) {
            throw new IllegalArgumentException(targets.length + " targets for " + count + " rows of "
                    + targetWidth);
        }
    }

    /** @return a classification split */
    public static Split classification(int count, int width, float[] features, int[] labels) {
        return new Split(count, width, features, labels, null, 0);
    }

    /** @return a regression split */
    public static Split regression(int count, int width, float[] features, float[] targets, int targetWidth) {
        return new Split(count, width, features, null, targets, targetWidth);
    }

    /** @return whether the targets are class labels */
    public boolean isClassification() {
        return labels != null;
    }
}
