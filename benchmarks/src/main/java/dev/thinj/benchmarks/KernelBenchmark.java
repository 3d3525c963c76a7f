package dev.thinj.benchmarks;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Every kernel of the {@link Ops} SPI that ND4J has an equivalent for, on a (batch, width) activation,
 * on the backend named by {@link #backend}: the thinj half of the side-by-side with ND4J.
 * {@code dev.thinj.benchmarks.nd4j.Nd4jKernelBenchmark} (module {@code benchmarks-nd4j}, its own class
 * path: ND4J needs JavaCPP 1.5.7, thinj 1.5.13) has a method of the same name doing the same work for
 * each method here, with the same parameters and the same operands; {@code benchmarks/scripts/nd4j-race.sh}
 * runs both and writes the table.
 *
 * <p><b>Same work on both sides.</b> Operands are uniform in [-1, 1) from the same seed. A kernel that
 * thinj runs in place ({@code relu}, {@code reluBackward}, {@code softmax}, {@code sigmoid}, {@code tanh},
 * {@code biasAdd}, {@code rowSum}, the GEMMs into a preallocated output, {@code adam}, {@code sgd})
 * runs in place on ND4J too. A kernel whose thinj form returns a new array ({@code gelu},
 * {@code layerNorm}, {@code dropoutMask}, {@code argmax}, {@code crossEntropyGrad}) allocates on both
 * sides: here from the backend's pool, closed in the measured method as a training step would; on ND4J
 * inside a workspace, as DL4J allocates during training. {@code gelu} is not run in place because
 * repeated in place it drives every value through subnormal floats to zero.
 *
 * <p><b>Repeated in place.</b> After the first call relu sees no negative input and softmax and
 * sigmoid see their own outputs (sigmoid's fixed point, rows that are already distributions); tanh's
 * values shrink slowly (to about 0.04 after 1,000 calls, still normal floats). Both sides start from
 * the same values and so see the same ones. Adam runs with both betas at 1 here because thinj's kernel
 * zeroes the gradient, and decaying moments would sink into slow subnormal arithmetic; the instructions
 * are the same (ND4J's updater overwrites the gradient with the update instead, so its moments stay
 * normal at the usual betas).
 *
 * <p>On an asynchronous backend ({@code cuda}) every method ends with {@code synchronize()}, so a time
 * is launch, execution and one synchronisation. A backend that cannot run here fails the trial's setup
 * with the reason (the script passes {@code -p backend=cuda} only where it is available).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class KernelBenchmark {
    private static final float DROPOUT = 0.2f;

    /** The thinj backend, as {@code Ops.get} names it: {@code cpu}, or {@code cuda} on a GPU host. */
    @Param({"cpu"})
    public String backend;

    /** Rows of the activation. */
    @Param({"32", "128", "1024"})
    public int batch;

    /** Columns of the activation; the weights are (width, width). */
    @Param({"512", "2048"})
    public int width;

    Ops ops;
    /** (batch, width), never modified. */
    FloatArray x;
    /** (width, batch): x's transpose, stored, for the TT product. */
    FloatArray xT;
    /** (batch, width), a second operand (the TN product's dY). */
    FloatArray dy;
    /** (batch, width), relu(x): the forward output relu's backward reads. */
    FloatArray reluOut;
    /** (batch, width), overwritten by the in-place kernels; starts as a copy of x. */
    FloatArray inplace;
    /** (width, width) weights. */
    FloatArray w;
    /** (batch, width) product output. */
    FloatArray outBW;
    /** (width, width) product output of the TN case. */
    FloatArray outWW;
    /** width: bias, layer-norm gain and bias, column sums. */
    FloatArray bias;
    FloatArray gain;
    FloatArray shift;
    FloatArray colSums;
    /** (batch, width) softmax of x, and one-hot truths over width classes. */
    FloatArray probs;
    FloatArray truth;
    /** (batch, width) parameter, gradient and Adam moments. */
    FloatArray param;
    FloatArray paramGrad;
    FloatArray mom1;
    FloatArray mom2;
    long seed;

    /** Opens the backend (or fails with the reason it cannot run) and fills the operands. */
    @Setup(Level.Trial)
    public void setUp() {
        ops = Ops.get(backend);
        Operands o = Operands.make(batch, width);
        x = ops.asArray(o.x(), batch, width);
        xT = ops.asArray(o.xTransposed(), width, batch);
        dy = ops.asArray(o.dy(), batch, width);
        reluOut = ops.relu(x, false);
        inplace = ops.asArray(o.x(), batch, width);
        w = ops.asArray(o.w(), width, width);
        outBW = ops.alloc(batch, width);
        outWW = ops.alloc(width, width);
        bias = ops.asArray(o.bias(), width);
        gain = ops.asArray(o.gain(), width);
        shift = ops.asArray(o.bias(), width);
        colSums = ops.alloc(width);
        probs = ops.softmax(x, 1f, false);
        truth = ops.asArray(o.oneHot(), batch, width);
        param = ops.asArray(o.x(), batch, width);
        paramGrad = ops.asArray(o.dy(), batch, width);
        mom1 = ops.asArray(o.dy(), batch, width);
        mom2 = ops.asArray(o.secondMoment(), batch, width);
        ops.synchronize();
    }

    /** Releases the arrays (device memory on a GPU backend). */
    @TearDown(Level.Trial)
    public void tearDown() {
        for (FloatArray a : new FloatArray[] {x, xT, dy, reluOut, inplace, w, outBW, outWW, bias, gain, shift,
            colSums, probs, truth, param, paramGrad, mom1, mom2}) {
            if (a != null) {
                a.close();
            }
        }
    }

    /** @return {@code x · w}, (batch, width) */
    @Benchmark
    public FloatArray gemmNN() {
        ops.gemm(x, w, outBW, false, false, 1f, 0f);
        ops.synchronize();
        return outBW;
    }

    /** @return {@code x · wᵀ}, a Linear layer's forward */
    @Benchmark
    public FloatArray gemmNT() {
        ops.gemm(x, w, outBW, false, true, 1f, 0f);
        ops.synchronize();
        return outBW;
    }

    /** @return {@code xᵀ · dy}, (width, width): a weight gradient */
    @Benchmark
    public FloatArray gemmTN() {
        ops.gemm(x, dy, outWW, true, false, 1f, 0f);
        ops.synchronize();
        return outWW;
    }

    /** @return {@code (xᵀ)ᵀ · wᵀ}, (batch, width) */
    @Benchmark
    public FloatArray gemmTT() {
        ops.gemm(xT, w, outBW, true, true, 1f, 0f);
        ops.synchronize();
        return outBW;
    }

    /** @return the activation with the bias added to every row, in place */
    @Benchmark
    public FloatArray biasAdd() {
        ops.addBias(inplace, bias);
        ops.synchronize();
        return inplace;
    }

    /** @return relu, in place */
    @Benchmark
    public FloatArray relu() {
        FloatArray y = ops.relu(inplace, true);
        ops.synchronize();
        return y;
    }

    /** @return {@code dY * (y > 0)}, in place in dY */
    @Benchmark
    public FloatArray reluBackward() {
        FloatArray d = ops.backpropRelu(inplace, reluOut, true);
        ops.synchronize();
        return d;
    }

    /** @return row-wise softmax, in place */
    @Benchmark
    public FloatArray softmax() {
        FloatArray y = ops.softmax(inplace, 1f, true);
        ops.synchronize();
        return y;
    }

    /** @return sigmoid, in place */
    @Benchmark
    public FloatArray sigmoid() {
        FloatArray y = ops.sigmoid(inplace, true);
        ops.synchronize();
        return y;
    }

    /** @return tanh, in place */
    @Benchmark
    public FloatArray tanh() {
        FloatArray y = ops.tanh(inplace, true);
        ops.synchronize();
        return y;
    }

    /**
     * The exact (erf) GELU into a new array, which is then closed.
     *
     * @param bh consumes the result before it is closed
     */
    @Benchmark
    public void gelu(Blackhole bh) {
        try (FloatArray y = geluResult()) {
            ops.synchronize();
            bh.consume(y);
        }
    }

    /**
     * Layer normalisation with gain and bias, into new arrays (output, row means and variances).
     *
     * @param bh consumes the result before it is closed
     */
    @Benchmark
    public void layerNorm(Blackhole bh) {
        try (LayerNormResult r = layerNormResult()) {
            ops.synchronize();
            bh.consume(r);
        }
    }

    /**
     * A new inverted-dropout mask (rate 0.2, a fresh seed per call), then closed.
     *
     * @param bh consumes the mask before it is closed
     */
    @Benchmark
    public void dropoutMask(Blackhole bh) {
        try (FloatArray m = dropoutMaskResult()) {
            ops.synchronize();
            bh.consume(m);
        }
    }

    /** @return the column sums (the bias gradient) into a preallocated vector */
    @Benchmark
    public FloatArray rowSum() {
        ops.sumRows(x, colSums, false);
        ops.synchronize();
        return colSums;
    }

    /**
     * The index of each row's maximum, into a new array, then closed.
     *
     * @param bh consumes the indices before they are closed
     */
    @Benchmark
    public void argmax(Blackhole bh) {
        try (IntArray i = argmaxResult()) {
            ops.synchronize();
            bh.consume(i);
        }
    }

    /** @return the parameter after one fused Adam step */
    @Benchmark
    public FloatArray adam() {
        ops.adam(param, paramGrad, mom1, mom2, 1f, 1f, 1e-8f, 1e-3f, 1f);
        ops.synchronize();
        return param;
    }

    /** @return the parameter after one SGD step */
    @Benchmark
    public FloatArray sgd() {
        ops.sgd(param, paramGrad, 1e-3f);
        ops.synchronize();
        return param;
    }

    /**
     * Categorical cross-entropy's gradient {@code (probs - truth) / batch} into a new array, then closed.
     *
     * @param bh consumes the gradient before it is closed
     */
    @Benchmark
    public void crossEntropyGrad(Blackhole bh) {
        try (FloatArray d = crossEntropyGradResult()) {
            ops.synchronize();
            bh.consume(d);
        }
    }

    // The allocating kernels' calls, apart so that the tests can check what they return.

    FloatArray geluResult() {
        return ops.gelu(x, false);
    }

    LayerNormResult layerNormResult() {
        return ops.layerNorm(x, gain, shift);
    }

    FloatArray dropoutMaskResult() {
        return ops.dropoutMask(DROPOUT, seed++, batch, width);
    }

    IntArray argmaxResult() {
        return ops.argmax(x);
    }

    FloatArray crossEntropyGradResult() {
        return ops.scaledDifference(probs, truth, null, 1f / batch);
    }

    /**
     * The host values both sides start from (the ND4J module makes the same ones with the same code).
     *
     * @param x (batch, width) uniform in [-1, 1)
     * @param xTransposed x transposed, (width, batch)
     * @param dy (batch, width) uniform in [-1, 1)
     * @param w (width, width) uniform in [-1, 1)
     * @param bias width values uniform in [-1, 1)
     * @param gain width values uniform in [0.5, 1.5)
     * @param oneHot (batch, width), row i one-hot at a uniform class
     * @param secondMoment (batch, width) uniform in [0.01, 1.01)
     */
    record Operands(float[] x, float[] xTransposed, float[] dy, float[] w, float[] bias, float[] gain,
            float[] oneHot, float[] secondMoment) {

        static Operands make(int batch, int width) {
            SplittableRandom r = new SplittableRandom(42);
            float[] x = GemmBenchmark.uniform(r, batch * width);
            float[] xT = new float[x.length];
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < width; j++) {
                    xT[j * batch + i] = x[i * width + j];
                }
            }
            float[] dy = GemmBenchmark.uniform(r, batch * width);
            float[] w = GemmBenchmark.uniform(r, width * width);
            float[] bias = GemmBenchmark.uniform(r, width);
            float[] gain = GemmBenchmark.uniform(r, width);
            for (int j = 0; j < width; j++) {
                gain[j] = 1f + gain[j] / 2;
            }
            float[] oneHot = new float[batch * width];
            for (int i = 0; i < batch; i++) {
                oneHot[i * width + r.nextInt(width)] = 1f;
            }
            float[] second = GemmBenchmark.uniform(r, batch * width);
            for (int i = 0; i < second.length; i++) {
                second[i] = Math.abs(second[i]) + 0.01f;
            }
            return new Operands(x, xT, dy, w, bias, gain, oneHot, second);
        }
    }
}
