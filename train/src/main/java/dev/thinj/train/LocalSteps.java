package dev.thinj.train;

import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.model.losses.LossResult;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ThinjException;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.SizedBatches;
import dev.thinj.train.data.Split;

/**
 * Thinc's loop on this process's backend: the training split uploaded once, then per epoch
 * {@code multibatch} and per step {@code beginUpdate}, the loss gradient, backprop,
 * {@code finishUpdate}. Nothing is read from the backend inside a step: the loss is summed on the
 * backend and read every {@link #LOSS_READ_EVERY} steps, since on a GPU each read waits for the device.
 */
final class LocalSteps implements StepEngine {
    /** Steps between reads of the summed loss (and at each epoch's end). */
    static final int LOSS_READ_EVERY = 16;

    private TrainingPlan plan;
    private FloatArray trainX;
    private NdArray trainY;

    @Override
    public void start(TrainingPlan trainingPlan) {
        this.plan = trainingPlan;
        Split train = plan.data().train();
        Ops ops = plan.model().ops();
        trainX = ops.asArray(train.features(), train.count(), train.width());
        trainY = train.isClassification() ? ops.asInts(train.labels())
                : ops.asArray(train.targets(), train.count(), train.targetWidth());
    }

    @Override
    public long rows() {
        return trainX.dim(0);
    }

    @Override
    public EpochSteps epoch(int epoch, BatchSizes sizes, BatchOptions options) {
        SizedBatches<Batch> batches;
        try {
            batches = trainX.ops().multibatch(sizes, options, trainX, trainY);
        } catch (IllegalArgumentException e) {
            // A schedule that reaches a size below 1 names [training] batch_size.
            throw new ThinjException("[training] batch_size" + Trainer.ofConfig(plan) + ": " + e.getMessage(), e);
        }
        return new EpochSteps() {
            @Override
            public int size() {
                return batches.size();
            }

            @Override
            public double run(StepObserver afterStep) {
                return trainEpoch(batches, afterStep);
            }
        };
    }

    /** @return the summed loss of the epoch's steps */
    private double trainEpoch(SizedBatches<Batch> batches, StepObserver afterStep) {
        Model<FloatArray, FloatArray> model = plan.model();
        Ops ops = model.ops();
        // The loss is summed where it is computed; reading it is a synchronisation on a GPU.
        try (FloatArray lossSum = ops.alloc(1)) {
            int step = 0;
            double mean = Double.NaN;
            for (Batch b : batches) {
                // The step's temporaries (activations, their gradients, the loss) and the batch itself
                // are freed when it ends, so the next step computes in the same memory.
                try (b; ArrayScope stepScope = ops.scope()) {
                    Result<FloatArray, FloatArray> r = model.beginUpdate(b.floats(0));
                    LossResult<FloatArray> l = plan.objective().apply(r.output(), b);
                    r.backprop().paramsOnly(l.grad());  // the batch's own gradient is nobody's
                    model.finishUpdate(plan.optimizer());
                    plan.optimizer().stepSchedules();
                    ops.addInPlace(lossSum, l.lossValue());
                }
                step++;
                if (step % LOSS_READ_EVERY == 0) {
                    mean = lossSum.item() / step;
                }
                afterStep.stepFinished(step, mean);
            }
            return lossSum.item();
        }
    }
}
