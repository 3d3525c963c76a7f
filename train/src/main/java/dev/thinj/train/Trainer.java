package dev.thinj.train;

import dev.thinj.model.Model;
import dev.thinj.model.ParamsScope;
import dev.thinj.model.Result;
import dev.thinj.model.losses.LossResult;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.model.serialize.ModelMismatchException;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ThinjException;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.SizedBatches;
import dev.thinj.train.data.Split;
import dev.thinj.train.report.EpochMetrics;
import dev.thinj.train.report.MetricsLog;
import dev.thinj.train.report.MetricsPlot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Thinc's training loop for a {@link TrainingPlan}: per epoch, shuffled batches (seeded by the run's
 * seed and the epoch, so a resumed run sees the same batches), {@code beginUpdate}, the loss gradient,
 * backprop, {@code finishUpdate}; then evaluation on the test split under the optimizer's parameter
 * averages (dropout off), a checkpoint, the metrics line, the plot, and the best model.
 *
 * <p>Output folder: {@code state.json} + {@code checkpoint-N/} (resume), {@code model-best.bin},
 * {@code metrics.jsonl}, {@code training.png}.
 */
public final class Trainer {
    private final TrainingPlan plan;
    private final Path out;
    private final PrintWriter log;
    private final Function<SizedBatches<Batch>, Iterable<Batch>> progress;
    private java.util.function.DoubleConsumer lossListener = loss -> { };

    /**
     * @param plan what to train
     * @param out the output folder (created if missing)
     * @param log where epoch lines go
     * @param progress wraps each epoch's batches (a progress bar, or the identity)
     */
    public Trainer(TrainingPlan plan, Path out, PrintWriter log, Function<SizedBatches<Batch>, Iterable<Batch>> progress) {
        this.plan = plan;
        this.out = out;
        this.log = log;
        this.progress = progress;
    }

    /**
     * @param listener told the epoch's running mean loss after every batch (a progress bar shows it)
     * @return this trainer
     */
    public Trainer onBatchLoss(java.util.function.DoubleConsumer listener) {
        this.lossListener = listener;
        return this;
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
        Split train = plan.data().train();
        Split test = plan.data().test();
        FloatArray trainX = ops.asArray(train.features(), train.count(), train.width());
        IntArray trainY = ops.asInts(train.labels());
        FloatArray testX = ops.asArray(test.features(), test.count(), test.width());
        initialize(model, ops.sliceRows(trainX, 0, Math.min(8, train.count())),
                ops.oneHot(ops.sliceRows(trainY, 0, Math.min(8, train.count())), plan.data().classes(), 0f));

        Checkpoints checkpoints = new Checkpoints(out);
        Checkpoints.State state = resume ? resume(checkpoints, model) : null;
        // Only now: a resume refused for another model's checkpoint leaves the folder's config as it was.
        if (plan.config() != null) {
            try {
                plan.config().write(out.resolve(TrainedModel.CONFIG_FILE));
            } catch (RuntimeException e) {
                throw new ModelFileException("Cannot write " + out.resolve(TrainedModel.CONFIG_FILE) + ": " + e.getMessage(), e);
            }
        }
        int startEpoch = state == null ? 0 : state.epoch();
        long batchesDrawn = state == null ? 0 : state.batchesDrawn();
        double best = state == null ? -1 : state.bestAccuracy();
        Path metricsFile = out.resolve("metrics.jsonl");
        List<EpochMetrics> history = new ArrayList<>(MetricsLog.read(metricsFile));
        history.removeIf(m -> m.epoch() > startEpoch);
        MetricsLog.rewrite(metricsFile, history);
        if (state != null) {
            log.printf(Locale.ROOT, "resuming after epoch %d from %s%n", startEpoch, out);
        }

        EpochMetrics last = null;
        for (int epoch = startEpoch + 1; epoch <= plan.epochs(); epoch++) {
            long offset = batchesDrawn;
            BatchSizes sizes = BatchSizes.schedule(step -> plan.batchSize().valueAt(offset + step));
            BatchOptions options = BatchOptions.defaults().shuffle(true).seed(plan.seed() * 1_000_003L + epoch)
                    .buffer(plan.buffer());
            SizedBatches<Batch> batches = batches(sizes, options, trainX, trainY);
            batchesDrawn += batches.size();
            long t0 = System.nanoTime();
            double lossSum = 0;
            int rows = 0;
            int seen = 0;
            for (Batch b : progress.apply(batches)) {
                // The step's temporaries (activations, their gradients, the loss) and the batch itself
                // are freed when it ends, so the next step computes in the same memory.
                try (b; ArrayScope step = ops.scope()) {
                    FloatArray x = b.floats(0);
                    Result<FloatArray, FloatArray> r = model.beginUpdate(x);
                    LossResult<FloatArray> l = plan.loss().apply(r.output(), b.ints(1));
                    r.backprop().paramsOnly(l.grad());  // the batch's own gradient is nobody's
                    model.finishUpdate(plan.optimizer());
                    plan.optimizer().stepSchedules();
                    lossSum += l.loss();
                    rows += x.dim(0);
                }
                lossListener.accept(lossSum / ++seen);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double accuracy = evaluate(model, testX, test.labels());
            plan.optimizer().setLastScore(batchesDrawn, accuracy);
            last = new EpochMetrics(epoch, lossSum / Math.max(1, batches.size()), accuracy, seconds, rows / seconds);
            history.add(last);
            MetricsLog.append(metricsFile, last);
            MetricsPlot.write(history, "thinj: loss and dev accuracy", out.resolve("training.png"));
            if (accuracy > best) {
                best = accuracy;
                try (ParamsScope averaged = model.useParams(plan.optimizer().averages())) {
                    ModelFile.save(model, out.resolve("model-best.bin"));
                }
            }
            checkpoints.save(model, plan.optimizer(), new Checkpoints.State(epoch, batchesDrawn, best));
            double rest = (System.nanoTime() - t0) / 1e9 - seconds;
            log.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  dev accuracy %.4f  %.2f s  %.0f samples/s"
                    + "  (+%.2f s evaluation and checkpoint)%n", epoch, plan.epochs(), last.loss(), accuracy, seconds,
                    last.samplesPerSecond(), rest);
            log.flush();
        }
        return last;
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
    private SizedBatches<Batch> batches(BatchSizes sizes, BatchOptions options, FloatArray x, IntArray y) {
        try {
            return x.ops().multibatch(sizes, options, x, y);
        } catch (IllegalArgumentException e) {
            throw new ThinjException("[training] batch_size" + ofConfig() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Infers the widths the config left open from sample data. A width that does not fit the data
     * (an {@code nI} other than the images' 784) fails here: the layer and dim are named, and the
     * config that set them.
     */
    private void initialize(Model<FloatArray, FloatArray> model, FloatArray x, FloatArray y) {
        String where = "[model]" + ofConfig();
        try {
            model.initialize(x, y);
        } catch (ThinjException e) {
            throw new ThinjException("the model does not fit the data: " + e.getMessage() + "; check the widths"
                    + " (nI, nO) in " + where, e);
        }
        if (model.hasDim("nO") && model.getDim("nO") != y.dim(1)) {
            // Caught later it would be the loss refusing a label, far from the layer that is too narrow.
            throw new ThinjException("the model's output width is " + model.getDim("nO") + " (nO of layer '"
                    + outputLayer(model).name() + "') but the data has " + y.dim(1) + " classes; set the output"
                    + " layer's nO to " + y.dim(1) + " in " + where + ", or leave it out to infer it");
        }
    }

    /** @return the folder's last checkpoint, loaded; or null (said in one line) when it holds none */
    private Checkpoints.State resume(Checkpoints checkpoints, Model<FloatArray, FloatArray> model) {
        Checkpoints.State state;
        try {
            state = checkpoints.load(model, plan.optimizer());
        } catch (ModelMismatchException e) {
            throw new ModelMismatchException(out + " holds a checkpoint of another model (" + e.getMessage()
                    + "); train into another --output, or leave out --resume to start over there", e);
        }
        if (state == null) {
            log.printf(Locale.ROOT, "thinj: no checkpoint in %s; starting from epoch 1%n", out);
        }
        return state;
    }

    /** Accuracy with the optimizer's averaged parameters swapped in, in prediction mode (dropout off). */
    private double evaluate(Model<FloatArray, FloatArray> model, FloatArray x, int[] labels) {
        try (ParamsScope averaged = model.useParams(plan.optimizer().averages());
                ArrayScope temporaries = model.ops().scope()) {
            int[] guesses = model.ops().argmax(model.predict(x)).toIntArray();
            int correct = 0;
            for (int i = 0; i < guesses.length; i++) {
                correct += guesses[i] == labels[i] ? 1 : 0;
            }
            return (double) correct / Math.max(1, guesses.length);
        }
    }
}
