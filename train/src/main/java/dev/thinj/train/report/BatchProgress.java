package dev.thinj.train.report;

import dev.thinj.ops.batching.SizedBatches;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars over the batches of an epoch. A {@link SizedBatches} knows how many batches a pass has
 * before it starts, so the bar shows a total, a percentage and an ETA from the first step. The training
 * loop wraps each epoch's batches:
 *
 * <pre>{@code
 * SizedBatches<Batch> batches = ops.multibatch(128, true, 4, trainX, trainY);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     for (Batch b : BatchProgress.wrap(batches, "epoch " + epoch)) {
 *         step(b);
 *     }
 * }
 * }</pre>
 */
public final class BatchProgress {
    private BatchProgress() {
    }

    /**
     * @param batches the batches of one pass (not started until iterated)
     * @param task the bar's label
     * @param <T> the batch type
     * @return the batches of one pass, with a bar on the console
     */
    public static <T> Iterable<T> wrap(SizedBatches<T> batches, String task) {
        return wrap(batches, new ProgressBarBuilder().setTaskName(task).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" batches", 1).showSpeed());
    }

    /**
     * A bar whose extra message the caller can set while the pass runs (the training loop shows the
     * running loss there); the bar ends with the pass.
     *
     * @param batches the batches of one pass
     * @param task the bar's label
     * @param message receives a setter for the bar's extra message, valid while the pass runs
     * @param <T> the batch type
     * @return the batches of one pass, with the bar
     */
    public static <T> Iterable<T> wrap(SizedBatches<T> batches, String task,
            java.util.function.Consumer<java.util.function.Consumer<String>> message) {
        return () -> {
            ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" batches", 1).showSpeed().setInitialMax(batches.size()).build();
            message.accept(bar::setExtraMessage);
            java.util.Iterator<T> it = batches.iterator();
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    boolean more = it.hasNext();
                    if (!more) {
                        bar.close();
                    }
                    return more;
                }

                @Override
                public T next() {
                    T batch = it.next();
                    bar.step();
                    return batch;
                }
            };
        };
    }

    /**
     * @param batches the batches of one pass
     * @param bar the bar's settings (label, style, where it is drawn); its total is set to the
     *     number of batches
     * @param <T> the batch type
     * @return the batches of one pass, with the bar
     */
    public static <T> Iterable<T> wrap(SizedBatches<T> batches, ProgressBarBuilder bar) {
        return ProgressBar.wrap(batches, bar.setInitialMax(batches.size()));
    }
}
