/**
 * Batching: Thinc's {@code minibatch}/{@code multibatch}, as {@code Ops} methods (see
 * {@link dev.thinj.ops.BatchingOps}), with a background producer for {@code buffer > 1}.
 *
 * <p>The parts, each with one job:
 * <ul>
 *   <li>{@link dev.thinj.ops.batching.BatchSizes}: where sizes come from (a number, an iterator, a
 *       step function such as a model schedule); drawn once per call into a plan, with Thinc's
 *       rules for fractional sizes.</li>
 *   <li>{@link dev.thinj.ops.batching.BatchSource}: what is batched (backend arrays, host arrays,
 *       lists, several at once for {@code multibatch}) and how one batch is made from given
 *       {@link dev.thinj.ops.batching.Rows}.</li>
 *   <li>{@link dev.thinj.ops.batching.BatchStaging} and {@link dev.thinj.ops.batching.BatchSlot}: the
 *       backend hook, how the arrays of a batch are allocated, filled, handed over and recycled;
 *       {@link dev.thinj.ops.batching.DefaultBatchStaging} works for every backend.</li>
 *   <li>{@link dev.thinj.ops.batching.SizedBatches} and {@link dev.thinj.ops.batching.BatchIterator}:
 *       the result, sized and re-iterable; each pass draws a new order (seeded by
 *       {@link dev.thinj.ops.batching.BatchOptions}) and ends, producer and all, when exhausted, closed,
 *       failed or collected.</li>
 * </ul>
 *
 * <p><b>Threads.</b> With {@code buffer = k > 1} each pass has one daemon thread named
 * {@code thinj-batch-producer-N}, started by the first {@code hasNext()}/{@code next()}, feeding a
 * bounded queue; both sides wait in bounded slices and check a closed flag, so nothing waits for a side
 * that is gone. A single daemon {@code thinj-batch-cleaner} thread ends passes whose iterators were
 * dropped without being closed.
 *
 * <p><b>Memory.</b> Batches are fresh arrays owned by the consumer on the built-in stagings; a staging
 * that pools memory may reuse a batch's memory only after the consumer has moved past it and the work
 * issued on it has finished (an event on a GPU).
 */
package dev.thinj.ops.batching;
