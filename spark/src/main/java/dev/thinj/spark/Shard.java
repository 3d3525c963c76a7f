package dev.thinj.spark;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import java.util.Iterator;

/**
 * A partition's shard of one global batch: the batch's rows that the partition's block holds, in the
 * batch's order, gathered on the host and uploaded as the single batch of a one-pass
 * {@code multibatch} (the batch the single-process loop would cut, only smaller).
 */
final class Shard {
    private Shard() {
    }

    /**
     * @param block the partition's rows
     * @param batch the global batch's row indices
     * @return the positions in the block of the batch's rows it holds, in batch order
     */
    static int[] rowsOf(Block block, int[] batch) {
        int[] local = new int[batch.length];
        int n = 0;
        for (int row : batch) {
            if (block.holds(row)) {
                local[n++] = (int) (row - block.firstRow());
            }
        }
        return java.util.Arrays.copyOf(local, n);
    }

    /**
     * @param ops the worker's backend
     * @param block the partition's rows
     * @param rows positions in the block, at least one
     * @return the shard as a batch: part 0 the features, part 1 the targets
     */
    static Batch upload(Ops ops, Block block, int[] rows) {
        int w = block.width();
        float[] x = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(block.features(), rows[i] * w, x, i * w, w);
        }
        FloatArray xs = ops.asArray(x, rows.length, w);
        NdArray ys;
        if (block.labels() != null) {
            int[] y = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                y[i] = block.labels()[rows[i]];
            }
            ys = ops.asInts(y);
        } else {
            int t = block.targetWidth();
            float[] y = new float[rows.length * t];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(block.targets(), rows[i] * t, y, i * t, t);
            }
            ys = ops.asArray(y, rows.length, t);
        }
        Iterator<Batch> one = ops.multibatch(BatchSizes.fixed(rows.length), BatchOptions.defaults(), xs, ys).iterator();
        return one.next();
    }
}
