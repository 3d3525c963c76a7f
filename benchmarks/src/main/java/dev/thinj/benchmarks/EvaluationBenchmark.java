package dev.thinj.benchmarks;

import dev.thinj.model.Model;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.layers.WeightInit;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The evaluation {@code thinj train} runs after every epoch, alone: the Fashion-MNIST MLP
 * (784-512-512-10, dropout off) predicting the classes of 10,000 test rows, {@code chunk} rows per
 * {@code predict} (the train module's {@code Predictions.CHUNK} is 4,096), each chunk's activations
 * freed before the next, as {@code Predictions.classes} does. Its products alone are
 * {@link GemmBenchmark}'s {@code eval1}/{@code eval2} shapes; the difference is the bias, ReLU, softmax
 * and argmax passes and the waits between the products' blocks. Compare it with the epoch line's
 * "evaluation and checkpoint" time to see what a run adds (the checkpoint writer on the same cores).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EvaluationBenchmark -p chunk=4096,10000
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmn96m"})
public class EvaluationBenchmark {
    private static final int ROWS = 10_000;
    private static final int PIXELS = 784;

    /** Rows per predict call. */
    @Param({"4096"})
    public int chunk;

    Model<FloatArray, FloatArray> model;
    final List<FloatArray> chunks = new ArrayList<>();

    @Setup
    public void setup() {
        Ops ops = Ops.get("cpu");
        // Glorot weights in the output layer too (Thinc's Softmax starts from zeros, where every row's
        // class would be 0): the same work either way, but the classes then tell the rows apart.
        model = Chain.of(Relu.of(512, PIXELS, 0.2f, false), Relu.of(512, 512, 0.2f, false),
                Softmax.of(10, 512, WeightInit.GLOROT_UNIFORM, null, true, 1f));
        model.initialize();
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[ROWS * PIXELS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        for (int start = 0; start < ROWS; start += chunk) {
            int n = Math.min(chunk, ROWS - start);
            chunks.add(ops.asArray(Arrays.copyOfRange(x, start * PIXELS, (start + n) * PIXELS), n, PIXELS));
        }
    }

    @TearDown
    public void tearDown() {
        chunks.forEach(FloatArray::close);
        chunks.clear();
    }

    /** @return the sum of the predicted classes, so nothing can be eliminated */
    @Benchmark
    public long classes() {
        Ops ops = model.ops();
        long sum = 0;
        for (FloatArray rows : chunks) {
            try (ArrayScope scope = ops.scope()) {
                for (int c : ops.argmax(model.predict(rows)).toIntArray()) {
                    sum += c;
                }
            }
        }
        return sum;
    }
}
