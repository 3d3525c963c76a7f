package dev.thinj.train;

import dev.thinj.model.Model;
import dev.thinj.model.ParamsScope;
import dev.thinj.model.Result;
import dev.thinj.model.losses.LossResult;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.model.serialize.ModelMismatchException;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ThinjException;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.SizedBatches;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.Split;
import dev.thinj.train.data.Task;
import dev.thinj.train.report.EpochEnd;
import dev.thinj.train.report.EpochMetrics;
import dev.thinj.train.report.MetricsFile;
import dev.thinj.train.report.TrainingListener;
import dev.thinj.train.report.TrainingPlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Thinc's training loop for a {@link TrainingPlan}: per epoch, shuffled batches (seeded by the run's
 * seed and the epoch, so a resumed run sees the same batches), {@code beginUpdate}, the loss gradient,
 * backprop, {@code finishUpdate}; then the dev scores under the optimizer's parameter averages
 * (dropout off). Everything else is a {@link TrainingListener}: the run folder's metrics file, plot,
 * best model and checkpoint come first, then the caller's (progress bar, epoch line).
 *
 * <p>The loop reads nothing from the backend inside a step: the loss is summed on the backend and
 * read every {@link #LOSS_READ_EVERY} steps, since on a GPU each read waits for the device.
 *
 * <p>Output folder: {@code state.json} + {@code checkpoint-N/} (resume), {@code model-best.bin},
 * {@code metrics.jsonl}, {@code training.png}, {@code config.cfg} and {@code dataset.json} (what
 * {@code thinj predict} and {@code evaluate} need to read inputs and name classes).
 */
public final class Trainer {
    /** Steps between reads of the summed loss (and at each epoch's end). */
    static final int LOSS_READ_EVERY = 16;

    private final TrainingPlan plan;
    private final Path out;
    private final List<TrainingListener> listeners = new ArrayList<>();

    /**
     * @param plan what to train
     * @param out the output folder (created if missing)
     * @param listeners told of the run after the folder's own listeners (a progress bar, an epoch line)
     */
    public Trainer(TrainingPlan plan, Path out, List<? extends TrainingListener> listeners) {
        this.plan = plan;
        this.out = out;
        this.listeners.add(new MetricsFile(out));
        this.listeners.add(new TrainingPlot(out, "thinj: loss and dev score"));
        this.listeners.add(new BestModel(out));
        this.listeners.add(new Checkpoints(out));
        this.listeners.addAll(listeners);
    }

    /**
     * @param resume continue from the folder's last checkpoint; with none there, start from epoch 1 and
     *     say so in one line
     * @return the last epoch's metrics (null if no epoch was left to run)
     */
    public EpochMetrics run(boolean resume) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new ModelFileException("Cannot create output folder " + out + ": " + e.getMessage(), e);
        }
        Model<FloatArray, FloatArray> model = plan.model();
        Ops ops = model.ops();
        Dataset data = plan.data();
        Split train = data.train();
        Split test = data.test();
        if (test.width() != train.width()) {
            throw new ThinjException(data.describe() + ": the test split has " + test.width() + " features per row,"
                    + " the training split " + train.width());
        }
        FloatArray trainX = ops.asArray(train.features(), train.count(), train.width());
        NdArray trainY = targets(ops, train);
        FloatArray testX = ops.asArray(test.features(), test.count(), test.width());
        initialize(model, trainX, train, data);

        Checkpoints.State state = resume ? resume(model) : null;
        // Only now: a resume refused for another model's checkpoint leaves the folder's files as they were.
        writeRunFiles(data, train);
        int firstEpoch = state == null ? 1 : state.epoch() + 1;
        long batchesDrawn = state == null ? 0 : state.batchesDrawn();
        double best = state == null ? Double.NEGATIVE_INFINITY : state.bestScore();
        try {
            listeners.forEach(l -> l.runStarted(firstEpoch, plan.epochs()));
            EpochMetrics last = null;
            for (int epoch = firstEpoch; epoch <= plan.epochs(); epoch++) {
                long offset = batchesDrawn;
                BatchSizes sizes = BatchSizes.schedule(step -> plan.batchSize().valueAt(offset + step));
                BatchOptions options = BatchOptions.defaults().shuffle(true).seed(plan.seed() * 1_000_003L + epoch)
                        .buffer(plan.buffer());
                SizedBatches<Batch> batches = batches(sizes, options, trainX, trainY);
                batchesDrawn += batches.size();
                int n = batches.size();
                for (TrainingListener l : listeners) {
                    l.epochStarted(epoch, n);
                }
                long t0 = System.nanoTime();
                double lossSum = trainEpoch(model, batches);
                long stepsEnded = System.nanoTime();
                double seconds = (stepsEnded - t0) / 1e9;
                Map<String, Double> scores;
                try (ParamsScope averaged = model.useParams(plan.optimizer().averages())) {
                    scores = DevScores.of(model, testX, test, data);
                }
                EpochMetrics metrics = new EpochMetrics(epoch, lossSum / Math.max(1, n), scores, seconds,
                        train.count() / seconds);
                plan.optimizer().setLastScore(batchesDrawn, metrics.score());
                boolean improved = metrics.score() > best;
                best = improved ? metrics.score() : best;
                EpochEnd end = new EpochEnd(metrics, plan.epochs(), improved, best, batchesDrawn, stepsEnded, model,
                        plan.optimizer());
                for (TrainingListener l : listeners) {
                    l.epochFinished(end);
                }
                last = metrics;
            }
            return last;
        } finally {
            listeners.forEach(TrainingListener::runEnded);
        }
    }

    /** @return the summed loss of the epoch's steps */
    private double trainEpoch(Model<FloatArray, FloatArray> model, SizedBatches<Batch> batches) {
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
                for (TrainingListener listener : listeners) {
                    listener.batchFinished(step, mean);
                }
            }
            return lossSum.item();
        }
    }

    /** @return the split's targets on the backend: class indices, or a (rows, width) float array */
    private static NdArray targets(Ops ops, Split split) {
        return split.isClassification() ? ops.asInts(split.labels())
                : ops.asArray(split.targets(), split.count(), split.targetWidth());
    }

    /** The config and what predict needs to know of the data, written beside the model. */
    private void writeRunFiles(Dataset data, Split train) {
        if (plan.config() != null) {
            try {
                plan.config().write(out.resolve(TrainedModel.CONFIG_FILE));
            } catch (RuntimeException e) {
                throw new ModelFileException("Cannot write " + out.resolve(TrainedModel.CONFIG_FILE) + ": "
                        + e.getMessage(), e);
            }
        }
        DatasetInfo.of(data).write(out.resolve(DatasetInfo.FILE));
    }

    /** @return the innermost last layer that sets the model's output width (a chain's last dense layer) */
    private static Model<?, ?> outputLayer(Model<?, ?> model) {
        Model<?, ?> m = model;
        while (!m.layers().isEmpty() && m.layers().get(m.layers().size() - 1).hasDim("nO")) {
            m = m.layers().get(m.layers().size() - 1);
        }
        return m;
    }

    /** @return {@code " of CONFIG"}, or nothing when the plan's config has no file */
    private String ofConfig() {
        return plan.config() == null || plan.config().source() == null ? "" : " of " + plan.config().source();
    }

    /** The epoch's batches; a schedule that reaches a size below 1 names [training] batch_size. */
    private SizedBatches<Batch> batches(BatchSizes sizes, BatchOptions options, FloatArray x, NdArray y) {
        try {
            return x.ops().multibatch(sizes, options, x, y);
        } catch (IllegalArgumentException e) {
            throw new ThinjException("[training] batch_size" + ofConfig() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Infers the widths the config left open from sample data. A width that does not fit the data
     * (an {@code nI} other than the features' width, an {@code nO} other than the classes or targets)
     * fails here: the layer and dim are named, and the config that set them.
     */
    private void initialize(Model<FloatArray, FloatArray> model, FloatArray trainX, Split train, Dataset data) {
        Ops ops = model.ops();
        int sample = Math.min(8, train.count());
        int outputs = data.task() == Task.CLASSIFY ? data.classes() : train.targetWidth();
        String where = "[model]" + ofConfig();
        try (ArrayScope temporaries = ops.scope()) {
            FloatArray y = data.task() == Task.CLASSIFY
                    ? ops.oneHot(ops.asInts(java.util.Arrays.copyOf(train.labels(), sample)), outputs, 0f)
                    : ops.asArray(java.util.Arrays.copyOf(train.targets(), sample * outputs), sample, outputs);
            model.initialize(ops.sliceRows(trainX, 0, sample), y);
        } catch (ThinjException e) {
            throw new ThinjException("the model does not fit the data: " + e.getMessage() + "; check the widths"
                    + " (nI, nO) in " + where, e);
        }
        if (model.hasDim("nO") && model.getDim("nO") != outputs) {
            // Caught later it would be the loss refusing a label, far from the layer that is too narrow.
            String what = data.task() == Task.CLASSIFY ? outputs + " classes" : outputs + " target value(s) per row";
            throw new ThinjException("the model's output width is " + model.getDim("nO") + " (nO of layer '"
                    + outputLayer(model).name() + "') but the data has " + what + "; set the output"
                    + " layer's nO to " + outputs + " in " + where + ", or leave it out to infer it");
        }
    }

    /** @return the folder's last checkpoint, loaded; or null (said in one line) when it holds none */
    private Checkpoints.State resume(Model<FloatArray, FloatArray> model) {
        Checkpoints.State state;
        try {
            state = new Checkpoints(out).load(model, plan.optimizer());
        } catch (ModelMismatchException e) {
            throw new ModelMismatchException(out + " holds a checkpoint of another model (" + e.getMessage()
                    + "); train into another --output, or leave out --resume to start over there", e);
        }
        if (state == null) {
            String notice = "thinj: no checkpoint in " + out + "; starting from epoch 1";
            listeners.forEach(l -> l.notice(notice));
        }
        return state;
    }
}
