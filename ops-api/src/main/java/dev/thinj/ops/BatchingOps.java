package dev.thinj.ops;

import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.BatchSource;
import dev.thinj.ops.batching.BatchStaging;
import dev.thinj.ops.batching.SizedBatches;
import java.util.List;

/**
 * Thinc's {@code ops.minibatch} and {@code ops.multibatch}: cutting data into batches of this
 * backend's arrays, optionally shuffled, optionally made ahead of time by a background producer.
 * Everything here is backend-independent except {@link #batchStaging()}, the hook through which a
 * backend stages a batch's arrays (see {@link BatchStaging}).
 *
 * <pre>{@code
 * SizedBatches<Batch> batches = ops.multibatch(128, true, 4, trainX, trainY);   // 469 batches
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     batches.forEach(b -> step(b.floats(0), b.ints(1)));                        // reshuffled per pass
 * }
 * }</pre>
 *
 * <p><b>Sizes</b> are an {@code int}, or a {@link BatchSizes}: {@code BatchSizes.from(iterator)} or
 * {@code BatchSizes.schedule(schedule::valueAt)} for variable sizes such as Thinc's
 * {@code compounding(1, 16, 1.001)}. They are drawn when the method is called, exactly as Thinc draws
 * them: batches are added while the raw sizes drawn sum to less than the data's length, and each batch
 * takes {@code (int) size} rows, so fractional sizes leave trailing rows out, as in Thinc 8.1.7.
 *
 * <p><b>Data</b> is a {@link FloatArray} or {@link IntArray} of any backend, a {@link List}, or any
 * {@link BatchSource} ({@code BatchSource.of(float[] hostData, int... shape)} for host arrays). Array
 * batches are new contiguous arrays of this backend.
 *
 * <p><b>{@code buffer}</b> = 1 makes each batch on the calling thread when it is asked for (Thinc's
 * behaviour); {@code k > 1} runs a daemon producer thread that slices, shuffles, gathers and copies up
 * to {@code k} batches ahead, so the consumer does not wait for data. The producer lives only as long
 * as its pass; see {@link SizedBatches} for how a pass ends, and {@link BatchOptions} for seeding.
 */
public interface BatchingOps {
    /**
     * The hook: a new staging for one pass, which decides how batch arrays are allocated, filled,
     * handed over and recycled. {@code new DefaultBatchStaging(ops)} works for any backend through its
     * public kernels; the CPU and CUDA backends stage batches more directly.
     *
     * @return the staging
     */
    BatchStaging batchStaging();

    /**
     * The general form.
     *
     * @param size the batch sizes (drawn now)
     * @param data the data
     * @param options shuffling, seed and buffering
     * @param <T> the type of a batch
     * @return the batches, re-iterable
     */
    default <T> SizedBatches<T> minibatch(BatchSizes size, BatchSource<T> data, BatchOptions options) {
        return SizedBatches.create(this::batchStaging, size, data, options);
    }

    /**
     * @param size the batch sizes (drawn now)
     * @param data the data
     * @param shuffle whether each pass visits the rows in a new random order
     * @param buffer 1, or how many batches a producer thread makes ahead
     * @param <T> the type of a batch
     * @return the batches, re-iterable
     */
    default <T> SizedBatches<T> minibatch(BatchSizes size, BatchSource<T> data, boolean shuffle, int buffer) {
        return minibatch(size, data, BatchOptions.defaults().shuffle(shuffle).buffer(buffer));
    }

    /**
     * @param size rows per batch
     * @param data the data
     * @param shuffle whether each pass visits the rows in a new random order
     * @param buffer 1, or how many batches a producer thread makes ahead
     * @param <T> the type of a batch
     * @return the batches, re-iterable
     */
    default <T> SizedBatches<T> minibatch(int size, BatchSource<T> data, boolean shuffle, int buffer) {
        return minibatch(BatchSizes.fixed(size), data, shuffle, buffer);
    }

    /**
     * @param size rows per batch
     * @param data rows along the first dimension, of any backend
     * @param shuffle whether each pass visits the rows in a new random order
     * @param buffer 1, or how many batches a producer thread makes ahead
     * @return the batches, arrays of this backend
     */
    default SizedBatches<FloatArray> minibatch(int size, FloatArray data, boolean shuffle, int buffer) {
        return minibatch(size, BatchSource.of(data), shuffle, buffer);
    }

    /**
     * @param size the batch sizes (drawn now)
     * @param data rows along the first dimension, of any backend
     * @param shuffle whether each pass visits the rows in a new random order
     * @param buffer 1, or how many batches a producer thread makes ahead
     * @return the batches, arrays of this backend
     */
    default SizedBatches<FloatArray> minibatch(BatchSizes size, FloatArray data, boolean shuffle, int buffer) {
        return minibatch(size, BatchSource.of(data), shuffle, buffer);
    }

    /**
     * @param size rows per batch
     * @param data rows along the first dimension, of any backend
     * @param shuffle whether each pass visits the rows in a new random order
     * @param buffer 1, or how many batches a producer thread makes ahead
     * @return the batches, int arrays of this backend
     */
    default SizedBatches<IntArray> minibatch(int size, IntArray data, boolean shuffle, int buffer) {
        return minibatch(size, BatchSource.of(data), shuffle, buffer);
    }

    /**
     * @param size the batch sizes (drawn now)
     * @param data rows along the first dimension, of any backend
     * @param shuffle whether each pass visits the rows in a new random order
     * @param buffer 1, or how many batches a producer thread makes ahead
     * @return the batches, int arrays of this backend
     */
    default SizedBatches<IntArray> minibatch(BatchSizes size, IntArray data, boolean shuffle, int buffer) {
        return minibatch(size, BatchSource.of(data), shuffle, buffer);
    }

    /**
     * @param size items per batch
     * @param data the items (not copied)
     * @param shuffle whether each pass visits the items in a new random order
     * @param buffer 1, or how many batches a producer thread makes ahead
     * @param <E> the item type
     * @return the batches, new lists
     */
    default <E> SizedBatches<List<E>> minibatch(int size, List<E> data, boolean shuffle, int buffer) {
        return minibatch(size, BatchSource.of(data), shuffle, buffer);
    }

    /**
     * @param size the batch sizes (drawn now)
     * @param data the items (not copied)
     * @param shuffle whether each pass visits the items in a new random order
     * @param buffer 1, or how many batches a producer thread makes ahead
     * @param <E> the item type
     * @return the batches, new lists
     */
    default <E> SizedBatches<List<E>> minibatch(BatchSizes size, List<E> data, boolean shuffle, int buffer) {
        return minibatch(size, BatchSource.of(data), shuffle, buffer);
    }

    /**
     * Batches several sequences by the same rows, as Thinc's {@code multibatch(size, X, Y, ...)}.
     *
     * @param size the batch sizes (drawn now)
     * @param options shuffling, seed and buffering
     * @param data one or more sequences of equal length; each as accepted by {@link BatchSource#from}
     * @return the batches; part {@code i} of each is cut from {@code data[i]}
     * @throws ShapeException if the sequences differ in length (Thinc would fail on the first
     *     out-of-range index instead)
     */
    default SizedBatches<Batch> multibatch(BatchSizes size, BatchOptions options, Object... data) {
        return minibatch(size, BatchSource.together(data), options);
    }

    /**
     * @param size the batch sizes (drawn now)
     * @param shuffle whether each pass visits the rows in a new random order
     * @param buffer 1, or how many batches a producer thread makes ahead
     * @param data one or more sequences of equal length
     * @return the batches
     */
    default SizedBatches<Batch> multibatch(BatchSizes size, boolean shuffle, int buffer, Object... data) {
        return multibatch(size, BatchOptions.defaults().shuffle(shuffle).buffer(buffer), data);
    }

    /**
     * @param size rows per batch
     * @param shuffle whether each pass visits the rows in a new random order
     * @param buffer 1, or how many batches a producer thread makes ahead
     * @param data one or more sequences of equal length
     * @return the batches
     */
    default SizedBatches<Batch> multibatch(int size, boolean shuffle, int buffer, Object... data) {
        return multibatch(BatchSizes.fixed(size), shuffle, buffer, data);
    }
}
