package dev.thinj.spark;

import dev.thinj.train.data.Split;
import java.io.Serializable;

/**
 * One partition's rows of the training data, kept by the executor that holds the partition: rows
 * {@code firstRow .. firstRow + split.count() - 1} of the whole training split. A round's global batch
 * names rows by that index, and each partition trains on the rows it holds.
 *
 * @param firstRow the index of the block's first row in the whole split
 * @param count rows
 * @param width features per row
 * @param features {@code count * width} values, row-major
 * @param labels class indices (classification), or null
 * @param targets {@code count * targetWidth} values (regression), or null
 * @param targetWidth targets per row (0 for classification)
 */
public record Block(long firstRow, int count, int width, float[] features, int[] labels, float[] targets,
        int targetWidth) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks the sizes agree. */
    public Block {
        new Split(count, width, features, labels, targets, targetWidth);  // the same checks as a split's
        if (firstRow < 0) {
            throw new IllegalArgumentException("a block's first row must be at least 0, got " + firstRow);
        }
    }

    /**
     * @param split a split
     * @param from its first row to take
     * @param to one past the last
     * @return those rows as a block
     */
    public static Block of(Split split, int from, int to) {
        int w = split.width();
        float[] x = java.util.Arrays.copyOfRange(split.features(), from * w, to * w);
        if (split.isClassification()) {
            return new Block(from, to - from, w, x, java.util.Arrays.copyOfRange(split.labels(), from, to), null, 0);
        }
        int t = split.targetWidth();
        return new Block(from, to - from, w, x, null, java.util.Arrays.copyOfRange(split.targets(), from * t, to * t), t);
    }

    /** @return whether the row of this global index is in the block */
    boolean holds(long row) {
        return row >= firstRow && row < firstRow + count;
    }
}
