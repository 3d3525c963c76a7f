package dev.thinj.spark;

import dev.thinj.model.Result;
import dev.thinj.model.losses.LossResult;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.Batch;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's part of a {@code sync = "gradients"} round, as {@code treeAggregate}'s sequence
 * operation: the driver's parameters loaded, {@code beginUpdate}, the loss gradient scaled to the
 * global batch ({@link ShardScale}), backprop, and the gradients read and zeroed. A pure function of
 * the broadcast parameters, the partition and the round.
 */
final class GradientTask implements Function2<TreeSum, Block, TreeSum> {
    private static final long serialVersionUID = 1L;

    private final JobSpec job;
    private final Broadcast<float[]> params;
    private final int[] batch;
    private final long round;

    /**
     * @param job the run
     * @param params the driver's parameters, as a {@link ParamVector}
     * @param batch the round's global batch (row indices of the whole training split)
     * @param round the round, unique in the run
     */
    GradientTask(JobSpec job, Broadcast<float[]> params, int[] batch, long round) {
        this.job = job;
        this.params = params;
        this.batch = batch;
        this.round = round;
    }

    @Override
    public TreeSum call(TreeSum sum, Block block) {
        TaskContext ctx = TaskContext.get();
        int partition = ctx == null ? 0 : ctx.partitionId();
        long t0 = System.nanoTime();
        int[] rows = Shard.rowsOf(block, batch);
        if (rows.length == 0) {
            TaskProbe.tell(round, partition, ctx == null ? 0 : ctx.attemptNumber());
            return sum.add(partition, new TreeSum.Part(null, null, 0, 0, System.nanoTime() - t0));
        }
        Worker w = WorkerModels.borrow(job, Worker::new);
        TreeSum.Part part = compute(w, block, rows, partition);
        TaskProbe.tell(round, partition, ctx == null ? 0 : ctx.attemptNumber());
        WorkerModels.release(job, w);  // not on failure: a worker that threw may hold half a step
        return sum.add(partition, new TreeSum.Part(part.values(), part.present(), part.loss(), part.rows(),
                System.nanoTime() - t0));
    }

    private TreeSum.Part compute(Worker w, Block block, int[] rows, int partition) {
        Ops ops = w.ops;
        w.vector.writeParams(params.value());
        w.startTask(partition, round);
        double loss;
        try (ArrayScope step = ops.scope(); Batch b = Shard.upload(ops, block, rows)) {
            Result<FloatArray, FloatArray> r = w.model.beginUpdate(b.floats(0));
            LossResult<FloatArray> l = w.objective.apply(r.output(), b);
            FloatArray dY = l.grad();
            ops.scaleInPlace(dY, w.scale.gradFactor(rows.length, batch.length));
            r.backprop().paramsOnly(dY);
            loss = l.loss() * w.scale.lossFactor(rows.length, batch.length);
        }
        float[] grads = new float[w.vector.size()];
        boolean[] present = new boolean[w.vector.count()];
        w.vector.takeGradients(grads, present);
        return new TreeSum.Part(grads, present, loss, rows.length, 0);
    }
}
