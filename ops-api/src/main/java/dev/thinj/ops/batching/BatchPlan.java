package dev.thinj.ops.batching;

import java.util.Arrays;

/**
 * The batches of one {@code minibatch} call: which rows of the (possibly shuffled) order each batch
 * takes. Drawn once, when {@code minibatch} is called, and shared by every pass.
 *
 * <p>Thinc's {@code _get_batch_sizes} and {@code _iter_items}, quirks included: sizes are drawn
 * while the <em>raw</em> sizes drawn so far sum to less than the length, so that many batches
 * exist; batch {@code k} takes {@code int(size_k)} rows starting where batch {@code k-1} ended. With
 * fractional sizes the int parts sum to less than the raw sizes, so trailing rows are never
 * visited, and a size below 1 gives an empty batch.
 */
final class BatchPlan {
    private final int length;
    private final double[] drawn;
    private final int[] starts;
    private final int[] counts;

    private BatchPlan(int length, double[] drawn, int[] starts, int[] counts) {
        this.length = length;
        this.drawn = drawn;
        this.starts = starts;
        this.counts = counts;
    }

    /**
     * Draws the sizes for data of {@code length} rows.
     *
     * @param length rows in the data, at least 0
     * @param sizes drawn from, in order (advanced by the number of batches)
     * @return the plan
     */
    static BatchPlan draw(int length, BatchSizes sizes) {
        if (length < 0) {
            throw new IllegalArgumentException("minibatch: negative length " + length);
        }
        double[] raw = new double[16];
        int n = 0;
        double covered = 0;
        while (covered < length) {
            double s = sizes.next();
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("minibatch: batch size " + n + " is " + s
                        + "; sizes must be finite and greater than 0");
            }
            if (n == raw.length) {
                if (n >= Integer.MAX_VALUE / 2) {
                    throw new IllegalArgumentException("minibatch: more than " + n + " batches for " + length + " rows");
                }
                raw = Arrays.copyOf(raw, n * 2);
            }
            raw[n++] = s;
            covered += s;
        }
        double[] drawn = Arrays.copyOf(raw, n);
        int[] starts = new int[n];
        int[] counts = new int[n];
        long start = 0;
        for (int k = 0; k < n; k++) {
            // Python's int(size) truncates; slicing past the end is clipped to the end.
            long take = (long) drawn[k];
            starts[k] = (int) Math.min(start, length);
            counts[k] = (int) Math.max(0, Math.min(take, length - starts[k]));
            start += take;
        }
        return new BatchPlan(length, drawn, starts, counts);
    }

    /** @return rows in the data */
    int length() {
        return length;
    }

    /** @return the number of batches */
    int count() {
        return counts.length;
    }

    /**
     * @param batch a batch index
     * @return where the batch starts in the pass's order
     */
    int start(int batch) {
        return starts[batch];
    }

    /**
     * @param batch a batch index
     * @return rows in the batch
     */
    int rows(int batch) {
        return counts[batch];
    }

    /** @return the raw sizes drawn, one per batch (a copy) */
    double[] drawn() {
        return drawn.clone();
    }
}
