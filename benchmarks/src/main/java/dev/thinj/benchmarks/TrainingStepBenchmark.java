package dev.thinj.benchmarks;

import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.losses.Truths;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.optimizers.Adam;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * One whole training step of the Fashion-MNIST MLP through the model layer, as {@code thinj train}
 * runs it: 784-512-512-10, Relu with dropout 0.2 after each hidden layer, softmax, categorical
 * cross-entropy's gradient, backward, Adam 0.001 (beta1 0.9, beta2 0.999, eps 1e-8), on one batch of
 * 128. The thinj half of the step against DL4J:
 * {@code dev.thinj.benchmarks.nd4j.Dl4jTrainingStepBenchmark} (module {@code benchmarks-nd4j}) fits a
 * {@code MultiLayerNetwork} of the same shape and hyperparameters on the same batch.
 *
 * <p>The batch is fixed (pixels uniform in [0, 1), labels uniform over 10 classes, both from seed 0,
 * made by the same code on both sides), so the time is the step alone, without the data pipeline;
 * {@link MlpStepBenchmark} is the same step written straight against the kernels, the floor under
 * this one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class TrainingStepBenchmark {
    static final int BATCH = 128;
    static final int PIXELS = 784;
    static final int CLASSES = 10;

    /** The thinj backend: {@code cpu}, or {@code cuda} on a GPU host. */
    @Param({"cpu"})
    public String backend;

    private Ops ops;
    private Model<FloatArray, FloatArray> model;
    private Optimizer optimizer;
    private final CategoricalCrossentropy loss = new CategoricalCrossentropy();
    private FloatArray x;
    private IntArray labels;

    /** Builds the model on the backend and the batch. */
    @Setup(Level.Trial)
    public void setUp() {
        ops = Ops.get(backend);
        Batch b = Batch.make();
        try (OpsScope use = Ops.use(ops)) {
            x = ops.asArray(b.pixels(), BATCH, PIXELS);
            labels = ops.asInts(b.labels());
            model = Chain.of(Relu.of(512, 0.2f), Relu.of(512, 0.2f), Softmax.of());
            try (FloatArray y = ops.oneHot(labels, CLASSES, 0f)) {
                model.initialize(x, y);
            }
            optimizer = Adam.of(0.001);
        }
    }

    /** Releases the batch. */
    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
        labels.close();
    }

    /** @return one output, read after the step (a synchronisation on a GPU backend) */
    @Benchmark
    public float step() {
        try (OpsScope use = Ops.use(ops); ArrayScope step = ops.scope()) {
            Result<FloatArray, FloatArray> result = model.beginUpdate(x);
            result.backprop().paramsOnly(loss.getGrad(result.output(), Truths.of(labels)));
            model.finishUpdate(optimizer);
            optimizer.stepSchedules();
            return result.output().get(0, 0);
        }
    }

    /**
     * The fixed batch.
     *
     * @param pixels (128, 784) uniform in [0, 1)
     * @param labels 128 classes in [0, 10)
     */
    record Batch(float[] pixels, int[] labels) {
        static Batch make() {
            SplittableRandom r = new SplittableRandom(0);
            float[] pixels = new float[BATCH * PIXELS];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) r.nextDouble();
            }
            int[] labels = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = r.nextInt(CLASSES);
            }
            return new Batch(pixels, labels);
        }
    }
}
