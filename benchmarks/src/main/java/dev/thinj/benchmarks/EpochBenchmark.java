package dev.thinj.benchmarks;

import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.losses.Truths;
import dev.thinj.model.optimizers.Adam;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchIterator;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.BatchSlot;
import dev.thinj.ops.batching.BatchSource;
import dev.thinj.ops.batching.Rows;
import dev.thinj.ops.batching.SizedBatches;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One training epoch of the Fashion-MNIST-shaped MLP (784-512-512-10, Relu with dropout 0.2, softmax,
 * categorical cross-entropy, Adam 0.001, batch 128) over 60,000 host rows, fed by
 * {@code ops.minibatch} with {@code buffer} 1, 2, 4 and 8. Each batch is real work for the data side:
 * a shuffled gather of 128 rows from the 188 MB host array into a backend array, plus its labels;
 * {@code perBatchCostMicros} adds an artificial cost per batch (decoding, augmentation, reading),
 * spent on whichever thread makes the batch: {@code sleep} models waiting on I/O, {@code spin} a CPU
 * cost that competes with the step for cores.
 *
 * <p>One benchmark operation is one epoch (469 steps). Besides the epoch time, every measured epoch
 * records the consumer's time inside {@code next()} ({@link BatchIterator#waitNanos()}); the trial's
 * tear-down prints the mean waiting fraction of the epoch as a line starting {@code # wait}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EpochBenchmark -f 1 -wi 2 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class EpochBenchmark {
    private static final int ROWS = 60_000;
    private static final int PIXELS = 784;
    private static final int CLASSES = 10;
    private static final int BATCH = 128;

    @Param({"1", "2", "4", "8"})
    public int buffer;

    @Param({"0", "2000"})
    public int perBatchCostMicros;

    /** {@code sleep}: the cost is waiting (I/O); {@code spin}: the cost burns a core. */
    @Param({"sleep"})
    public String costKind;

    private Ops ops;
    private Model<FloatArray, FloatArray> model;
    private Optimizer optimizer;
    private final CategoricalCrossentropy loss = new CategoricalCrossentropy();
    private SizedBatches<Batch> batches;
    private long waitNanos;
    private long epochNanos;
    private int epochs;
    private boolean measuring;

    @Setup(Level.Trial)
    public void setup() {
        ops = Ops.get("cpu");
        SyntheticImages data = SyntheticImages.make(ROWS, 0);
        model = Chain.of(Relu.of(512, 0.2f), Relu.of(512, 0.2f), Softmax.of());
        try (FloatArray x = ops.asArray(Arrays.copyOf(data.pixels, BATCH * PIXELS), BATCH, PIXELS);
                IntArray y = ops.asInts(Arrays.copyOf(data.labels, BATCH))) {
            model.initialize(x, ops.oneHot(y, CLASSES, 0f));
        }
        optimizer = Adam.of(0.001);
        BatchSource<Batch> source = BatchSource.together(BatchSource.of(data.pixels, ROWS, PIXELS), data.labels);
        BatchSource<Batch> costly = new Costly(source, TimeUnit.MICROSECONDS.toNanos(perBatchCostMicros),
                "spin".equals(costKind));
        batches = ops.minibatch(BatchSizes.fixed(BATCH), costly,
                BatchOptions.defaults().shuffle(true).seed(0).buffer(buffer));
    }

    @Benchmark
    public float epoch() {
        long start = System.nanoTime();
        float last = 0;
        try (BatchIterator<Batch> it = batches.iterator()) {
            while (it.hasNext()) {
                // As thinj train's loop: the step's temporaries and the batch are freed when it ends.
                try (Batch b = it.next(); ArrayScope step = ops.scope()) {
                    Result<FloatArray, FloatArray> result = model.beginUpdate(b.floats(0));
                    result.backprop().paramsOnly(loss.getGrad(result.output(), Truths.of(b.ints(1))));
                    model.finishUpdate(optimizer);
                    optimizer.stepSchedules();
                    last = result.output().get(0, 0);
                }
            }
            if (measuring) {
                waitNanos += it.waitNanos();
            }
        }
        if (measuring) {
            epochNanos += System.nanoTime() - start;
            epochs++;
        }
        return last;
    }

    /**
     * Only measured epochs count towards the waiting fraction.
     *
     * @param iteration JMH's description of the coming iteration
     */
    @Setup(Level.Iteration)
    public void beforeIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void report() {
        int measured = Math.max(1, epochs);
        System.out.printf(Locale.ROOT,
                "%n# wait buffer=%d cost=%dus %s: consumer waited %.2f%% of the epoch (%.3f s of %.3f s per epoch, %d epochs)%n",
                buffer, perBatchCostMicros, costKind, 100.0 * waitNanos / Math.max(1, epochNanos),
                waitNanos / 1e9 / measured, epochNanos / 1e9 / measured, measured);
    }

    /** Adds a fixed cost to every batch, on the thread that makes it. */
    private static final class Costly implements BatchSource<Batch> {
        private final BatchSource<Batch> inner;
        private final long costNanos;
        private final boolean spin;

        Costly(BatchSource<Batch> inner, long costNanos, boolean spin) {
            this.inner = inner;
            this.costNanos = costNanos;
            this.spin = spin;
        }

        @Override
        public int length() {
            return inner.length();
        }

        @Override
        public Batch batch(BatchSlot slot, Rows rows) {
            long until = System.nanoTime() + costNanos;
            for (long left = costNanos; left > 0; left = until - System.nanoTime()) {
                if (spin) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(left);
                }
            }
            return inner.batch(slot, rows);
        }
    }

    /**
     * Images that look like Fashion-MNIST to the model: ten class prototypes (blurred random blobs in
     * [0, 1]) under per-image contrast and pixel noise, so an epoch does learn something.
     */
    static final class SyntheticImages {
        final float[] pixels;
        final int[] labels;

        private SyntheticImages(float[] pixels, int[] labels) {
            this.pixels = pixels;
            this.labels = labels;
        }

        static SyntheticImages make(int rows, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            float[][] prototypes = new float[CLASSES][PIXELS];
            for (float[] p : prototypes) {
                for (int blob = 0; blob < 6; blob++) {
                    int cy = 4 + r.nextInt(20);
                    int cx = 4 + r.nextInt(20);
                    double radius = 2 + r.nextDouble() * 5;
                    for (int y = 0; y < 28; y++) {
                        for (int x = 0; x < 28; x++) {
                            double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                            p[y * 28 + x] += (float) Math.exp(-d2 / (2 * radius * radius));
                        }
                    }
                }
            }
            float[] pixels = new float[rows * PIXELS];
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                int label = r.nextInt(CLASSES);
                labels[i] = label;
                float contrast = 0.6f + 0.6f * (float) r.nextDouble();
                float[] p = prototypes[label];
                int base = i * PIXELS;
                for (int j = 0; j < PIXELS; j++) {
                    float v = p[j] * contrast + 0.15f * ((float) r.nextDouble() - 0.5f);
                    pixels[base + j] = Math.min(1f, Math.max(0f, v));
                }
            }
            return new SyntheticImages(pixels, labels);
        }
    }
}
