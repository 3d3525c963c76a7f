package dev.thinj.train;

import dev.thinj.model.Model;
import dev.thinj.model.ParamsScope;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.model.serialize.ModelMismatchException;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ThinjException;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
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
 * <p>The steps themselves are a {@link StepEngine}'s: {@link StepEngine#local()} on this process's
 * backend (reading nothing from it inside a step), or the Spark module's data-parallel engine; the
 * loop around them, its files and its listeners are the same for both.
 *
 * <p>Output folder: {@code state.json} + {@code checkpoint-N/} (resume), {@code model-best.bin},
 * {@code metrics.jsonl}, {@code training.png}, {@code config.cfg} and {@code dataset.json} (what
 * {@code thinj predict} and {@code evaluate} need to read inputs and name classes).
 */
public final class Trainer {
    /** Rows of the training split the model's open widths are inferred from. */
    static final int INIT_SAMPLE = 8;

    private final TrainingPlan plan;
    private final Path out;
    private final StepEngine engine;
    private final List<TrainingListener> listeners = new ArrayList<>();

    /**
     * @param plan what to train
     * @param out the output folder (created if missing)
     * @param listeners told of the run after the folder's own listeners (a progress bar, an epoch line)
     */
    public Trainer(TrainingPlan plan, Path out, List<? extends TrainingListener> listeners) {
        this(plan, out, listeners, StepEngine.local());
    }

    /**
     * @param plan what to train
     * @param out the output folder (created if missing)
     * @param listeners told of the run after the folder's own listeners (a progress bar, an epoch line)
     * @param engine runs the epochs' steps: {@link StepEngine#local()}, or one spread over a cluster
     */
    public Trainer(TrainingPlan plan, Path out, List<? extends TrainingListener> listeners, StepEngine engine) {
        this.plan = plan;
        this.out = out;
        this.engine = engine;
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
        Dataset data = plan.data();
        // What the run needs of the training split on this machine: its first rows (a dataset spread
        // over a cluster reads no more here).
        Split head = data.trainHead(INIT_SAMPLE);
        Split test = data.test();
        if (test.width() != head.width()) {
            throw new ThinjException(data.describe() + ": the test split has " + test.width() + " features per row,"
                    + " the training split " + head.width());
        }
        initialize(model, head, data);

        Checkpoints.State state = resume ? resume(model) : null;
        // Only now: a resume refused for another model's checkpoint leaves the folder's files as they were.
        writeRunFiles(data, head);
        int firstEpoch = state == null ? 1 : state.epoch() + 1;
        long batchesDrawn = state == null ? 0 : state.batchesDrawn();
        double best = state == null ? Double.NEGATIVE_INFINITY : state.bestScore();
        RowChunks testX = null;
        try {
            listeners.forEach(l -> l.runStarted(firstEpoch, plan.epochs()));
            EpochMetrics last = null;
            if (firstEpoch <= plan.epochs()) {
                engine.start(plan);
                testX = RowChunks.of(model.ops(), test.features(), test.count(), test.width());
            }
            for (int epoch = firstEpoch; epoch <= plan.epochs(); epoch++) {
                long offset = batchesDrawn;
                BatchSizes sizes = BatchSizes.schedule(step -> plan.batchSize().valueAt(offset + step));
                BatchOptions options = BatchOptions.defaults().shuffle(true).seed(plan.seed() * 1_000_003L + epoch)
                        .buffer(plan.buffer());
                StepEngine.EpochSteps steps = engine.epoch(epoch, sizes, options);
                int n = steps.size();
                batchesDrawn += n;
                for (TrainingListener l : listeners) {
                    l.epochStarted(epoch, n);
                }
                long t0 = System.nanoTime();
                double lossSum = steps.run((step, mean) -> {
                    for (TrainingListener listener : listeners) {
                        listener.batchFinished(step, mean);
                    }
                });
                long stepsEnded = System.nanoTime();
                double seconds = (stepsEnded - t0) / 1e9;
                for (TrainingListener l : listeners) {
                    l.stepsFinished(epoch, model, plan.optimizer());
                }
                Map<String, Double> scores;
                try (ParamsScope averaged = model.useParams(plan.optimizer().averages())) {
                    scores = DevScores.of(model, testX, test, data);
                }
                EpochMetrics metrics = new EpochMetrics(epoch, lossSum / Math.max(1, n), scores, seconds,
                        engine.rows() / seconds);
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
            try {
                engine.finish();
            } finally {
                try {
                    listeners.forEach(TrainingListener::runEnded);
                } finally {
                    if (testX != null) {
                        testX.close();
                    }
                }
            }
        }
    }

    /** The config and what predict needs to know of the data, written beside the model. */
    private void writeRunFiles(Dataset data, Split head) {
        if (plan.config() != null) {
            try {
                plan.config().write(out.resolve(TrainedModel.CONFIG_FILE));
            } catch (RuntimeException e) {
                throw new ModelFileException("Cannot write " + out.resolve(TrainedModel.CONFIG_FILE) + ": "
                        + e.getMessage(), e);
            }
        }
        new DatasetInfo(data.task(), head.width(), data.classNames(), head.targetWidth(), data.featureNames())
                .write(out.resolve(DatasetInfo.FILE));
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
    static String ofConfig(TrainingPlan plan) {
        return plan.config() == null || plan.config().source() == null ? "" : " of " + plan.config().source();
    }

    /**
     * Infers the widths the config left open from sample data. A width that does not fit the data
     * (an {@code nI} other than the features' width, an {@code nO} other than the classes or targets)
     * fails here: the layer and dim are named, and the config that set them.
     */
    private void initialize(Model<FloatArray, FloatArray> model, Split train, Dataset data) {
        Ops ops = model.ops();
        int sample = Math.min(INIT_SAMPLE, train.count());
        int outputs = data.task() == Task.CLASSIFY ? data.classes() : train.targetWidth();
        String where = "[model]" + ofConfig(plan);
        try (ArrayScope temporaries = ops.scope()) {
            FloatArray y = data.task() == Task.CLASSIFY
                    ? ops.oneHot(ops.asInts(java.util.Arrays.copyOf(train.labels(), sample)), outputs, 0f)
                    : ops.asArray(java.util.Arrays.copyOf(train.targets(), sample * outputs), sample, outputs);
            FloatArray x = ops.asArray(java.util.Arrays.copyOf(train.features(), sample * train.width()), sample,
                    train.width());
            model.initialize(x, y);
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
