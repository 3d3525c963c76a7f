package dev.thinj.model.losses;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Thinc's {@code convert_truths} for {@link CategoricalCrossentropy}: turns the truths of one batch
 * (class indices, a target array, or class names with missing values and a negative prefix) into a
 * target and a mask of the guesses' shape, with label smoothing. The semantics, quirks and deliberate
 * differences are those listed on {@link CategoricalCrossentropy}. Immutable.
 */
final class TruthConversion {
    private final List<String> names;
    private final Map<String, Integer> nameToIndex;
    private final Object missingValue;
    private final String negPrefix;
    private final double labelSmoothing;

    /**
     * @param names one name per class, or {@code null} for none
     * @param missingValue an {@link Integer}, a {@link String}, or {@code null}
     * @param negPrefix the negative prefix, or {@code null}
     * @param labelSmoothing 0 for none
     */
    TruthConversion(List<String> names, Object missingValue, String negPrefix, double labelSmoothing) {
        this.names = names;
        this.missingValue = missingValue;
        this.negPrefix = negPrefix;
        this.labelSmoothing = labelSmoothing;
        Map<String, Integer> index = new HashMap<>();
        if (names != null) {
            for (int i = 0; i < names.size(); i++) {
                index.put(names.get(i), i);  // a repeated name maps to its last class, as Thinc's dict
            }
        }
        this.nameToIndex = Collections.unmodifiableMap(index);
    }

    /**
     * The target and mask of Thinc's {@code convert_truths}.
     *
     * @param values the (batch, classes) target
     * @param mask the (batch, classes) mask, or {@code null} for all ones
     * @param given whether {@code values} is the caller's array (so its range must be checked)
     */
    record Target(FloatArray values, FloatArray mask, boolean given) {
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

    Target convert(Ops ops, FloatArray guesses, Truths truths) {
        int rows = guesses.dim(0);
        int classes = guesses.dim(1);
        if (truths.target() != null) {
            return givenTarget(ops, guesses, truths.target());
        }
        if (truths.size() != rows) {
            throw new ShapeException(CategoricalCrossentropy.LOSS + ": mismatched shapes: guesses " + Shapes.format(guesses.shape())
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
                throw new LossException(CategoricalCrossentropy.LOSS + ": a class index is outside [0, " + classes + ") for guesses of shape "
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
            throw new ShapeException(CategoricalCrossentropy.LOSS + ": mismatched shapes: guesses " + Shapes.format(guesses.shape())
                    + " vs truths " + Shapes.format(target.shape()));
        }
        if (labelSmoothing != 0) {
            throw new LossException(CategoricalCrossentropy.LOSS + ": label smoothing (" + labelSmoothing + ") is only applied when truths are "
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
            throw new ShapeException(CategoricalCrossentropy.LOSS + ": guesses must have at least one class (column), got 0");
        }
        if (labelSmoothing > 0) {
            if (classes < 2) {
                throw new LossException(CategoricalCrossentropy.LOSS + ": label smoothing needs more than one class, but the guesses have 1");
            }
            double max = (classes - 1.0) / classes;
            if (labelSmoothing >= max) {
                throw new LossException(CategoricalCrossentropy.LOSS + ": for " + classes + " classes label smoothing has to be less than "
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
                throw new LossException(CategoricalCrossentropy.LOSS + ": class index " + v + " at row " + r + " is outside [0, " + classes
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
            throw new LossException(CategoricalCrossentropy.LOSS + ": cannot calculate the loss from a list of names without the class "
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
            throw new LossException(CategoricalCrossentropy.LOSS + ": unknown label name " + what
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
                throw new LossException(CategoricalCrossentropy.LOSS + ": truth values outside the [0,1] interval: the negated label at row "
                        + first + " (class '" + names.get(labels.negated()[first]) + "') becomes -(1 - "
                        + labelSmoothing + ") with label smoothing, as in Thinc; use negative labels without "
                        + "label smoothing");
            }
            float[] keep = new float[Shapes.checkedSize(CategoricalCrossentropy.LOSS, rows, classes)];
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
        float[] m = new float[Shapes.checkedSize(CategoricalCrossentropy.LOSS, rows, classes)];
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
}
