package dev.thinj.ops.batching;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.HostArrays;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Data that can be cut into batches: a number of rows, and a way to make the batch of given rows.
 * The factories cover what Thinc's {@code minibatch} takes: lists, host arrays and backend arrays.
 * Arrays come out as new contiguous arrays of the batching backend, through the {@link BatchSlot}
 * (which is where a backend stages them); lists come out as new lists of the elements.
 *
 * <p>Implement it to do more per batch (decode, augment), delegating the array work to the slot;
 * {@link #batch} runs on the producer thread when {@code buffer > 1}, so it must not touch state the
 * consumer uses.
 *
 * @param <T> the type of a batch
 */
public interface BatchSource<T> {
    /** @return the number of rows (items) */
    int length();

    /**
     * Makes one batch. Producer thread.
     *
     * @param slot where the batch's arrays are staged
     * @param rows the rows to take, in order
     * @return the batch
     */
    T batch(BatchSlot slot, Rows rows);

    /**
     * @param data a backend array of any backend; its rows are the first dimension (not modified,
     *     and must not be modified while batches are made)
     * @return batches as arrays of the batching backend
     */
    static BatchSource<FloatArray> of(FloatArray data) {
        Objects.requireNonNull(data, "data");
        return new Sources.FloatArrays(data);
    }

    /**
     * @param data a backend int array (labels, indices) of any backend (not modified)
     * @return batches as int arrays of the batching backend
     */
    static BatchSource<IntArray> of(IntArray data) {
        Objects.requireNonNull(data, "data");
        return new Sources.IntArrays(data);
    }

    /**
     * @param data the items: not copied if it has random access (it must then not change while
     *     batches are made), else copied once into one that has
     * @param <E> the item type
     * @return batches as new lists
     */
    static <E> BatchSource<List<E>> of(List<E> data) {
        Objects.requireNonNull(data, "data");
        return new Sources.Items<>(data instanceof RandomAccess ? data : new ArrayList<>(data));
    }

    /**
     * @param data row-major host values (not copied: must not change while batches are made)
     * @param shape rows first, rank 1 to 4; if omitted, {@code data} is 1-d
     * @return batches as arrays of the batching backend
     */
    static BatchSource<FloatArray> of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        Rows.rowWidth("host float array", data.length, s);
        return new Sources.HostFloats(data, s);
    }

    /**
     * @param data row-major host values (not copied)
     * @param shape rows first, rank 1 to 4; if omitted, {@code data} is 1-d (labels)
     * @return batches as int arrays of the batching backend
     */
    static BatchSource<IntArray> of(int[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        Rows.rowWidth("host int array", data.length, s);
        return new Sources.HostInts(data, s);
    }

    /**
     * @param rows equal-length rows (copied once into one row-major array)
     * @return batches as 2-d arrays of the batching backend
     */
    static BatchSource<FloatArray> of(float[][] rows) {
        return new Sources.HostFloats(HostArrays.flatten("minibatch", rows),
                new int[] {rows.length, rows.length == 0 ? 0 : rows[0].length});
    }

    /**
     * @param rows equal-length rows (copied once into one row-major array)
     * @return batches as 2-d int arrays of the batching backend
     */
    static BatchSource<IntArray> of(int[][] rows) {
        return new Sources.HostInts(HostArrays.flatten("minibatch", rows),
                new int[] {rows.length, rows.length == 0 ? 0 : rows[0].length});
    }

    /**
     * The source for any batchable value, for {@code multibatch}'s untyped arguments.
     *
     * @param data a {@code BatchSource}, {@link FloatArray}, {@link IntArray}, {@link List},
     *     {@code float[]}, {@code int[]} (1-d), {@code float[][]} or {@code int[][]} (2-d)
     * @return its source
     * @throws IllegalArgumentException for anything else, naming the type
     */
    static BatchSource<?> from(Object data) {
        if (data instanceof BatchSource<?> s) {
            return s;
        } else if (data instanceof FloatArray a) {
            return of(a);
        } else if (data instanceof IntArray a) {
            return of(a);
        } else if (data instanceof List<?> l) {
            return of(l);
        } else if (data instanceof float[] f) {
            return of(f);
        } else if (data instanceof int[] i) {
            return of(i);
        } else if (data instanceof float[][] f) {
            return of(f);
        } else if (data instanceof int[][] i) {
            return of(i);
        }
        throw new IllegalArgumentException("Can't batch data of type "
                + (data == null ? "null" : data.getClass().getTypeName())
                + "; expected a FloatArray, IntArray, List, float[], int[], float[][], int[][] or BatchSource");
    }

    /**
     * Several sequences cut by the same rows, for {@code multibatch}.
     *
     * @param data one or more sequences, each as accepted by {@link #from(Object)}
     * @return a source whose batches hold one part per sequence
     * @throws ShapeException if the sequences differ in length
     */
    static BatchSource<Batch> together(Object... data) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("multibatch: no data given");
        }
        List<BatchSource<?>> parts = new ArrayList<>(data.length);
        for (Object d : data) {
            parts.add(from(d));
        }
        int length = parts.get(0).length();
        for (int p = 1; p < parts.size(); p++) {
            if (parts.get(p).length() != length) {
                StringBuilder lengths = new StringBuilder();
                for (BatchSource<?> s : parts) {
                    lengths.append(lengths.length() == 0 ? "" : ", ").append(s.length());
                }
                throw new ShapeException("multibatch: the sequences differ in length (" + lengths + ")");
            }
        }
        return new Sources.Together(List.copyOf(parts));
    }
}
