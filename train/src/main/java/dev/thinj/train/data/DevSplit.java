package dev.thinj.train.data;

import java.util.Random;

/**
 * Holds out a seeded share of one split as the test split, for a dataset that comes as one file
 * ({@code csv.v1} without {@code test}). Which rows go where depends only on the row count, the
 * fraction and the seed; each part keeps the rows in file order.
 */
public final class DevSplit {
    private DevSplit() {
    }

    /**
     * The two parts of a split.
     *
     * @param train the rows kept for training
     * @param test the rows held out
     */
    public record Parts(Split train, Split test) {
    }

    /**
     * @param all the rows (not modified)
     * @param fraction the share held out, in (0, 1); rounded to a whole number of rows, at least one
     *     row on each side
     * @param seed the shuffle's seed
     * @param source what the rows came from, for the message when there are too few
     * @return the training rows and the held-out rows
     * @throws IllegalArgumentException if the fraction is not in (0, 1)
     * @throws DataException if there are fewer than two rows
     */
    public static Parts split(Split all, double fraction, long seed, String source) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("dev_fraction must be between 0 and 1 (exclusive), got " + fraction);
        }
        int n = all.count();
        if (n < 2) {
            throw new DataException(source + ": " + n + " row" + (n == 1 ? "" : "s")
                    + ", too few to hold out a dev share (give a test file, or more rows)");
        }
        int held = (int) Math.max(1, Math.min(n - 1, Math.round(n * fraction)));
        boolean[] test = heldOut(n, held, seed);
        return new Parts(take(all, test, false, n - held), take(all, test, true, held));
    }

    /** @return which rows are held out: the first {@code held} of a seeded Fisher-Yates shuffle */
    private static boolean[] heldOut(int n, int held, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] out = new boolean[n];
        for (int i = 0; i < held; i++) {
            out[order[i]] = true;
        }
        return out;
    }

    private static Split take(Split all, boolean[] heldOut, boolean which, int count) {
        int w = all.width();
        int tw = all.targetWidth();
        float[] x = new float[count * w];
        int[] labels = all.isClassification() ? new int[count] : null;
        float[] targets = all.isClassification() ? null : new float[count * tw];
        int k = 0;
        for (int i = 0; i < all.count(); i++) {
            if (heldOut[i] != which) {
                continue;
            }
            System.arraycopy(all.features(), i * w, x, k * w, w);
            if (labels != null) {
                labels[k] = all.labels()[i];
            } else {
                System.arraycopy(all.targets(), i * tw, targets, k * tw, tw);
            }
            k++;
        }
        return new Split(count, w, x, labels, targets, tw);
    }
}
