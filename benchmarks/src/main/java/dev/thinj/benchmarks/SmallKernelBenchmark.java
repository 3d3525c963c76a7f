package dev.thinj.benchmarks;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The CPU backend's elementwise and row-wise kernels: relu and softmax on a (128, 512) hidden
 * activation of the Fashion-MNIST MLP, Adam on its (512, 784) weight, and the fixed cost of one call
 * on 1 and 16 elements.
 *
 * <p><b>Why.</b> Between the GEMMs an MLP step is a chain of cheap memory-bound kernels; their time
 * is set by memory traffic, by whether the loop vectorises, by whether it is split over cores, and by
 * what each call costs before it touches a float (checks, allocation, thread hand-off). Each
 * {@code baseline*} method runs the same arithmetic as a plain single-threaded Java loop over a
 * {@code float[]}, so the gap to the matching {@code thinj*} method is the backend's overhead (or,
 * if negative, its gain from a parallel split). The tiny cases isolate the per-call cost: with 1 or
 * 16 elements the arithmetic is a few nanoseconds and everything else is overhead.
 *
 * <p><b>Caveats.</b> The in-place kernels run repeatedly on the same array, so after the first call
 * relu sees no negative inputs and softmax sees rows that are already a distribution; a branch-free
 * kernel does the same work either way, and the not-in-place relu (fresh mixed-sign input every call)
 * shows whether that matters. A not-in-place kernel returns a new array; it is closed in the
 * measured method, as a training step would, so allocation and release are part of its cost. Adam
 * runs with both betas at 1: the moments then stay fixed instead of decaying (the gradient is
 * zeroed by every call) into subnormal floats, whose slow arithmetic would swamp what we measure;
 * the instructions executed are the same.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsPrepend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SmallKernelBenchmark {

    /** A (128, 512) activation, the hidden layer of the MLP at batch 128, and the Adam operands. */
    @State(Scope.Thread)
    public static class Hidden {
        static final int ROWS = 128;
        static final int COLS = 512;
        static final int WEIGHTS = 512 * 784;

        Ops ops;
        /** Mixed-sign input for the not-in-place kernels; never modified. */
        FloatArray x;
        /** Overwritten by the in-place kernels. */
        FloatArray scratch;
        float[] xHost;
        float[] scratchHost;
        float[] outHost;

        FloatArray w;
        FloatArray g;
        FloatArray m1;
        FloatArray m2;

        /** Fills the operands once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(7);
            xHost = GemmBenchmark.uniform(random, ROWS * COLS);
            scratchHost = xHost.clone();
            outHost = new float[ROWS * COLS];
            ops = Ops.get("cpu");
            x = ops.asArray(xHost, ROWS, COLS);
            scratch = ops.asArray(xHost, ROWS, COLS);
            w = ops.asArray(GemmBenchmark.uniform(random, WEIGHTS), 512, 784);
            g = ops.asArray(GemmBenchmark.uniform(random, WEIGHTS), 512, 784);
            m1 = ops.asArray(GemmBenchmark.uniform(random, WEIGHTS), 512, 784);
            float[] second = GemmBenchmark.uniform(random, WEIGHTS);
            for (int i = 0; i < second.length; i++) {
                second[i] = Math.abs(second[i]) + 0.01f;
            }
            m2 = ops.asArray(second, 512, 784);
        }

        /** Releases the backend arrays. */
        @TearDown(Level.Trial)
        public void tearDown() {
            for (FloatArray array : new FloatArray[] {x, scratch, w, g, m1, m2}) {
                array.close();
            }
        }
    }

    /** One or sixteen elements: the arithmetic is negligible, the call is all that is left. */
    @State(Scope.Thread)
    public static class Tiny {
        /** Number of elements. */
        @Param({"1", "16"})
        public int size;

        Ops ops;
        FloatArray a;
        FloatArray b;
        float[] aHost;
        float[] bHost;

        /** Fills the operands once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(11);
            aHost = GemmBenchmark.uniform(random, size);
            bHost = GemmBenchmark.uniform(random, size);
            ops = Ops.get("cpu");
            a = ops.asArray(aHost);
            b = ops.asArray(bHost);
        }

        /** Releases the backend arrays. */
        @TearDown(Level.Trial)
        public void tearDown() {
            a.close();
            b.close();
        }
    }

    /**
     * @param s the state
     * @return the overwritten array
     */
    @Benchmark
    public FloatArray thinjReluInplace(Hidden s) {
        return s.ops.relu(s.scratch, true);
    }

    /**
     * @param s the state
     * @param bh consumes the new array before it is closed
     */
    @Benchmark
    public void thinjRelu(Hidden s, Blackhole bh) {
        try (FloatArray y = s.ops.relu(s.x, false)) {
            bh.consume(y);
        }
    }

    /**
     * @param s the state
     * @return the output, {@code max(x, 0)} into a preallocated host array
     */
    @Benchmark
    public float[] baselineRelu(Hidden s) {
        float[] x = s.xHost;
        float[] y = s.outHost;
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(x[i], 0f);
        }
        return y;
    }

    /**
     * @param s the state
     * @param bh consumes the new array before it is closed
     */
    @Benchmark
    public void thinjSoftmax(Hidden s, Blackhole bh) {
        try (FloatArray y = s.ops.softmax(s.x, 1f, false)) {
            bh.consume(y);
        }
    }

    /**
     * @param s the state
     * @return the overwritten array
     */
    @Benchmark
    public FloatArray thinjSoftmaxInplace(Hidden s) {
        return s.ops.softmax(s.scratch, 1f, true);
    }

    /**
     * Row-wise softmax, max-shifted, as a plain loop into a preallocated host array.
     *
     * @param s the state
     * @return the output
     */
    @Benchmark
    public float[] baselineSoftmax(Hidden s) {
        float[] x = s.xHost;
        float[] y = s.outHost;
        int cols = Hidden.COLS;
        for (int row = 0; row < Hidden.ROWS; row++) {
            int base = row * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[base + j]);
            }
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[base + j] - max);
                y[base + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j < cols; j++) {
                y[base + j] *= inv;
            }
        }
        return y;
    }

    /**
     * The fused Adam kernel on a (512, 784) weight; compare with
     * {@link MemoryLayoutBenchmark#adamHeap}, the same arithmetic as one plain loop.
     *
     * @param s the state
     * @return the updated weights
     */
    @Benchmark
    public FloatArray thinjAdam(Hidden s) {
        s.ops.adam(s.w, s.g, s.m1, s.m2, 1f, 1f, 1e-8f, 1e-3f, 1f);
        return s.w;
    }

    /**
     * @param s the state
     * @return the overwritten array
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public FloatArray thinjTinyReluInplace(Tiny s) {
        return s.ops.relu(s.a, true);
    }

    /**
     * @param s the state
     * @return the overwritten array
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public FloatArray thinjTinyAddInPlace(Tiny s) {
        s.ops.addInPlace(s.a, s.b);
        return s.a;
    }

    /**
     * The arithmetic of {@link #thinjTinyAddInPlace} alone.
     *
     * @param s the state
     * @return the overwritten array
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public float[] baselineTinyAddInPlace(Tiny s) {
        float[] a = s.aHost;
        float[] b = s.bHost;
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }
}
