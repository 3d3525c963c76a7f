package dev.thinj.spark;

import dev.thinj.model.Model;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.optimizers.OptimizerState;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ThinjException;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.train.StepEngine;
import dev.thinj.train.TrainingPlan;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * The data-parallel {@link StepEngine}: the training rows spread over the cluster's partitions once
 * (kept there, {@link Block}s), the global batches drawn on the driver exactly as the single-process
 * loop draws them, and each round run as a Spark job.
 *
 * <p>{@code sync = "gradients"}: a round is one global batch. The driver broadcasts the parameters;
 * each partition computes the gradient of its shard (scaled to the global batch); {@code treeAggregate}
 * sums them along a fixed tree ({@link TreeSum}); the driver sets the sum as its model's gradient and
 * calls {@code finishUpdate} once. The result is single-process training on the same batches, up to
 * the order of float summation.
 *
 * <p>{@code sync = "averaging"}: a round is {@code steps_per_round} global batches; each partition
 * takes one local step per batch on its shard with its own copy of the optimizer; the same tree sums
 * the parameters and optimizer state arrays, weighted by the rows each partition trained on, and the
 * driver divides.
 */
final class SparkSteps implements StepEngine {
    private final JavaSparkContext jsc;
    private final DistributedSettings settings;
    private final String backend;
    private final RoundTimes times = new RoundTimes();
    private TrainingPlan plan;
    private JavaRDD<Block> blocks;
    private int partitions;
    private long rows;
    private JobSpec job;
    private ParamVector vector;
    private Broadcast<Block> dataBroadcast;
    /** Each partition's rows: {@code [first, end)} of the whole split, by partition. */
    private long[][] rowRanges;

    /**
     * @param jsc the Spark context
     * @param settings the run's distributed settings
     * @param backend the backend the executors should compute on
     */
    SparkSteps(JavaSparkContext jsc, DistributedSettings settings, String backend) {
        this.jsc = jsc;
        this.settings = settings;
        this.backend = backend;
    }

    /** @return the rounds' times since the last call, as one line */
    String takeTimes() {
        return times.takeSummary();
    }

    @Override
    public void start(TrainingPlan trainingPlan) {
        this.plan = trainingPlan;
        if (plan.config() == null) {
            throw new ThinjException("training on Spark rebuilds the model from its config on every executor; this"
                    + " plan has no config (resolve it with TrainingPlan.resolve)");
        }
        Dataset data = plan.data();
        int wanted = settings.partitions() > 0 ? settings.partitions() : jsc.defaultParallelism();
        if (data instanceof SparkDataset sd) {
            SparkDataset.Blocks b = sd.blocks(jsc, settings.partitions());
            blocks = b.rdd();
            rows = b.rows();
        } else {
            blocks = parallelize(data.train(), wanted);
            rows = data.train().count();
        }
        partitions = blocks.getNumPartitions();
        rowRanges = blocks.map(b -> new long[] {b.firstRow(), b.firstRow() + b.count()}).collect()
                .toArray(new long[0][]);
        job = new JobSpec(UUID.randomUUID().toString(), plan.config().toString(), plan.seed(), backend, data.task(),
                jsc.broadcast(ModelFile.toBytes(plan.model())));
        vector = ParamVector.of(plan.model());
    }

    /**
     * Spreads a split held by the driver over the cluster: one block per partition, kept by the
     * executors (memory, else disk) and cut from its lineage, so a round's tasks carry no data. The
     * rows travel once as a broadcast (in pieces, peer to peer), not inside the tasks: a task is a
     * single RPC message, which Spark caps (128 MB by default).
     */
    private JavaRDD<Block> parallelize(Split train, int wanted) {
        int p = Math.max(1, Math.min(wanted, train.count()));
        Broadcast<Block> all = jsc.broadcast(new Block(0, train.count(), train.width(), train.features(),
                train.labels(), train.targets(), train.targetWidth()));
        List<Integer> indices = IntStream.range(0, p).boxed().toList();
        JavaRDD<Block> kept = keep(jsc.parallelize(indices, p).map(i -> {
            Block whole = all.value();
            int from = (int) ((long) whole.count() * i / p);
            int to = (int) ((long) whole.count() * (i + 1) / p);
            return whole.slice(from, to);
        }));
        // The executors' copies go now; the kept blocks' tasks still name the broadcast (its handle is
        // serialised with them), so the driver's goes only when the run ends.
        all.unpersist(false);
        dataBroadcast = all;
        return kept;
    }

    /** Keeps an RDD's blocks on the executors and cuts its lineage, so tasks over it ship no data. */
    static JavaRDD<Block> keep(JavaRDD<Block> rdd) {
        JavaRDD<Block> kept = rdd.persist(StorageLevel.MEMORY_AND_DISK());
        kept.rdd().localCheckpoint();
        kept.count();
        return kept;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public EpochSteps epoch(int epoch, BatchSizes sizes, BatchOptions options) {
        List<int[]> batches = globalBatches(sizes, options);
        long firstRound = (long) epoch << 32;
        return new EpochSteps() {
            @Override
            public int size() {
                return batches.size();
            }

            @Override
            public double run(StepObserver afterStep) {
                return settings.sync() == DistributedSettings.Sync.GRADIENTS
                        ? gradientRounds(batches, firstRound, afterStep)
                        : averagingRounds(batches, firstRound, afterStep);
            }
        };
    }

    /** The epoch's batches as row indices: {@code multibatch} over the row numbers, so the same batches as a single process draws. */
    private List<int[]> globalBatches(BatchSizes sizes, BatchOptions options) {
        Ops ops = plan.model().ops();
        List<int[]> out = new ArrayList<>();
        try (IntArray index = ops.asInts(IntStream.range(0, Math.toIntExact(rows)).toArray())) {
            for (Batch b : ops.multibatch(sizes, options.buffer(1), index)) {
                try (b) {
                    out.add(b.ints(0).toIntArray());
                }
            }
        } catch (IllegalArgumentException e) {
            String source = plan.config().source();
            throw new ThinjException("[training] batch_size" + (source == null ? "" : " of " + source) + ": "
                    + e.getMessage(), e);
        }
        return out;
    }

    private double gradientRounds(List<int[]> batches, long firstRound, StepObserver afterStep) {
        Model<FloatArray, FloatArray> model = plan.model();
        Optimizer optimizer = plan.optimizer();
        double lossSum = 0;
        for (int r = 0; r < batches.size(); r++) {
            int[] batch = batches.get(r);
            long t0 = System.nanoTime();
            Broadcast<float[]> params = jsc.broadcast(vector.readParams());
            long t1 = System.nanoTime();
            TreeSum sum;
            try {
                sum = blocks.treeAggregate(new TreeSum(partitions),
                        new GradientTask(job, params, batch, firstRound + r), TreeSum::merge, 2);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {  // SparkException: checked in Java's eyes, though Scala declares nothing
                throw jobFailed(e, firstRound + r);
            } finally {
                params.destroy();
            }
            long t2 = System.nanoTime();
            TreeSum.Part total = sum.total();
            checkRows(total.rows(), batch.length, firstRound + r);
            vector.writeGradients(total.values(), total.present());
            model.finishUpdate(optimizer);
            optimizer.stepSchedules();
            long t3 = System.nanoTime();
            times.add(t3 - t0, total.computeNanos(), (t1 - t0) + (t3 - t2));
            lossSum += total.loss();
            afterStep.stepFinished(r + 1, lossSum / (r + 1));
        }
        return lossSum;
    }

    /**
     * A round's job failed after Spark's retries (an executor that cannot load thinj's classes, a task
     * that fails every time): one line with Spark's reason, not its stack trace.
     */
    private ThinjException jobFailed(Exception e, long round) {
        return new ThinjException("training on Spark " + settings.master() + " failed in epoch " + (round >>> 32)
                + ", round " + ((round & 0xFFFFFFFFL) + 1) + ": " + SparkSessions.reason(e)
                + "; the executors' logs have the rest", e);
    }

    private double averagingRounds(List<int[]> batches, long firstRound, StepObserver afterStep) {
        Model<FloatArray, FloatArray> model = plan.model();
        Optimizer optimizer = plan.optimizer();
        int k = settings.stepsPerRound();
        double lossSum = 0;
        for (int first = 0; first < batches.size(); first += k) {
            int[][] round = batches.subList(first, Math.min(batches.size(), first + k)).toArray(new int[0][]);
            long roundId = firstRound + first / k;
            long t0 = System.nanoTime();
            Broadcast<float[]> params = jsc.broadcast(vector.readParams());
            Broadcast<byte[]> state = jsc.broadcast(OptimizerState.toBytes(optimizer, model));
            long t1 = System.nanoTime();
            TreeSum sum;
            try {
                sum = blocks.treeAggregate(new TreeSum(partitions),
                        new AveragingTask(job, params, state, round, roundId, firstTraining(round)), TreeSum::merge, 2);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw jobFailed(e, roundId);
            } finally {
                params.destroy();
                state.destroy();
            }
            long t2 = System.nanoTime();
            TreeSum.Part total = sum.total();
            checkRows(total.rows(), java.util.Arrays.stream(round).mapToLong(b -> b.length).sum(), roundId);
            // The first training partition's state gives the layout, update counts and step; the means
            // replace its arrays.
            if (total.template() == null) {
                throw new IllegalStateException("round " + roundId + ": no partition sent its optimizer state");
            }
            OptimizerState.fromBytes(optimizer, model, total.template(), "the workers' optimizer state of round "
                    + roundId);
            float[] sums = total.values();
            float[] mean = new float[sums.length];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) ((double) sums[i] / total.rows());
            }
            int n = vector.size();
            vector.writeParams(java.util.Arrays.copyOfRange(mean, 0, n));
            OptimizerState.setStateArrays(optimizer, model, java.util.Arrays.copyOfRange(mean, n, mean.length));
            long t3 = System.nanoTime();
            times.add(t3 - t0, total.computeNanos(), (t1 - t0) + (t3 - t2));
            lossSum += total.loss();
            int done = first + round.length;
            afterStep.stepFinished(done, lossSum / done);
        }
        return lossSum;
    }

    /** @return the lowest partition that holds a row of the batches: the one whose whole state the driver reads */
    private int firstTraining(int[][] batches) {
        for (int p = 0; p < rowRanges.length; p++) {
            for (int[] batch : batches) {
                for (int row : batch) {
                    if (row >= rowRanges[p][0] && row < rowRanges[p][1]) {
                        return p;
                    }
                }
            }
        }
        return 0;
    }

    /** A round must have trained on every row of its batches: anything else is a partition lost on the way. */
    private static void checkRows(long trained, long expected, long round) {
        if (trained != expected) {
            throw new ThinjException("round " + round + " trained on " + trained + " rows of its " + expected
                    + ": the partitions do not hold the training split's rows exactly once");
        }
    }

    @Override
    public void finish() {
        if (blocks != null) {
            blocks.unpersist(false);
            blocks = null;
        }
        if (job != null) {
            job.initialModel().destroy();
            job = null;
        }
        if (dataBroadcast != null) {
            dataBroadcast.destroy();
            dataBroadcast = null;
        }
    }
}
