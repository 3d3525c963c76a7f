package dev.thinj.model.losses;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.List;
import java.util.Objects;

/**
 * Thinc's {@code CategoricalCrossentropy} (v3): the gradient of the cross-entropy of probabilities
 * (such as a softmax output) against gold classes, with Thinc's options and quirks.
 *
 * <p><b>Formula.</b> For guesses {@code G} of shape (batch, classes), in [0, 1], the truths become a
 * target {@code T} and a mask {@code M} of the same shape, and
 * <pre>
 *   gradient = (G - T) * M / batch        (/ batch only when normalize, the default)
 *   loss     = sum(gradient ** 2)
 * </pre>
 * The loss is Thinc's quirk, matched on purpose: it is the sum of squares of the (normalised)
 * gradient, not the cross-entropy {@code -sum(T log G)}. The gradient is that of cross-entropy after
 * a softmax, which is why layers pair the two.
 *
 * <p><b>Truths</b> ({@link Truths}): class indices on the backend or the host, a (batch, classes)
 * target array, or class names. Indices and names become one-hot rows ({@link Ops#oneHot}); a target
 * array is used as given, and must have the guesses' shape.
 *
 * <p><b>Options</b> ({@link #builder()}; {@code new CategoricalCrossentropy()} has Thinc's
 * defaults):
 * <ul>
 *   <li>{@code normalize} (true): divide the gradient by the number of rows.
 *   <li>{@code names} (none): one name per class, in column order; needed for truths given as names.
 *   <li>{@code missingValue} (none): an int label or a string name that marks a row as unannotated;
 *       its mask row is 0, so it adds nothing to the gradient or the loss. With a target array, a row
 *       is missing when its argmax equals an int missing value. A value of the other type never
 *       matches (as in Thinc, which compares ints with strings). With no missing value set, a
 *       {@code null} name is missing, as Python's {@code None == None}.
 *   <li>{@code negPrefix} (none): a name starting with it, such as {@code "!dog"}, says "not dog":
 *       the row's target at that class is 0 and its mask is 0 everywhere else, so only that class
 *       is trained, downwards. An empty prefix negates nothing.
 *   <li>{@code labelSmoothing} (0): one-hot rows hold {@code 1 - s} at the gold class and
 *       {@code s / (classes - 1)} elsewhere; {@code s} must be below {@code (classes - 1) / classes}.
 *       Only for indices and names: with a target array it is an error, as in Thinc.
 * </ul>
 *
 * <p><b>Errors</b>, as Thinc's: {@link ShapeException} for mismatched shapes (also when the number
 * of names differs from the number of classes, where Thinc fails to broadcast); {@link LossException}
 * for guesses or target values outside [0, 1], names without {@code names} configured, an unknown
 * name, a class index outside {@code [0, classes)} (Thinc's {@code IndexError}), label smoothing with
 * a target array or too large for the classes, and a negated name with label smoothing (Thinc
 * multiplies the smoothed gold value by -1 and its own range check then fails).
 *
 * <p><b>Deliberate differences from Thinc 8.1.7</b>, each a case of {@code thinc_losses.json}:
 * <ul>
 *   <li>A negative class index that is not the missing value raises; NumPy's indexing would make
 *       Thinc silently train -1 towards the last class.
 *   <li>A missing row is masked whatever its label; Thinc one-hot encodes the missing label first and
 *       so raises {@code IndexError} when the missing value is {@code >= classes}.
 *   <li>NaN guesses or target values raise with the range error; Thinc's {@code > 1} and {@code < 0}
 *       tests let NaN through into a NaN gradient.
 *   <li>With {@code names} set and a target array holding exact -1 values, Thinc overwrites those
 *       with 0 in the caller's array; thinj never modifies the truths and raises the range error.
 * </ul>
 *
 * <p><b>Host work.</b> The arithmetic runs on the guesses' backend. Labels are handled on the host
 * only where Thinc's semantics need it (names, missing values, negative prefixes); indices given as
 * an {@link IntArray} with no int missing value stay on the device. The range checks read a boolean
 * back (a synchronisation on GPUs), as Thinc's do. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * var loss = CategoricalCrossentropy.builder().names(List.of("cat", "dog")).missingValue("").build();
 * LossResult<FloatArray> r = loss.apply(probs, List.of("dog", "", "cat"));
 * model.backprop(r.grad());
 * }</pre>
 */
public final class CategoricalCrossentropy implements Loss<FloatArray, Truths> {
    static final String LOSS = "CategoricalCrossentropy";

    private final boolean normalize;
    private final List<String> names;
    private final Object missingValue;
    private final String negPrefix;
    private final double labelSmoothing;
    private final TruthConversion conversion;

    /** A loss with Thinc's defaults: normalised, no names, no missing value, no prefix, no smoothing. */
    public CategoricalCrossentropy() {
        this(new CategoricalCrossentropyBuilder());
    }

    CategoricalCrossentropy(CategoricalCrossentropyBuilder b) {
        this.normalize = b.normalize;
        this.names = b.names;
        this.missingValue = b.missingValue;
        this.negPrefix = b.negPrefix;
        this.labelSmoothing = b.labelSmoothing;
        this.conversion = new TruthConversion(names, missingValue, negPrefix, labelSmoothing);
    }

    /** @return a builder starting from Thinc's defaults */
    public static CategoricalCrossentropyBuilder builder() {
        return new CategoricalCrossentropyBuilder();
    }

    /**
     * @param guesses (batch, classes) probabilities in [0, 1] (not modified)
     * @param truths one label or target row per row of guesses (not modified)
     * @return the gradient {@code (G - T) * M [/ batch]} and the loss {@code sum(gradient ** 2)}
     * @throws ShapeException if the shapes do not match
     * @throws LossException if a value or label is invalid (see the class comment)
     */
    @Override
    public LossResult<FloatArray> apply(FloatArray guesses, Truths truths) {
        return LossResults.withSquaredLoss(getGrad(guesses, truths));
    }

    /**
     * @param guesses (batch, classes) probabilities (not modified)
     * @param classIndices 1-d class indices on the guesses' backend (not modified)
     * @return as {@link #apply(FloatArray, Truths)}
     */
    public LossResult<FloatArray> apply(FloatArray guesses, IntArray classIndices) {
        return apply(guesses, Truths.of(classIndices));
    }

    /**
     * @param guesses (batch, classes) probabilities (not modified)
     * @param classIndices one class index per row (not modified)
     * @return as {@link #apply(FloatArray, Truths)}
     */
    public LossResult<FloatArray> apply(FloatArray guesses, int[] classIndices) {
        return apply(guesses, Truths.of(classIndices));
    }

    /**
     * @param guesses (batch, classes) probabilities (not modified)
     * @param target a (batch, classes) target, such as one-hot rows (not modified)
     * @return as {@link #apply(FloatArray, Truths)}
     */
    public LossResult<FloatArray> apply(FloatArray guesses, FloatArray target) {
        return apply(guesses, Truths.of(target));
    }

    /**
     * @param guesses (batch, classes) probabilities (not modified)
     * @param labelNames one class name per row, resolved with {@code names} (not modified)
     * @return as {@link #apply(FloatArray, Truths)}
     */
    public LossResult<FloatArray> apply(FloatArray guesses, List<String> labelNames) {
        return apply(guesses, Truths.of(labelNames));
    }

    /** Computes only the gradient; see {@link #apply(FloatArray, Truths)}. */
    @Override
    public FloatArray getGrad(FloatArray guesses, Truths truths) {
        checkGuesses(guesses);
        return gradient(guesses, truths, normalize ? 1f / guesses.dim(0) : 1f);
    }

    /** Computes the loss and frees the gradient; see {@link #apply(FloatArray, Truths)}. */
    @Override
    public float getLoss(FloatArray guesses, Truths truths) {
        return LossResults.readAndFree(apply(guesses, truths));
    }

    /** @return whether the gradient is divided by the number of rows */
    public boolean normalize() {
        return normalize;
    }

    /** @return the class names in column order, or an empty list when none were given */
    public List<String> names() {
        return names == null ? List.of() : names;
    }

    /** @return the missing value: an {@link Integer}, a {@link String}, or {@code null} for none */
    public Object missingValue() {
        return missingValue;
    }

    /** @return the negative prefix, or {@code null} for none */
    public String negPrefix() {
        return negPrefix;
    }

    /** @return the label smoothing, 0 for none */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public String toString() {
        return LOSS + "(normalize=" + normalize + ", names=" + names + ", missingValue="
                + (missingValue instanceof String ? "\"" + missingValue + "\"" : missingValue) + ", negPrefix="
                + (negPrefix == null ? null : "\"" + negPrefix + "\"") + ", labelSmoothing=" + labelSmoothing + ")";
    }

    static void checkGuesses(FloatArray guesses) {
        Objects.requireNonNull(guesses, "guesses");
        if (guesses.rank() != 2) {
            throw new ShapeException(LOSS + ": guesses must be 2-d (batch, classes), got shape "
                    + Shapes.format(guesses.shape()));
        }
    }

    /**
     * Thinc's {@code get_grad} with the divisor given: {@code (G - T) * M * scale}. Every temporary
     * (uploaded labels, target, mask) is freed before returning.
     *
     * @param guesses checked by {@link #checkGuesses} (not modified)
     * @param truths not modified
     * @param scale {@code 1 / batch} for this loss, {@code 1 / sequences} for the sequence loss
     */
    FloatArray gradient(FloatArray guesses, Truths truths, float scale) {
        Objects.requireNonNull(truths, "truths");
        Ops ops = guesses.ops();
        int rows = guesses.dim(0);
        int classes = guesses.dim(1);
        if (names != null && names.size() != classes) {
            throw new ShapeException(LOSS + ": " + names.size() + " names for guesses of shape "
                    + Shapes.format(guesses.shape()) + "; names must give one name per class (column)");
        }
        try (ArrayScope scope = ops.scope()) {
            TruthConversion.Target target = conversion.convert(ops, guesses, truths);
            if (!ops.allInRange(guesses, 0f, 1f)) {
                throw new LossException(LOSS + ": guesses outside the [0,1] interval (or NaN); the loss expects "
                        + "probabilities, such as a softmax output");
            }
            // A target made from labels is one-hot or smoothed, so in range by construction.
            if (target.given() && !ops.allInRange(target.values(), 0f, 1f)) {
                throw new LossException(LOSS + ": truth values outside the [0,1] interval (or NaN)");
            }
            return scope.keep(ops.scaledDifference(guesses, target.values(), target.mask(), scale));
        }
    }
}
