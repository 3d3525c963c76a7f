package dev.thinj.spark;

import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.losses.CosineDistance;
import dev.thinj.model.losses.L2Distance;
import dev.thinj.train.data.Task;

/**
 * How a shard's loss gradient and loss value relate to the global batch's. A normalising loss divides
 * its gradient by the rows it sees: a shard of {@code n} rows of a global batch of {@code N} scales
 * its gradient by {@code n / N}, so the shards' gradients sum to the global batch's. The value follows
 * the loss's form: Thinc's categorical cross-entropy and L2 distance report the sum of the squared
 * (normalised) gradient, so {@code (n / N)^2}; cosine distance divides its value by the rows, so
 * {@code n / N}; an unnormalised loss is a plain sum.
 *
 * @param normalized whether the loss divides its gradient by the rows
 * @param lossPower the power of {@code n / N} that scales the value
 */
record ShardScale(boolean normalized, int lossPower) {
    /**
     * @param loss the config's loss, or null for the task's default
     * @param task the task
     * @return its scaling
     */
    static ShardScale of(Object loss, Task task) {
        if (loss == null) {
            return new ShardScale(true, 2);  // CategoricalCrossentropy or L2Distance, normalising
        }
        if (loss instanceof CategoricalCrossentropy cce) {
            return cce.normalize() ? new ShardScale(true, 2) : new ShardScale(false, 0);
        }
        if (loss instanceof L2Distance l2) {
            return l2.normalize() ? new ShardScale(true, 2) : new ShardScale(false, 0);
        }
        if (loss instanceof CosineDistance cos) {
            return cos.normalize() ? new ShardScale(true, 1) : new ShardScale(false, 0);
        }
        throw new IllegalArgumentException(loss + " cannot be split over shards of a batch (task " + task + ")");
    }

    /** @return the factor of a shard's loss gradient */
    float gradFactor(int shardRows, int batchRows) {
        return normalized ? (float) shardRows / batchRows : 1f;
    }

    /** @return the factor of a shard's loss value */
    double lossFactor(int shardRows, int batchRows) {
        return Math.pow((double) shardRows / batchRows, lossPower);
    }
}
