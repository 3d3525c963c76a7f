package dev.thinj.benchmarks;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
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
 * The fixed cost of one kernel call: {@code a += b} on 1 and 128 elements, where the arithmetic is a
 * few nanoseconds and the rest is the call (argument checks, dispatch, any thread hand-off). The thinj
 * half; {@code dev.thinj.benchmarks.nd4j.Nd4jFixedCostBenchmark} times ND4J's {@code a.addi(b)} on the
 * same values. The values grow by about 0.5 per call, far from overflow within a run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class FixedCostBenchmark {

    /** The thinj backend: {@code cpu}, or {@code cuda} on a GPU host. */
    @Param({"cpu"})
    public String backend;

    /** Number of elements. */
    @Param({"1", "128"})
    public int size;

    private Ops ops;
    private FloatArray a;
    private FloatArray b;

    /** Opens the backend and fills both operands. */
    @Setup(Level.Trial)
    public void setUp() {
        ops = Ops.get(backend);
        SplittableRandom r = new SplittableRandom(11);
        a = ops.asArray(GemmBenchmark.uniform(r, size));
        b = ops.asArray(GemmBenchmark.uniform(r, size));
    }

    /** Releases the operands. */
    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
    }

    /** @return {@code a}, after {@code a += b} */
    @Benchmark
    public FloatArray addInPlace() {
        ops.addInPlace(a, b);
        ops.synchronize();
        return a;
    }
}
