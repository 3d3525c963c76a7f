package dev.thinj.model.losses;

import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.Objects;

/**
 * Thinc's {@code CosineDistance}: one minus the cosine similarity of each row of guesses with the
 * same row of truths.
 *
 * <p><b>Formula.</b> For (batch, n) guesses and truths, with Thinc's {@code 1e-8} added to both so
 * that zero rows have a direction ({@code g = G + 1e-8}, {@code t = T + 1e-8}), per row
 * <pre>
 *   cos      = g . t / (|g| |t|)
 *   gradient = -(t / (|g| |t|) - cos * g / |g|^2) / batch     (/ batch only when normalize)
 *   loss     = sum over rows of |cos - 1| / batch
 * </pre>
 * Unlike Thinc's other losses the loss here is the distance itself, not the sum of squares of the
 * gradient. With {@code ignoreZeros}, rows whose truth is all zeros get a zero gradient and add
 * nothing to the loss (they still count in {@code batch}).
 *
 * <p>Both come from one {@link dev.thinj.ops.LossKernels#cosineDistance} kernel. Guesses that are
 * not 2-d, or truths of another shape, raise {@link ShapeException}. Instances are immutable and
 * thread-safe.
 */
public final class CosineDistance implements Loss<FloatArray, FloatArray> {
    private static final String LOSS = "CosineDistance";

    private final boolean normalize;
    private final boolean ignoreZeros;

    /** A normalised loss that counts zero truth rows: Thinc's defaults. */
    public CosineDistance() {
        this(true, false);
    }

    /**
     * @param normalize whether to divide the gradient and the loss by the batch size
     * @param ignoreZeros whether rows whose truth is all zeros are left out of the gradient and loss
     */
    public CosineDistance(boolean normalize, boolean ignoreZeros) {
        this.normalize = normalize;
        this.ignoreZeros = ignoreZeros;
    }

    /**
     * @param guesses (batch, n) (not modified)
     * @param truths (batch, n) (not modified)
     * @return the gradient and the loss {@code sum |cos - 1| [/ batch]}
     * @throws ShapeException if the guesses are not 2-d or the shapes differ
     */
    @Override
    public LossResult<FloatArray> apply(FloatArray guesses, FloatArray truths) {
        Objects.requireNonNull(guesses, "guesses");
        Objects.requireNonNull(truths, "truths");
        if (!Shapes.same(guesses.shape(), truths.shape())) {
            throw new ShapeException(LOSS + ": mismatched shapes: guesses " + Shapes.format(guesses.shape())
                    + " vs truths " + Shapes.format(truths.shape()));
        }
        if (guesses.rank() != 2) {
            throw new ShapeException(LOSS + ": guesses and truths must be 2-d (batch, n), got shape "
                    + Shapes.format(guesses.shape()));
        }
        float scale = normalize ? 1f / guesses.dim(0) : 1f;
        CosineDistanceResult r = guesses.ops().cosineDistance(guesses, truths, ignoreZeros, scale);
        return new LossResult<>(r.gradient(), r.loss());
    }

    /** The gradient alone; the loss, computed in the same kernel, is freed at once. */
    @Override
    public FloatArray getGrad(FloatArray guesses, FloatArray truths) {
        LossResult<FloatArray> r = apply(guesses, truths);
        r.lossValue().close();
        return r.grad();
    }

    /** Computes the loss and frees the gradient; see {@link #apply}. */
    @Override
    public float getLoss(FloatArray guesses, FloatArray truths) {
        return LossResults.readAndFree(apply(guesses, truths));
    }

    /** @return whether the gradient and loss are divided by the batch size */
    public boolean normalize() {
        return normalize;
    }

    /** @return whether rows with an all-zero truth are ignored */
    public boolean ignoreZeros() {
        return ignoreZeros;
    }

    @Override
    public String toString() {
        return LOSS + "(normalize=" + normalize + ", ignoreZeros=" + ignoreZeros + ")";
    }
}
