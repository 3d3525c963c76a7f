package dev.thinj.benchmarks.nd4j;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the Fashion-MNIST MLP ({@link Mlp}) with DL4J: {@code MultiLayerNetwork.fit}
 * on one batch of 128 (forward, loss, backward, Adam), against {@code dev.thinj.benchmarks.TrainingStepBenchmark}
 * on the same batch (pixels uniform in [0, 1) and labels uniform over 10 classes from seed 0, made by
 * the same code). DL4J computes the loss value in every fit too (a (128, 10) reduction); thinj's step
 * computes only its gradient.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class Dl4jTrainingStepBenchmark {
    static final int BATCH = 128;

    private MultiLayerNetwork net;
    private DataSet batch;

    /** Builds the network and the batch. */
    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        net = Mlp.create(0);
        batch = makeBatch();
    }

    /** Frees the workspaces DL4J opened on this thread. */
    @TearDown(Level.Trial)
    public void tearDown() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    /** @return the network after one fit */
    @Benchmark
    public MultiLayerNetwork step() {
        net.fit(batch);
        return net;
    }

    /** @return the fixed batch: the same values as thinj's {@code TrainingStepBenchmark.Batch} */
    static DataSet makeBatch() {
        SplittableRandom r = new SplittableRandom(0);
        float[] pixels = new float[BATCH * Mlp.PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble();
        }
        float[] oneHot = new float[BATCH * Mlp.CLASSES];
        for (int i = 0; i < BATCH; i++) {
            oneHot[i * Mlp.CLASSES + r.nextInt(Mlp.CLASSES)] = 1f;
        }
        INDArray x = Nd4j.create(pixels, new long[] {BATCH, Mlp.PIXELS}, 'c');
        INDArray y = Nd4j.create(oneHot, new long[] {BATCH, Mlp.CLASSES}, 'c');
        return new DataSet(x, y);
    }
}
