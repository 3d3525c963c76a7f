package dev.thinj.ops.batching;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.NdArray;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One batch of {@code multibatch}: the same rows cut from each source, in the order the sources were
 * given (Thinc yields a list {@code [X_batch, Y_batch, ...]}). Typed getters save the casts:
 *
 * <pre>{@code
 * for (Batch b : ops.multibatch(128, true, 4, trainX, trainY)) {
 *     FloatArray x = b.floats(0);
 *     IntArray y = b.ints(1);
 * }
 * }</pre>
 */
public final class Batch implements AutoCloseable {
    private final Object[] parts;
    private final int rows;

    Batch(Object[] parts, int rows) {
        this.parts = parts;
        this.rows = rows;
    }

    /** @return the number of parts, one per source */
    public int parts() {
        return parts.length;
    }

    /** @return the number of rows in every part */
    public int rows() {
        return rows;
    }

    /**
     * @param part a source's position
     * @return that source's batch
     */
    public Object get(int part) {
        return parts[part];
    }

    /**
     * @param part a source's position
     * @return that source's batch, a float array
     * @throws IllegalArgumentException if the part is not a float array
     */
    public FloatArray floats(int part) {
        return as(part, FloatArray.class);
    }

    /**
     * @param part a source's position
     * @return that source's batch, an int array
     * @throws IllegalArgumentException if the part is not an int array
     */
    public IntArray ints(int part) {
        return as(part, IntArray.class);
    }

    /**
     * @param part a source's position
     * @param <E> the item type (unchecked, as the list came from the caller)
     * @return that source's batch, a list
     * @throws IllegalArgumentException if the part is not a list
     */
    @SuppressWarnings("unchecked")
    public <E> List<E> list(int part) {
        return as(part, List.class);
    }

    /** @return the parts as an unmodifiable list */
    public List<Object> asList() {
        return Collections.unmodifiableList(Arrays.asList(parts));
    }

    private <P> P as(int part, Class<P> type) {
        Object p = parts[part];
        if (!type.isInstance(p)) {
            throw new IllegalArgumentException("batch part " + part + " is a " + p.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(p);
    }

    /** Closes the array parts now (their memory is the consumer's; closing is optional on the heap). */
    @Override
    public void close() {
        for (Object p : parts) {
            if (p instanceof NdArray a) {
                a.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Batch" + Arrays.toString(parts);
    }
}
