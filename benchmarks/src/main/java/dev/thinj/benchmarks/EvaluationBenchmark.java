package dev.thinj.benchmarks;

import dev.thinj.model.Model;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.layers.WeightInit;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.train.Predictions;
import dev.thinj.train.RowChunks;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The evaluation {@code thinj train} runs after every epoch, alone: the Fashion-MNIST MLP
 * (784-512-512-10, dropout off) predicting the classes of 10,000 test rows through the train module's
 * own path ({@link RowChunks} cut once, {@link Predictions#classes} each time). Its products alone are
 * {@link GemmBenchmark}'s {@code eval1}/{@code eval2} shapes; the difference is the bias, ReLU, softmax
 * and argmax passes and the waits between the products' blocks. Compare it with the epoch line's
 * "evaluation and checkpoint" time to see what a run adds (the checkpoint writer on the same cores).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EvaluationBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmn96m"})
public class EvaluationBenchmark {
    static final int ROWS = 10_000;
    static final int PIXELS = 784;

    Model<FloatArray, FloatArray> model;
    /** The rows on the host, row-major. */
    float[] x;
    RowChunks rows;

    @Setup
    public void setup() {
        Ops ops = Ops.get("cpu");
        // Glorot weights in the output layer too (Thinc's Softmax starts from zeros, where every row's
        // class would be 0): the same work either way, but the classes then tell the rows apart.
        model = Chain.of(Relu.of(512, PIXELS, 0.2f, false), Relu.of(512, 512, 0.2f, false),
                Softmax.of(10, 512, WeightInit.GLOROT_UNIFORM, null, true, 1f));
        model.initialize();
        SplittableRandom random = new SplittableRandom(7);
        x = new float[ROWS * PIXELS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        rows = RowChunks.of(ops, x, ROWS, PIXELS);
    }

    @TearDown
    public void tearDown() {
        rows.close();
    }

    /** @return each row's class, so nothing can be eliminated */
    @Benchmark
    public int[] classes() {
        return Predictions.classes(model, rows);
    }
}
