package dev.thinj.spark;

import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.model.losses.LossResult;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.train.StepEngine;
import dev.thinj.train.TrainingPlan;
import dev.thinj.train.data.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Single-process training on the same global batches as {@code sync = "gradients"} over {@code P}
 * partitions, with each batch's gradient grouped as the partitions group it: the batch's rows in
 * partition {@code p}'s range of the training split ({@code [count * p / P, count * (p + 1) / P)}, in
 * batch order) form a shard; each shard's loss gradient is scaled by its share of the batch, backpropagated
 * into zeroed gradients and read; the shards' gradients are added along the partitions' binary tree and
 * the optimizer steps once. No Spark: the reference that shows what the distributed run adds to the
 * arithmetic (nothing, if they agree to the bit), apart from float summation order.
 */
final class ShardedSteps implements StepEngine {
    private final int partitions;
    private TrainingPlan plan;
    private Split train;
    private ParamVector vector;

    ShardedSteps(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public void start(TrainingPlan trainingPlan) {
        this.plan = trainingPlan;
        this.train = plan.data().train();
        this.vector = ParamVector.of(plan.model());
    }

    @Override
    public long rows() {
        return train.count();
    }

    @Override
    public EpochSteps epoch(int epoch, BatchSizes sizes, BatchOptions options) {
        // The batches a single process draws, as row numbers (as the Spark driver cuts them).
        Ops ops = plan.model().ops();
        List<int[]> batches = new ArrayList<>();
        try (IntArray index = ops.asInts(IntStream.range(0, train.count()).toArray())) {
            for (Batch b : ops.multibatch(sizes, options.buffer(1), index)) {
                try (b) {
                    batches.add(b.ints(0).toIntArray());
                }
            }
        }
        return new EpochSteps() {
            @Override
            public int size() {
                return batches.size();
            }

            @Override
            public double run(StepObserver afterStep) {
                double loss = 0;
                for (int s = 0; s < batches.size(); s++) {
                    loss += step(batches.get(s));
                    afterStep.stepFinished(s + 1, loss / (s + 1));
                }
                return loss;
            }
        };
    }

    private double step(int[] batch) {
        Model<FloatArray, FloatArray> model = plan.model();
        TreeSum sum = new TreeSum(partitions);
        for (int p = 0; p < partitions; p++) {
            long from = (long) train.count() * p / partitions;
            long to = (long) train.count() * (p + 1) / partitions;
            int[] rows = Arrays.stream(batch).filter(r -> r >= from && r < to).toArray();
            sum.add(p, rows.length == 0 ? new TreeSum.Part(null, null, 0, 0, 0) : shard(model, rows, batch.length));
        }
        TreeSum.Part total = sum.total();
        vector.writeGradients(total.values(), total.present());
        model.finishUpdate(plan.optimizer());
        plan.optimizer().stepSchedules();
        return total.loss();
    }

    private TreeSum.Part shard(Model<FloatArray, FloatArray> model, int[] rows, int batchRows) {
        Ops ops = model.ops();
        int w = train.width();
        float[] x = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(train.features(), rows[i] * w, x, i * w, w);
        }
        double loss;
        try (ArrayScope step = ops.scope(); Batch b = upload(ops, rows, x)) {
            Result<FloatArray, FloatArray> r = model.beginUpdate(b.floats(0));
            LossResult<FloatArray> l = plan.objective().apply(r.output(), b);
            FloatArray dY = l.grad();
            // A normalising loss divided by the shard's rows; the batch's gradient divides by all of them.
            ops.scaleInPlace(dY, (float) rows.length / batchRows);
            r.backprop().paramsOnly(dY);
            double share = (double) rows.length / batchRows;
            loss = l.loss() * share * share;
        }
        float[] grads = new float[vector.size()];
        boolean[] present = new boolean[vector.count()];
        vector.takeGradients(grads, present);
        return new TreeSum.Part(grads, present, loss, rows.length, 0);
    }

    /** @return the shard's rows as one batch (features, then labels or targets) */
    private Batch upload(Ops ops, int[] rows, float[] x) {
        NdArray y;
        if (train.isClassification()) {
            y = ops.asInts(Arrays.stream(rows).map(r -> train.labels()[r]).toArray());
        } else {
            int t = train.targetWidth();
            float[] ys = new float[rows.length * t];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(train.targets(), rows[i] * t, ys, i * t, t);
            }
            y = ops.asArray(ys, rows.length, t);
        }
        return ops.multibatch(BatchSizes.fixed(rows.length), BatchOptions.defaults(),
                ops.asArray(x, rows.length, train.width()), y).iterator().next();
    }
}
