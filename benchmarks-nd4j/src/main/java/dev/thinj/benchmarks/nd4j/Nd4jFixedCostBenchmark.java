package dev.thinj.benchmarks.nd4j;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * ND4J's fixed cost per call: {@code a.addi(b)} on 1 and 128 elements, the counterpart of
 * {@code dev.thinj.benchmarks.FixedCostBenchmark} (the same values: seed 11, uniform in [-1, 1)).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class Nd4jFixedCostBenchmark {

    /** Number of elements. */
    @Param({"1", "128"})
    public int size;

    private INDArray a;
    private INDArray b;

    /** Fills both operands. */
    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        SplittableRandom r = new SplittableRandom(11);
        a = Nd4j.create(Operands.uniform(r, size), new long[] {size}, 'c');
        b = Nd4j.create(Operands.uniform(r, size), new long[] {size}, 'c');
    }

    /** @return {@code a}, after {@code a += b} */
    @Benchmark
    public INDArray addInPlace() {
        return a.addi(b);
    }
}
