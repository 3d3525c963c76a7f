package dev.thinj.model.losses;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The gold labels of a {@link CategoricalCrossentropy} (one row per row of guesses), in any of the
 * forms Thinc accepts:
 *
 * <ul>
 *   <li>{@link #of(IntArray)}: class indices on the backend (Thinc's {@code Ints1d});
 *   <li>{@link #of(int...)}: class indices on the host (Thinc's {@code List[int]});
 *   <li>{@link #of(FloatArray)}: a (batch, classes) target such as a one-hot or soft distribution
 *       (Thinc's {@code Floats2d});
 *   <li>{@link #of(List)}: class names, resolved with the loss's {@code names} (Thinc's
 *       {@code List[str]}); a {@code null} entry is Python's {@code None}.
 * </ul>
 *
 * <p>A {@code Truths} refers to the arrays it was given without copying them (host arrays and lists
 * are copied); the losses never modify them.
 */
public final class Truths {
    private final IntArray deviceIndices;
    private final int[] indices;
    private final FloatArray target;
    private final List<String> names;

    private Truths(IntArray deviceIndices, int[] indices, FloatArray target, List<String> names) {
        this.deviceIndices = deviceIndices;
        this.indices = indices;
        this.target = target;
        this.names = names;
    }

    /**
     * @param classIndices 1-d class indices, one per row of guesses (not modified; not copied)
     * @return the truths
     * @throws ShapeException if the array is not 1-d
     */
    public static Truths of(IntArray classIndices) {
        Objects.requireNonNull(classIndices, "classIndices");
        if (classIndices.rank() != 1) {
            throw new ShapeException("Truths.of: class indices must be 1-d, got shape "
                    + Shapes.format(classIndices.shape()));
        }
        return new Truths(classIndices, null, null, null);
    }

    /**
     * @param classIndices class indices, one per row of guesses (copied)
     * @return the truths
     */
    public static Truths of(int... classIndices) {
        return new Truths(null, Objects.requireNonNull(classIndices, "classIndices").clone(), null, null);
    }

    /**
     * @param target a (batch, classes) array of the guesses' shape, each value in [0, 1], such as a
     *     one-hot encoding (not modified; not copied)
     * @return the truths
     * @throws ShapeException if the array is not 2-d
     */
    public static Truths of(FloatArray target) {
        Objects.requireNonNull(target, "target");
        if (target.rank() != 2) {
            throw new ShapeException("Truths.of: a target array must be 2-d (batch, classes), got shape "
                    + Shapes.format(target.shape()));
        }
        return new Truths(null, null, target, null);
    }

    /**
     * @param names class names, one per row of guesses; {@code null} entries allowed (copied)
     * @return the truths
     */
    public static Truths of(List<String> names) {
        Objects.requireNonNull(names, "names");
        return new Truths(null, null, null, Collections.unmodifiableList(new ArrayList<>(names)));
    }

    /** @return the number of rows these truths label */
    public int size() {
        if (deviceIndices != null) {
            return deviceIndices.dim(0);
        }
        if (indices != null) {
            return indices.length;
        }
        return target != null ? target.dim(0) : names.size();
    }

    IntArray deviceIndices() {
        return deviceIndices;
    }

    int[] indices() {
        return indices;
    }

    FloatArray target() {
        return target;
    }

    List<String> names() {
        return names;
    }

    @Override
    public String toString() {
        if (deviceIndices != null) {
            return "Truths(class indices on " + deviceIndices.ops().name() + ", shape "
                    + Shapes.format(deviceIndices.shape()) + ")";
        }
        if (indices != null) {
            return "Truths(" + indices.length + " class indices)";
        }
        if (target != null) {
            return "Truths(target, shape " + Shapes.format(target.shape()) + ")";
        }
        return "Truths(" + names.size() + " names)";
    }
}
