package dev.thinj.model.losses;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Thinc's {@code SequenceCategoricalCrossentropy} (v3): {@link CategoricalCrossentropy} over a list of
 * sequences, each a (length, classes) array of guesses with its own {@link Truths}.
 *
 * <p><b>Formula.</b> For sequences {@code i = 1..n},
 * <pre>
 *   gradient_i = (G_i - T_i) * M_i / n     (/ n only when normalize, the default)
 *   loss       = sum_i sum(gradient_i ** 2)
 * </pre>
 * Note that Thinc's {@code n} is the number of <em>sequences</em>, not of rows: a long sequence
 * weighs more than a short one, and the gradient of a single sequence of 10 rows is 10 times that of
 * {@link CategoricalCrossentropy} on the same rows. The loss is the sum of squares of the gradients,
 * Thinc's quirk as for {@code CategoricalCrossentropy}.
 *
 * <p><b>Options</b> are those of {@link CategoricalCrossentropy} (names, missing value, negative
 * prefix, label smoothing), applied to every sequence, and so are its errors, raised for the first
 * sequence that has one with the sequence's index in the message. Different numbers of guesses and
 * truths raise {@link LossException}.
 *
 * <p>The loss value is on the first sequence's backend; for an empty list (gradients {@code []}, loss
 * 0, as Thinc) it is on {@link Ops#current()}. Instances are immutable and thread-safe.
 */
public final class SequenceCategoricalCrossentropy implements Loss<List<FloatArray>, List<Truths>> {
    private static final String LOSS = "SequenceCategoricalCrossentropy";

    private final boolean normalize;
    /** Each sequence's gradient, unnormalised: this loss divides by the number of sequences itself. */
    private final CategoricalCrossentropy perSequence;

    /** A loss with Thinc's defaults: normalised, no names, no missing value, no prefix, no smoothing. */
    public SequenceCategoricalCrossentropy() {
        this(new Builder());
    }

    private SequenceCategoricalCrossentropy(Builder b) {
        this.normalize = b.normalize;
        this.perSequence = b.options.buildUnnormalized();
    }

    /** @return a builder starting from Thinc's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param guesses one (length, classes) array of probabilities per sequence (not modified)
     * @param truths one set of truths per sequence (not modified)
     * @return one gradient per sequence and the summed loss
     * @throws LossException if the lists differ in length, or as {@link CategoricalCrossentropy}
     * @throws dev.thinj.ops.ShapeException as {@link CategoricalCrossentropy}
     */
    @Override
    public LossResult<List<FloatArray>> apply(List<FloatArray> guesses, List<Truths> truths) {
        List<FloatArray> grads = getGrad(guesses, truths);
        if (grads.isEmpty()) {
            return new LossResult<>(grads, Ops.current().alloc(1));
        }
        Ops ops = grads.get(0).ops();
        FloatArray total = ops.sumOfSquares(grads.get(0));
        for (int i = 1; i < grads.size(); i++) {
            try (FloatArray part = ops.sumOfSquares(grads.get(i))) {
                ops.addInPlace(total, part);
            }
        }
        return new LossResult<>(grads, total);
    }

    /** Computes only the gradients; see {@link #apply(List, List)}. */
    @Override
    public List<FloatArray> getGrad(List<FloatArray> guesses, List<Truths> truths) {
        Objects.requireNonNull(guesses, "guesses");
        Objects.requireNonNull(truths, "truths");
        if (guesses.size() != truths.size()) {
            throw new LossException(LOSS + ": guesses and truths must be the same length, got " + guesses.size()
                    + " sequences of guesses and " + truths.size() + " of truths");
        }
        float scale = normalize ? 1f / guesses.size() : 1f;
        List<FloatArray> grads = new ArrayList<>(guesses.size());
        int i = 0;
        try {
            for (; i < guesses.size(); i++) {
                CategoricalCrossentropy.checkGuesses(guesses.get(i));
                grads.add(perSequence.gradient(guesses.get(i), truths.get(i), scale));
            }
        } catch (ShapeException e) {
            grads.forEach(FloatArray::close);
            throw new ShapeException(LOSS + ": sequence " + i + ": " + e.getMessage());
        } catch (LossException e) {
            grads.forEach(FloatArray::close);
            throw new LossException(LOSS + ": sequence " + i + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            grads.forEach(FloatArray::close);
            throw e;
        }
        return Collections.unmodifiableList(grads);
    }

    /** Computes the loss and frees the gradients; see {@link #apply(List, List)}. */
    @Override
    public float getLoss(List<FloatArray> guesses, List<Truths> truths) {
        LossResult<List<FloatArray>> r = apply(guesses, truths);
        try (FloatArray value = r.lossValue()) {
            return value.item();
        } finally {
            r.grad().forEach(FloatArray::close);
        }
    }

    /** @return whether the gradients are divided by the number of sequences */
    public boolean normalize() {
        return normalize;
    }

    @Override
    public String toString() {
        return LOSS + "(normalize=" + normalize + ", per sequence: " + perSequence + ")";
    }

    /** Options of a {@link SequenceCategoricalCrossentropy}, those of {@link CategoricalCrossentropyBuilder}. */
    public static final class Builder {
        private boolean normalize = true;
        private final CategoricalCrossentropyBuilder options = CategoricalCrossentropy.builder();

        Builder() {
        }

        /**
         * @param normalize whether to divide the gradients by the number of sequences (default true)
         * @return this builder
         */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /**
         * @param names as {@link CategoricalCrossentropyBuilder#names}
         * @return this builder
         */
        public Builder names(List<String> names) {
            options.names(names);
            return this;
        }

        /**
         * @param missingValue as {@link CategoricalCrossentropyBuilder#missingValue(int)}
         * @return this builder
         */
        public Builder missingValue(int missingValue) {
            options.missingValue(missingValue);
            return this;
        }

        /**
         * @param missingValue as {@link CategoricalCrossentropyBuilder#missingValue(String)}
         * @return this builder
         */
        public Builder missingValue(String missingValue) {
            options.missingValue(missingValue);
            return this;
        }

        /**
         * @param negPrefix as {@link CategoricalCrossentropyBuilder#negPrefix}
         * @return this builder
         */
        public Builder negPrefix(String negPrefix) {
            options.negPrefix(negPrefix);
            return this;
        }

        /**
         * @param labelSmoothing as {@link CategoricalCrossentropyBuilder#labelSmoothing}
         * @return this builder
         */
        public Builder labelSmoothing(double labelSmoothing) {
            options.labelSmoothing(labelSmoothing);
            return this;
        }

        /** @return the loss */
        public SequenceCategoricalCrossentropy build() {
            return new SequenceCategoricalCrossentropy(this);
        }
    }
}
