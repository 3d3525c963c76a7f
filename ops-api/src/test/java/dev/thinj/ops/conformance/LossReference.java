package dev.thinj.ops.conformance;


/**
 * Float64 references for loss targets and gradients ({@link dev.thinj.ops.LossKernels}), written from the kernels' Javadoc and Thinc 8.1.7. Plain loops, checkable
 * by eye; nothing modifies its arguments (an in-place kernel's reference returns the new values).
 */
public final class LossReference {
    /** Thinc's cosine-distance offset added to guesses and truths. */
    static final double COSINE_OFFSET = 1e-8;

    private LossReference() {
    }


    /**
     * Thinc's {@code to_categorical}.
     *
     * @param labels class indices
     * @param nClasses the number of classes
     * @param smoothing label smoothing
     * @return (labels, nClasses)
     */
    public static HostArray oneHot(int[] labels, int nClasses, double smoothing) {
        double off = smoothing == 0 ? 0 : smoothing / (nClasses - 1);
        double[] r = new double[labels.length * nClasses];
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < nClasses; c++) {
                r[i * nClasses + c] = c == labels[i] ? 1 - smoothing : off;
            }
        }
        return new HostArray(r, new int[] {labels.length, nClasses});
    }

    /**
     * @param guesses any shape
     * @param truths same shape
     * @param mask same shape, or {@code null} for ones
     * @param scale the factor
     * @return {@code (guesses - truths) * mask * scale}
     */
    public static HostArray scaledDifference(HostArray guesses, HostArray truths, HostArray mask, double scale) {
        double[] r = new double[guesses.size()];
        for (int i = 0; i < r.length; i++) {
            double m = mask == null ? 1 : mask.data()[i];
            r[i] = (guesses.data()[i] - truths.data()[i]) * m * scale;
        }
        return new HostArray(r, guesses.shape().clone());
    }

    /**
     * @param x any shape
     * @param low inclusive bound
     * @param high inclusive bound
     * @return whether every element is in {@code [low, high]}
     */
    public static boolean allInRange(HostArray x, double low, double high) {
        for (double v : x.data()) {
            if (!(v >= low && v <= high)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Thinc's {@code CosineDistance} gradient and loss.
     *
     * @param gradient {@code -d cos / d guesses * scale}
     * @param loss {@code sum |cos - 1| * scale}
     */
    public record Cosine(HostArray gradient, double loss) {
    }

    /**
     * @param guesses (batch, n)
     * @param truths (batch, n)
     * @param ignoreZeros give rows whose truth is all zeros no gradient and no loss
     * @param scale the factor
     * @return the gradient and the loss
     */
    public static Cosine cosineDistance(HostArray guesses, HostArray truths, boolean ignoreZeros, double scale) {
        int rows = guesses.dim(0);
        int n = guesses.dim(1);
        double[] grad = new double[guesses.size()];
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            double truthAbs = 0;
            double yhSq = 0;
            double ySq = 0;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                truthAbs += Math.abs(truths.at(i, j));
                double yh = guesses.at(i, j) + COSINE_OFFSET;
                double y = truths.at(i, j) + COSINE_OFFSET;
                yhSq += yh * yh;
                ySq += y * y;
                dot += yh * y;
            }
            if (ignoreZeros && truthAbs == 0) {
                continue;
            }
            double normYh = Math.sqrt(yhSq);
            double normY = Math.sqrt(ySq);
            double cosine = dot / (normYh * normY);
            for (int j = 0; j < n; j++) {
                double yh = guesses.at(i, j) + COSINE_OFFSET;
                double y = truths.at(i, j) + COSINE_OFFSET;
                double dYh = y / (normYh * normY) - cosine * yh / (normYh * normYh);
                grad[i * n + j] = -dYh * scale;
            }
            loss += Math.abs(cosine - 1) * scale;
        }
        return new Cosine(new HostArray(grad, guesses.shape().clone()), loss);
    }
}
