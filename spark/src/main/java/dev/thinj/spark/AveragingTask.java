package dev.thinj.spark;

import dev.thinj.model.Result;
import dev.thinj.model.losses.LossResult;
import dev.thinj.model.optimizers.OptimizerState;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.Batch;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's part of a {@code sync = "averaging"} round, as {@code treeAggregate}'s sequence
 * operation: the driver's parameters and optimizer state loaded, then one local step per global batch
 * of the round on the partition's shard of it (the loss normalised by the shard, as any batch), with
 * this worker's own optimizer. It sends the parameters and optimizer state arrays it reached, weighted
 * by the rows it trained on, for the tree to sum and the driver to divide; the one partition the
 * driver names (the first that trains in the round) also sends its whole optimizer state, for the
 * layout, update counts and step. A pure function of the broadcast state, the partition and the round.
 */
final class AveragingTask implements Function2<TreeSum, Block, TreeSum> {
    private static final long serialVersionUID = 1L;

    private final JobSpec job;
    private final Broadcast<float[]> params;
    private final Broadcast<byte[]> optimizerState;
    private final int[][] batches;
    private final long round;
    private final int templatePartition;

    /**
     * @param job the run
     * @param params the driver's parameters
     * @param optimizerState the driver's optimizer state
     * @param batches the round's global batches, one local step each
     * @param round the round, unique in the run
     * @param templatePartition the partition that sends its whole optimizer state
     */
    AveragingTask(JobSpec job, Broadcast<float[]> params, Broadcast<byte[]> optimizerState, int[][] batches,
            long round, int templatePartition) {
        this.job = job;
        this.params = params;
        this.optimizerState = optimizerState;
        this.batches = batches;
        this.round = round;
        this.templatePartition = templatePartition;
    }

    @Override
    public TreeSum call(TreeSum sum, Block block) {
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
        TreeSum.Part part;
        if (trained == 0) {
            part = new TreeSum.Part(null, null, 0, 0, System.nanoTime() - t0);
        } else {
            float[] p = w.vector.readParams();
            float[] state = OptimizerState.stateArrays(w.optimizer, w.model);
            float[] weighted = new float[p.length + state.length];
            for (int i = 0; i < p.length; i++) {
                weighted[i] = trained * p[i];
            }
            for (int i = 0; i < state.length; i++) {
                weighted[p.length + i] = trained * state[i];
            }
            part = new TreeSum.Part(weighted, null, loss, trained, System.nanoTime() - t0,
                    partition == templatePartition ? OptimizerState.toBytes(w.optimizer, w.model) : null);
        }
        TaskProbe.tell(round, partition, ctx == null ? 0 : ctx.attemptNumber());
        WorkerModels.release(job, w);  // not on failure: a worker that threw may hold half a round
        return sum.add(partition, part);
    }
}
