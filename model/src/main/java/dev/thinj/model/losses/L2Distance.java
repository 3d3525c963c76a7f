package dev.thinj.model.losses;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.Objects;

/**
 * Thinc's {@code L2Distance}: the gradient of the squared distance between guesses and truths.
 *
 * <p><b>Formula.</b> For guesses {@code G} and truths {@code T} of the same shape (any rank, batch
 * first),
 * <pre>
 *   gradient = (G - T) / batch        (/ batch only when normalize, the default)
 *   loss     = sum(gradient ** 2)
 * </pre>
 * The loss is Thinc's, matched on purpose: the sum of squares of the <em>normalised</em> gradient,
 * so with normalisation it is {@code sum((G - T) ** 2) / batch ** 2}, not the usual mean squared
 * error, and the gradient is not its derivative (it lacks a factor 2 and one {@code 1 / batch}).
 *
 * <p>Mismatched shapes raise {@link ShapeException}. Instances are immutable and thread-safe.
 */
public final class L2Distance implements Loss<FloatArray, FloatArray> {
    private static final String LOSS = "L2Distance";

    private final boolean normalize;

    /** A normalised loss, Thinc's default. */
    public L2Distance() {
        this(true);
    }

    /** @param normalize whether to divide the gradient by the batch size (the first dimension) */
    public L2Distance(boolean normalize) {
        this.normalize = normalize;
    }

    /**
     * @param guesses any shape (not modified)
     * @param truths the guesses' shape (not modified)
     * @return the gradient {@code (G - T) [/ batch]} and the loss {@code sum(gradient ** 2)}
     * @throws ShapeException if the shapes differ
     */
    @Override
    public LossResult<FloatArray> apply(FloatArray guesses, FloatArray truths) {
        return LossResults.withSquaredLoss(getGrad(guesses, truths));
    }

    /** Computes only the gradient; see {@link #apply}. */
    @Override
    public FloatArray getGrad(FloatArray guesses, FloatArray truths) {
        Objects.requireNonNull(guesses, "guesses");
        Objects.requireNonNull(truths, "truths");
        if (!Shapes.same(guesses.shape(), truths.shape())) {
            throw new ShapeException(LOSS + ": mismatched shapes: guesses " + Shapes.format(guesses.shape())
                    + " vs truths " + Shapes.format(truths.shape()));
        }
        float scale = normalize ? 1f / guesses.dim(0) : 1f;
        return guesses.ops().scaledDifference(guesses, truths, null, scale);
    }

    /** Computes the loss and frees the gradient; see {@link #apply}. */
    @Override
    public float getLoss(FloatArray guesses, FloatArray truths) {
        return LossResults.readAndFree(apply(guesses, truths));
    }

    /** @return whether the gradient is divided by the batch size */
    public boolean normalize() {
        return normalize;
    }

    @Override
    public String toString() {
        return LOSS + "(normalize=" + normalize + ")";
    }
}
