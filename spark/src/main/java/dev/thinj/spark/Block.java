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
     * @param from the first row to take, counted in this block
     * @param to one past the last
     * @return those rows as a block, numbered on from this block's first row
     */
    Block slice(int from, int to) {
        int t = targetWidth;
        return new Block(firstRow + from, to - from, width,
                java.util.Arrays.copyOfRange(features, from * width, to * width),
                labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to),
                targets == null ? null : java.util.Arrays.copyOfRange(targets, from * t, to * t), t);
    }

    /** @return whether the row of this global index is in the block */
    boolean holds(long row) {
        return row >= firstRow && row < firstRow + count;
    }
}
