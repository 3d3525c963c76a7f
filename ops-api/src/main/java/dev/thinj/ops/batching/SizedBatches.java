package dev.thinj.ops.batching;

import java.util.Objects;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The batches of one {@code minibatch} or {@code multibatch} call, as Thinc's {@code SizedGenerator}:
 * the number of batches is known up front ({@link #size()}, for progress bars), and it can be iterated
 * again and again; each pass makes the batches anew and, with shuffling, in a new order.
 *
 * <pre>{@code
 * SizedBatches<Batch> batches = ops.multibatch(128, true, 4, trainX, trainY);
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     try (BatchIterator<Batch> it = batches.iterator()) {      // or: batches.forEach(b -> step(b))
 *         while (it.hasNext()) {
 *             Batch b = it.next();
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Ending a pass.</b> A pass ends, and with {@code buffer > 1} its producer thread stops and its
 * unused batches are freed, when the iterator is exhausted, closed, or fails. {@link #forEach} closes it
 * even when the action throws. A plain {@code for} loop left by {@code break} or an exception cannot
 * close its iterator; the producer then stops once the iterator is garbage collected (a
 * {@link java.lang.ref.Cleaner}), waiting meanwhile in bounded slices without working. Prefer
 * try-with-resources or {@code forEach} where passes are left early.
 *
 * <p><b>Batches belong to the consumer.</b> Every batch is new; nothing the pipeline does later
 * writes to it (see {@link BatchStaging} for how a backend may recycle memory, and when).
 *
 * @param <T> the type of a batch
 */
public interface SizedBatches<T> extends Iterable<T> {
    /** @return the number of batches in every pass */
    int size();

    /**
     * Starts a pass: draws its order (when shuffling) and, with {@code buffer > 1}, a producer thread
     * that starts working on the first call to {@code hasNext()} or {@code next()}.
     *
     * @return the pass's iterator, for one consumer thread
     */
    @Override
    BatchIterator<T> iterator();

    /**
     * A spliterator that knows the number of batches, so that {@code ProgressBar.wrap(batches, ...)}
     * shows a total. It starts its pass only when the first batch is asked for: asking only for the
     * size draws no shuffle order.
     *
     * @return a sized spliterator over one pass
     */
    @Override
    default Spliterator<T> spliterator() {
        return new PassSpliterator<>(this);
    }

    /**
     * Runs {@code action} on every batch of one pass and closes the pass, also when the action throws.
     *
     * @param action the step to run per batch
     */
    @Override
    default void forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        try (BatchIterator<T> it = iterator()) {
            while (it.hasNext()) {
                action.accept(it.next());
            }
        }
    }

    /**
     * The general constructor behind {@code Ops.minibatch} and {@code Ops.multibatch}; sizes are drawn
     * now, as Thinc draws them when {@code minibatch} is called.
     *
     * @param staging makes the staging of each pass (usually {@code ops::batchStaging})
     * @param sizes the batch sizes
     * @param source the data
     * @param options shuffling and buffering
     * @param <T> the type of a batch
     * @return the batches
     */
    static <T> SizedBatches<T> create(Supplier<? extends BatchStaging> staging, BatchSizes sizes, BatchSource<T> source,
            BatchOptions options) {
        Objects.requireNonNull(staging, "staging");
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        return new Minibatches<>(staging, BatchPlan.draw(source.length(), sizes), source, options);
    }
}
