package dev.thinj.model.losses;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private static final String LOSS = "CategoricalCrossentropy";

    private final boolean normalize;
    private final List<String> names;
    private final Map<String, Integer> nameToIndex;
    private final Object missingValue;
    private final String negPrefix;
    private final double labelSmoothing;

    /** A loss with Thinc's defaults: normalised, no names, no missing value, no prefix, no smoothing. */
    public CategoricalCrossentropy() {
        this(new Builder());
    }

    private CategoricalCrossentropy(Builder b) {
        this.normalize = b.normalize;
        this.names = b.names;
        this.missingValue = b.missingValue;
        this.negPrefix = b.negPrefix;
        this.labelSmoothing = b.labelSmoothing;
        Map<String, Integer> index = new HashMap<>();
        if (names != null) {
            for (int i = 0; i < names.size(); i++) {
                index.put(names.get(i), i);  // a repeated name maps to its last class, as Thinc's dict
            }
        }
        this.nameToIndex = Collections.unmodifiableMap(index);
    }

    /** @return a builder starting from Thinc's defaults */
    public static Builder builder() {
        return new Builder();
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
        return withSquaredLoss(getGrad(guesses, truths));
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
        return readAndFree(apply(guesses, truths));
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

    // ---- shared with SequenceCategoricalCrossentropy and the distances ----

    /** Pairs a gradient with its sum of squares, Thinc's loss for CCE and L2. */
    static LossResult<FloatArray> withSquaredLoss(FloatArray grad) {
        return new LossResult<>(grad, grad.ops().sumOfSquares(grad));
    }

    /** Reads a result's loss and frees both of its arrays. */
    static float readAndFree(LossResult<FloatArray> result) {
        try {
            return result.loss();
        } finally {
            result.grad().close();
            result.lossValue().close();
        }
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
            Target target = target(ops, guesses, truths);
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

    // ---- Thinc's convert_truths ----

    /**
     * The target and mask of Thinc's {@code convert_truths}.
     *
     * @param values the (batch, classes) target
     * @param mask the (batch, classes) mask, or {@code null} for all ones
     * @param given whether {@code values} is the caller's array (so its range must be checked)
     */
    private record Target(FloatArray values, FloatArray mask, boolean given) {
    }

    /**
     * Labels decoded on the host.
     *
     * @param classes one class per row (0 for a missing row: masked, so any class will do)
     * @param missing which rows are missing, or {@code null} for none
     * @param negated per row, the negated class or -1, or {@code null} when no row is negated
     */
    private record Labels(int[] classes, boolean[] missing, int[] negated) {
    }

    private Target target(Ops ops, FloatArray guesses, Truths truths) {
        int rows = guesses.dim(0);
        int classes = guesses.dim(1);
        if (truths.target() != null) {
            return givenTarget(ops, guesses, truths.target());
        }
        if (truths.size() != rows) {
            throw new ShapeException(LOSS + ": mismatched shapes: guesses " + Shapes.format(guesses.shape())
                    + " vs truths " + Shapes.format(truths.size(), classes) + " (" + truths.size() + " labels for "
                    + rows + " rows)");
        }
        checkSmoothing(classes);
        IntArray deviceIndices = truths.deviceIndices();
        if (deviceIndices != null && !(missingValue instanceof Integer)) {
            // No label handling needed: one-hot encode on the device. The kernel checks the range.
            try {
                return new Target(ops.oneHot(deviceIndices, classes, (float) labelSmoothing), null, false);
            } catch (ShapeException e) {
                throw new LossException(LOSS + ": a class index is outside [0, " + classes + ") for guesses of shape "
                        + Shapes.format(guesses.shape()) + " (" + e.getMessage() + ")", e);
            }
        }
        Labels labels;
        if (deviceIndices != null) {
            labels = fromIndices(deviceIndices.toIntArray(), classes);
        } else if (truths.indices() != null) {
            labels = fromIndices(truths.indices(), classes);
        } else {
            labels = fromNames(truths.names());
        }
        return labelTarget(ops, labels, rows, classes);
    }

    /** A target array: used as given, with rows whose argmax is the missing value masked. */
    private Target givenTarget(Ops ops, FloatArray guesses, FloatArray target) {
        if (!Shapes.same(target.shape(), guesses.shape())) {
            throw new ShapeException(LOSS + ": mismatched shapes: guesses " + Shapes.format(guesses.shape())
                    + " vs truths " + Shapes.format(target.shape()));
        }
        if (labelSmoothing != 0) {
            throw new LossException(LOSS + ": label smoothing (" + labelSmoothing + ") is only applied when truths are "
                    + "class indices or names, but a target array was given; smooth the target yourself or "
                    + "pass class indices");
        }
        FloatArray mask = null;
        if (missingValue instanceof Integer && guesses.dim(0) > 0) {
            int missing = (Integer) missingValue;
            int[] argmax = ops.argmax(target).toIntArray();
            boolean[] missingRows = new boolean[argmax.length];
            boolean any = false;
            for (int r = 0; r < argmax.length; r++) {
                missingRows[r] = argmax[r] == missing;
                any |= missingRows[r];
            }
            if (any) {
                mask = ops.asArray(mask(missingRows, null, guesses.dim(0), guesses.dim(1)), guesses.shape());
            }
        }
        return new Target(target, mask, true);
    }

    /** Thinc's {@code to_categorical} checks, with the loss named and no kernel in the message. */
    private void checkSmoothing(int classes) {
        if (classes < 1) {
            throw new ShapeException(LOSS + ": guesses must have at least one class (column), got 0");
        }
        if (labelSmoothing > 0) {
            if (classes < 2) {
                throw new LossException(LOSS + ": label smoothing needs more than one class, but the guesses have 1");
            }
            double max = (classes - 1.0) / classes;
            if (labelSmoothing >= max) {
                throw new LossException(LOSS + ": for " + classes + " classes label smoothing has to be less than "
                        + max + ", but found " + labelSmoothing);
            }
        }
    }

    private Labels fromIndices(int[] values, int classes) {
        Integer missing = missingValue instanceof Integer ? (Integer) missingValue : null;
        int[] out = new int[values.length];
        boolean[] missingRows = new boolean[values.length];
        boolean any = false;
        for (int r = 0; r < values.length; r++) {
            int v = values[r];
            if (missing != null && v == missing) {
                missingRows[r] = true;
                any = true;
            } else if (v < 0 || v >= classes) {
                throw new LossException(LOSS + ": class index " + v + " at row " + r + " is outside [0, " + classes
                        + ") for guesses with " + classes + " classes"
                        + (v < 0 ? "; to mark a row as missing, set missingValue(" + v + ")" : ""));
            } else {
                out[r] = v;
            }
        }
        return new Labels(out, any ? missingRows : null, null);
    }

    private Labels fromNames(List<String> values) {
        if (!values.isEmpty() && names == null) {
            throw new LossException(LOSS + ": cannot calculate the loss from a list of names without the class "
                    + "names; pass them when you create the loss, e.g. "
                    + "CategoricalCrossentropy.builder().names(List.of(\"dog\", \"cat\")).build()");
        }
        boolean negating = negPrefix != null && !negPrefix.isEmpty();
        int[] out = new int[values.size()];
        boolean[] missingRows = new boolean[values.size()];
        int[] negated = new int[values.size()];
        Arrays.fill(negated, -1);
        boolean anyMissing = false;
        boolean anyNegated = false;
        for (int r = 0; r < values.size(); r++) {
            String v = values.get(r);
            // Thinc tests for missing first: a missing value that starts with the prefix is missing.
            if (Objects.equals(v, missingValue)) {
                missingRows[r] = true;
                anyMissing = true;
            } else if (negating && v != null && v.startsWith(negPrefix)) {
                out[r] = indexOf(v.substring(negPrefix.length()), v, r);
                negated[r] = out[r];
                anyNegated = true;
            } else {
                out[r] = indexOf(v, null, r);
            }
        }
        return new Labels(out, anyMissing ? missingRows : null, anyNegated ? negated : null);
    }

    private int indexOf(String name, String written, int row) {
        Integer i = nameToIndex.get(name);
        if (i == null) {
            String what = name == null ? "null" : "'" + name + "'";
            throw new LossException(LOSS + ": unknown label name " + what
                    + (written != null ? " (negated as '" + written + "')" : "") + " at row " + row
                    + "; the names are " + names);
        }
        return i;
    }

    /** One-hot (smoothed) rows for decoded labels, with missing and negated rows masked. */
    private Target labelTarget(Ops ops, Labels labels, int rows, int classes) {
        FloatArray values = ops.oneHot(ops.asInts(labels.classes()), classes, (float) labelSmoothing);
        if (labels.missing() == null && labels.negated() == null) {
            return new Target(values, null, false);
        }
        if (labels.negated() != null) {
            // Thinc multiplies the gold value by -1 and then zeroes exact -1s: with smoothing the gold
            // value is 1 - s, its product -(1 - s) stays, and its range check fails.
            float gold = (float) (1.0 - labelSmoothing);
            int first = firstNegated(labels.negated());
            if (gold != 1f) {
                throw new LossException(LOSS + ": truth values outside the [0,1] interval: the negated label at row "
                        + first + " (class '" + names.get(labels.negated()[first]) + "') becomes -(1 - "
                        + labelSmoothing + ") with label smoothing, as in Thinc; use negative labels without "
                        + "label smoothing");
            }
            float[] keep = new float[Shapes.checkedSize(LOSS, rows, classes)];
            Arrays.fill(keep, 1f);
            for (int r = 0; r < rows; r++) {
                if (labels.negated()[r] >= 0) {
                    Arrays.fill(keep, r * classes, (r + 1) * classes, 0f);
                }
            }
            ops.mulInPlace(values, ops.asArray(keep, rows, classes));
        }
        FloatArray mask = ops.asArray(mask(labels.missing(), labels.negated(), rows, classes), rows, classes);
        return new Target(values, mask, false);
    }

    private static int firstNegated(int[] negated) {
        for (int r = 0; r < negated.length; r++) {
            if (negated[r] >= 0) {
                return r;
            }
        }
        throw new IllegalStateException("no negated row");
    }

    /** Ones, with missing rows zeroed and negated rows zeroed except at their negated class. */
    private static float[] mask(boolean[] missing, int[] negated, int rows, int classes) {
        float[] m = new float[Shapes.checkedSize(LOSS, rows, classes)];
        Arrays.fill(m, 1f);
        for (int r = 0; r < rows; r++) {
            if (missing != null && missing[r]) {
                Arrays.fill(m, r * classes, (r + 1) * classes, 0f);
            } else if (negated != null && negated[r] >= 0) {
                Arrays.fill(m, r * classes, (r + 1) * classes, 0f);
                m[r * classes + negated[r]] = 1f;
            }
        }
        return m;
    }

    /**
     * Options of a {@link CategoricalCrossentropy}, starting from Thinc's defaults. Setters return the
     * builder; {@link #build()} checks the options that do not depend on the input.
     */
    public static final class Builder {
        private boolean normalize = true;
        private List<String> names;
        private Object missingValue;
        private String negPrefix;
        private double labelSmoothing;

        Builder() {
        }

        /**
         * @param normalize whether to divide the gradient by the number of rows (default true)
         * @return this builder
         */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /**
         * @param names one name per class, in column order; {@code null} for none (the default)
         * @return this builder
         * @throws IllegalArgumentException if the list is empty or holds {@code null}
         */
        public Builder names(List<String> names) {
            if (names == null) {
                this.names = null;
                return this;
            }
            // Not names.contains(null): immutable lists throw on a null query.
            if (names.isEmpty() || names.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException(LOSS + ": names must be a non-empty list without nulls, got "
                        + names);
            }
            this.names = Collections.unmodifiableList(new ArrayList<>(names));
            return this;
        }

        /**
         * @param missingValue the class index that marks a row as missing (for index and target truths)
         * @return this builder
         */
        public Builder missingValue(int missingValue) {
            this.missingValue = missingValue;
            return this;
        }

        /**
         * @param missingValue the name that marks a row as missing (for name truths); {@code null} is the
         *     default, under which {@code null} names are missing
         * @return this builder
         */
        public Builder missingValue(String missingValue) {
            this.missingValue = missingValue;
            return this;
        }

        /**
         * @param negPrefix the prefix of negated names, such as {@code "!"}; {@code null} or empty for
         *     none (the default)
         * @return this builder
         */
        public Builder negPrefix(String negPrefix) {
            this.negPrefix = negPrefix;
            return this;
        }

        /**
         * @param labelSmoothing in [0, (classes - 1) / classes); 0 (the default) for plain one-hot rows
         * @return this builder
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder labelSmoothing(double labelSmoothing) {
            if (!(labelSmoothing >= 0) || Double.isInfinite(labelSmoothing)) {
                throw new IllegalArgumentException(LOSS + ": label smoothing must be >= 0, got " + labelSmoothing);
            }
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /** @return the loss */
        public CategoricalCrossentropy build() {
            return new CategoricalCrossentropy(this);
        }

        /** The loss with normalisation off, for the sequence loss that divides by sequences itself. */
        CategoricalCrossentropy buildUnnormalized() {
            boolean saved = normalize;
            normalize = false;
            try {
                return new CategoricalCrossentropy(this);
            } finally {
                normalize = saved;
            }
        }
    }
}
