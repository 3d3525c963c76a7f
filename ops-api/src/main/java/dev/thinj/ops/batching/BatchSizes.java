package dev.thinj.ops.batching;

import java.util.Iterator;
import java.util.Objects;
import java.util.function.LongToDoubleFunction;

/**
 * Where batch sizes come from: a fixed number, or a sequence drawn one size per batch, as Thinc's
 * {@code size} argument ({@code int} or generator).
 *
 * <p><b>Stateful like a Python generator.</b> {@code minibatch} draws every size it needs when it is
 * called (not when it is iterated), and a {@code BatchSizes} passed to several calls goes on where the
 * previous call stopped, as one generator passed to several {@code ops.minibatch} calls does in
 * Thinc. So the usual Thinc loop reads:
 *
 * <pre>{@code
 * BatchSizes sizes = BatchSizes.schedule(Schedules.compounding(1, 16, 1.001)::valueAt);
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch b : ops.multibatch(sizes, true, 1, trainX, trainY)) { ... }   // sizes keep growing
 * }
 * }</pre>
 *
 * <p>A model {@code Schedule} (a pure function of the step) is passed as a method reference
 * {@code schedule::valueAt}: ops-api cannot depend on the model module, and {@code valueAt(long)} has
 * the shape of {@link LongToDoubleFunction}. The step counter lives in the {@code BatchSizes}, from 0.
 *
 * <p>A drawn size may be fractional: it counts in full towards covering the data while the batch
 * takes {@code (int) size} rows (Thinc's rule, see {@code Ops.minibatch}). A size must be finite and
 * greater than 0 (Thinc loops for ever on 0).
 */
@FunctionalInterface
public interface BatchSizes {
    /**
     * Draws the size of the next batch. Called on the thread that calls {@code minibatch}.
     *
     * @return the size, finite and greater than 0
     */
    double next();

    /**
     * @param size rows per batch, at least 1
     * @return the same size for every batch (stateless)
     */
    static BatchSizes fixed(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + size);
        }
        return new Fixed(size);
    }

    /**
     * Draws sizes from an iterator, as Thinc draws from a generator. The iterator is shared, not
     * copied: what one {@code minibatch} call draws, the next one does not see again.
     *
     * @param sizes the sizes, in order; running out before the data is covered is an error
     * @return sizes drawn from the iterator
     */
    static BatchSizes from(Iterator<? extends Number> sizes) {
        Objects.requireNonNull(sizes, "sizes");
        return () -> {
            if (!sizes.hasNext()) {
                throw new IllegalArgumentException("the batch-size iterator ran out before the data was covered");
            }
            Number n = sizes.next();
            if (n == null) {
                throw new IllegalArgumentException("the batch-size iterator returned null");
            }
            return n.doubleValue();
        };
    }

    /**
     * Draws the value of a step function at steps 0, 1, 2, ...; the step advances with every size
     * drawn, across {@code minibatch} calls. Pass a model {@code Schedule} as {@code schedule::valueAt}.
     *
     * @param sizeAtStep the size at each step (read once per step, in order)
     * @return sizes drawn from the function
     */
    static BatchSizes schedule(LongToDoubleFunction sizeAtStep) {
        Objects.requireNonNull(sizeAtStep, "sizeAtStep");
        return new BatchSizes() {
            private long step;

            @Override
            public double next() {
                return sizeAtStep.applyAsDouble(step++);
            }
        };
    }

    /** A constant size; a record so that tests and messages can show it. */
    record Fixed(int size) implements BatchSizes {
        @Override
        public double next() {
            return size;
        }
    }
}
