package dev.thinj.ops;

/** The arithmetic of Thinc's losses ({@code thinc/loss.py}). */
public interface LossKernels {
    /**
     * Thinc's {@code to_categorical}: row {@code i} is one-hot at {@code labels[i]}, smoothed so the
     * gold class holds {@code 1 - smoothing} and every other class {@code smoothing / (nClasses - 1)}.
     *
     * @param labels 1-d class indices in {@code [0, nClasses)} (not modified)
     * @param nClasses the number of classes
     * @param labelSmoothing 0 for plain one-hot; must be below {@code (nClasses - 1) / nClasses}
     * @return a new (labels, nClasses) array
     */
    FloatArray oneHot(IntArray labels, int nClasses, float labelSmoothing);

    /**
     * The gradient of cross-entropy and L2 losses: {@code (guesses - truths) * mask * scale}.
     *
     * @param guesses not modified
     * @param truths same shape (not modified)
     * @param mask same shape, or {@code null} for all ones (not modified)
     * @param scale {@code 1 / batch} when normalising, else 1
     * @return a new array
     */
    FloatArray scaledDifference(FloatArray guesses, FloatArray truths, FloatArray mask, float scale);

    /**
     * @param x not modified
     * @param low inclusive lower bound
     * @param high inclusive upper bound
     * @return whether every element lies in {@code [low, high]} (a synchronisation on GPUs)
     */
    boolean allInRange(FloatArray x, float low, float high);

    /**
     * Thinc's {@code CosineDistance} gradient and loss in one pass, with its {@code 1e-8} offset
     * added to both inputs.
     *
     * @param guesses (batch, n) (not modified)
     * @param truths (batch, n) (not modified)
     * @param ignoreZeros rows whose truth is all zeros get no gradient and no loss
     * @param scale {@code 1 / batch} when normalising, else 1
     * @return the gradient {@code -d cos / d guesses * scale} and the loss {@code sum |cos - 1| * scale}
     */
    CosineDistanceResult cosineDistance(FloatArray guesses, FloatArray truths, boolean ignoreZeros, float scale);
}
