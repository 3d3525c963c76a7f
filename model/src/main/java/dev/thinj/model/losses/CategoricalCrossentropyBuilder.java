package dev.thinj.model.losses;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Options of a {@link CategoricalCrossentropy}, starting from Thinc's defaults. Setters return the
 * builder; {@link #build()} checks the options that do not depend on the input.
 */
public final class CategoricalCrossentropyBuilder {
    boolean normalize = true;
    List<String> names;
    Object missingValue;
    String negPrefix;
    double labelSmoothing;

    CategoricalCrossentropyBuilder() {
    }

    /**
     * @param normalize whether to divide the gradient by the number of rows (default true)
     * @return this builder
     */
    public CategoricalCrossentropyBuilder normalize(boolean normalize) {
        this.normalize = normalize;
        return this;
    }

    /**
     * @param names one name per class, in column order; {@code null} for none (the default)
     * @return this builder
     * @throws IllegalArgumentException if the list is empty or holds {@code null}
     */
    public CategoricalCrossentropyBuilder names(List<String> names) {
        if (names == null) {
            this.names = null;
            return this;
        }
        // Not names.contains(null): immutable lists throw on a null query.
        if (names.isEmpty() || names.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(CategoricalCrossentropy.LOSS + ": names must be a non-empty list without nulls, got "
                    + names);
        }
        this.names = Collections.unmodifiableList(new ArrayList<>(names));
        return this;
    }

    /**
     * @param missingValue the class index that marks a row as missing (for index and target truths)
     * @return this builder
     */
    public CategoricalCrossentropyBuilder missingValue(int missingValue) {
        this.missingValue = missingValue;
        return this;
    }

    /**
     * @param missingValue the name that marks a row as missing (for name truths); {@code null} is the
     *     default, under which {@code null} names are missing
     * @return this builder
     */
    public CategoricalCrossentropyBuilder missingValue(String missingValue) {
        this.missingValue = missingValue;
        return this;
    }

    /**
     * @param negPrefix the prefix of negated names, such as {@code "!"}; {@code null} or empty for
     *     none (the default)
     * @return this builder
     */
    public CategoricalCrossentropyBuilder negPrefix(String negPrefix) {
        this.negPrefix = negPrefix;
        return this;
    }

    /**
     * @param labelSmoothing in [0, (classes - 1) / classes); 0 (the default) for plain one-hot rows
     * @return this builder
     * @throws IllegalArgumentException if negative or not finite
     */
    public CategoricalCrossentropyBuilder labelSmoothing(double labelSmoothing) {
        if (!(labelSmoothing >= 0) || Double.isInfinite(labelSmoothing)) {
            throw new IllegalArgumentException(CategoricalCrossentropy.LOSS + ": label smoothing must be >= 0, got " + labelSmoothing);
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
