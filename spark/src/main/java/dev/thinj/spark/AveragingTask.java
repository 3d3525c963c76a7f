package dev.thinj.spark;

import dev.thinj.model.Result;
import dev.thinj.model.losses.LossResult;
import dev.thinj.model.optimizers.OptimizerState;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.Batch;
import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's part of a {@code sync = "averaging"} round: the driver's parameters and optimizer
 * state loaded, then one local step per global batch of the round on the partition's shard of it
 * (the loss normalised by the shard, as any batch), with this worker's own optimizer. Returns the
 * parameters and optimizer state reached, for the driver to average. A pure function of the broadcast
 * state, the partition and the round.
 */
final class AveragingTask implements Function<Block, AveragingTask.LocalUpdate> {
    private static final long serialVersionUID = 1L;

    /**
     * What a partition reached in a round.
     *
     * @param partition its index
     * @param params its parameters after the steps, as a {@link ParamVector}
     * @param optimizerState its optimizer's state after them ({@link OptimizerState#toBytes})
     * @param loss its losses, scaled to the global batches
     * @param rows rows it trained on (0: it held none of the round's rows and sends nothing)
     * @param computeNanos the task's compute time
     */
    record LocalUpdate(int partition, float[] params, byte[] optimizerState, double loss, long rows,
            long computeNanos) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final JobSpec job;
    private final Broadcast<float[]> params;
    private final Broadcast<byte[]> optimizerState;
    private final int[][] batches;
    private final long round;

    /**
     * @param job the run
     * @param params the driver's parameters
     * @param optimizerState the driver's optimizer state
     * @param batches the round's global batches, one local step each
     * @param round the round, unique in the run
     */
    AveragingTask(JobSpec job, Broadcast<float[]> params, Broadcast<byte[]> optimizerState, int[][] batches,
            long round) {
        this.job = job;
        this.params = params;
        this.optimizerState = optimizerState;
        this.batches = batches;
        this.round = round;
    }

    @Override
    public LocalUpdate call(Block block) {
        TaskContext ctx = TaskContext.get();
        int partition = ctx == null ? 0 : ctx.partitionId();
        long t0 = System.nanoTime();
        Worker w = WorkerModels.borrow(job, Worker::new);
        Ops ops = w.ops;
        w.vector.writeParams(params.value());
        OptimizerState.fromBytes(w.optimizer, w.model, optimizerState.value(), "the driver's optimizer state");
        w.startTask(partition, round);
        double loss = 0;
        long trained = 0;
        for (int[] batch : batches) {
            int[] rows = Shard.rowsOf(block, batch);
            if (rows.length > 0) {
                try (ArrayScope step = ops.scope(); Batch b = Shard.upload(ops, block, rows)) {
                    Result<FloatArray, FloatArray> r = w.model.beginUpdate(b.floats(0));
                    LossResult<FloatArray> l = w.objective.apply(r.output(), b);
                    r.backprop().paramsOnly(l.grad());
                    w.model.finishUpdate(w.optimizer);
                    loss += l.loss() * w.scale.lossFactor(rows.length, batch.length);
                }
                trained += rows.length;
            }
            w.optimizer.stepSchedules();  // every worker stays at the driver's step, rows or not
        }
        LocalUpdate update = trained == 0 ? new LocalUpdate(partition, null, null, 0, 0, System.nanoTime() - t0)
                : new LocalUpdate(partition, w.vector.readParams(), OptimizerState.toBytes(w.optimizer, w.model), loss,
                        trained, System.nanoTime() - t0);
        TaskProbe.tell(round, partition, ctx == null ? 0 : ctx.attemptNumber());
        WorkerModels.release(job, w);  // not on failure: a worker that threw may hold half a round
        return update;
    }
}
