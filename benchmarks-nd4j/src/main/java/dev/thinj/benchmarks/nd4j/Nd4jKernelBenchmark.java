package dev.thinj.benchmarks.nd4j;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.PreciseGELU;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.ops.impl.updaters.SgdUpdater;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
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
 * ND4J's half of the kernel race: for each method of {@code dev.thinj.benchmarks.KernelBenchmark}
 * (module {@code benchmarks}), a method of the same name doing the same work with ND4J 1.0.0-M2.1's
 * CPU backend (nd4j-native, OpenBLAS 0.3.19 for GEMM), on the same operands ({@link Operands}), with the
 * same parameters and JMH settings.
 *
 * <p><b>Same work.</b> What thinj does in place runs in place here (ND4J's {@code Transforms.*(x, false)},
 * ops whose output is their input, {@code addiRowVector}, {@code Nd4j.gemm} into a preallocated
 * output). What thinj allocates is allocated here too, inside a workspace, which is how DL4J allocates
 * during training and ND4J's cheapest allocation (a pointer bump once the workspace has learnt its
 * size). The optimizers are the ops DL4J's updaters call ({@code AdamUpdater}, {@code SgdUpdater}, both
 * writing the update into the gradient) followed by {@code params.subi(update)}, as DL4J applies an
 * update: two passes where thinj's fused kernel makes one. The cross-entropy gradient is a subtraction
 * then a scaling, two passes where thinj's is one. ND4J has no exact (erf) GELU; its {@code PreciseGELU}
 * (a tanh-based approximation, within 0.01 of the exact GELU on [-1, 1)) stands in, ND4J's nearest; its
 * plain {@code GELU} is {@code x * sigmoid(1.702 x)}, cheaper and no closer. ND4J's
 * {@code LayerNorm} returns only the output; thinj's also returns the row means and variances its
 * backward pass needs (two extra (batch) arrays).
 *
 * <p><b>Adam's state</b> stays in normal floats here at the usual betas (0.9, 0.999): the gradient
 * the next call sees is the previous update, about the learning rate in size. See
 * {@code KernelBenchmark} for why thinj's side runs with betas of 1; the arithmetic is the same.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class Nd4jKernelBenchmark {
    private static final double KEEP = 0.8;
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.FIRST_LOOP).build();

    /** Rows of the activation. */
    @Param({"32", "128", "1024"})
    public int batch;

    /** Columns of the activation; the weights are (width, width). */
    @Param({"512", "2048"})
    public int width;

    INDArray x;
    INDArray xT;
    INDArray dy;
    INDArray reluOut;
    INDArray inplace;
    INDArray w;
    INDArray outBW;
    INDArray outWW;
    INDArray bias;
    INDArray gain;
    INDArray shift;
    INDArray colSums;
    INDArray probs;
    INDArray truth;
    INDArray param;
    INDArray paramGrad;
    INDArray mom1;
    INDArray mom2;

    /** Fills the operands, all float32 and row-major ('c'), as thinj's. */
    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Operands o = Operands.make(batch, width);
        x = matrix(o.x(), batch, width);
        xT = matrix(o.xTransposed(), width, batch);
        dy = matrix(o.dy(), batch, width);
        reluOut = Transforms.relu(x, true);
        inplace = matrix(o.x(), batch, width);
        w = matrix(o.w(), width, width);
        outBW = Nd4j.zeros(DataType.FLOAT, batch, width);
        outWW = Nd4j.zeros(DataType.FLOAT, width, width);
        bias = matrix(o.bias(), 1, width);
        gain = Nd4j.create(o.gain(), new long[] {width}, 'c');
        shift = Nd4j.create(o.bias(), new long[] {width}, 'c');
        colSums = Nd4j.zeros(DataType.FLOAT, width);
        probs = Nd4j.exec(new SoftMax(x, x.ulike(), 1))[0];
        truth = matrix(o.oneHot(), batch, width);
        param = matrix(o.x(), batch, width);
        paramGrad = matrix(o.dy(), batch, width);
        mom1 = matrix(o.dy(), batch, width);
        mom2 = matrix(o.secondMoment(), batch, width);
    }

    /** Frees the workspace this thread used. */
    @TearDown(Level.Trial)
    public void tearDown() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    private static INDArray matrix(float[] data, int rows, int cols) {
        return Nd4j.create(data, new long[] {rows, cols}, 'c');
    }

    private static MemoryWorkspace workspace() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, "Nd4jKernelBenchmark");
    }

    /** @return {@code x · w} */
    @Benchmark
    public INDArray gemmNN() {
        return Nd4j.gemm(x, w, outBW, false, false, 1.0, 0.0);
    }

    /** @return {@code x · wᵀ} */
    @Benchmark
    public INDArray gemmNT() {
        return Nd4j.gemm(x, w, outBW, false, true, 1.0, 0.0);
    }

    /** @return {@code xᵀ · dy} */
    @Benchmark
    public INDArray gemmTN() {
        return Nd4j.gemm(x, dy, outWW, true, false, 1.0, 0.0);
    }

    /** @return {@code (xᵀ)ᵀ · wᵀ} */
    @Benchmark
    public INDArray gemmTT() {
        return Nd4j.gemm(xT, w, outBW, true, true, 1.0, 0.0);
    }

    /** @return the activation with the bias added to every row, in place (DenseLayer's way) */
    @Benchmark
    public INDArray biasAdd() {
        return inplace.addiRowVector(bias);
    }

    /** @return relu, in place */
    @Benchmark
    public INDArray relu() {
        return Transforms.relu(inplace, false);
    }

    /** @return {@code dY * (y > 0)} in place in dY, the op DL4J's ActivationReLU.backprop runs */
    @Benchmark
    public INDArray reluBackward() {
        return Nd4j.exec(new RectifiedLinearDerivative(reluOut, inplace, inplace))[0];
    }

    /** @return row-wise softmax, in place */
    @Benchmark
    public INDArray softmax() {
        return Nd4j.exec(new SoftMax(inplace, inplace, 1))[0];
    }

    /** @return sigmoid, in place */
    @Benchmark
    public INDArray sigmoid() {
        return Transforms.sigmoid(inplace, false);
    }

    /** @return tanh, in place */
    @Benchmark
    public INDArray tanh() {
        return Transforms.tanh(inplace, false);
    }

    /**
     * GELU into a new workspace array.
     *
     * @param bh consumes the result
     */
    @Benchmark
    public void gelu(Blackhole bh) {
        try (MemoryWorkspace ws = workspace()) {
            bh.consume(geluResult());
        }
    }

    /**
     * Layer normalisation with gain and bias, into a new workspace array.
     *
     * @param bh consumes the result
     */
    @Benchmark
    public void layerNorm(Blackhole bh) {
        try (MemoryWorkspace ws = workspace()) {
            bh.consume(layerNormResult());
        }
    }

    /**
     * A new inverted-dropout mask (rate 0.2) as DL4J's Dropout makes one: Bernoulli(0.8) draws, then
     * divided by 0.8.
     *
     * @param bh consumes the mask
     */
    @Benchmark
    public void dropoutMask(Blackhole bh) {
        try (MemoryWorkspace ws = workspace()) {
            bh.consume(dropoutMaskResult());
        }
    }

    /** @return the column sums into a preallocated vector */
    @Benchmark
    public INDArray rowSum() {
        return x.sum(colSums, 0);
    }

    /**
     * The index of each row's maximum, into a new workspace array.
     *
     * @param bh consumes the indices
     */
    @Benchmark
    public void argmax(Blackhole bh) {
        try (MemoryWorkspace ws = workspace()) {
            bh.consume(argmaxResult());
        }
    }

    /** @return the parameter after one Adam step as DL4J's Adam applies it */
    @Benchmark
    public INDArray adam() {
        Nd4j.exec(new AdamUpdater(paramGrad, mom2, mom1, 1e-3, 0.9, 0.999, 1e-8, 100));
        return param.subi(paramGrad);
    }

    /** @return the parameter after one SGD step as DL4J's Sgd applies it */
    @Benchmark
    public INDArray sgd() {
        Nd4j.exec(new SgdUpdater(paramGrad, 1e-3));
        return param.subi(paramGrad);
    }

    /**
     * Categorical cross-entropy's gradient {@code (probs - truth) / batch} into a new workspace array.
     *
     * @param bh consumes the gradient
     */
    @Benchmark
    public void crossEntropyGrad(Blackhole bh) {
        try (MemoryWorkspace ws = workspace()) {
            bh.consume(crossEntropyGradResult());
        }
    }

    // The allocating kernels' calls, apart so that the tests can check what they return; in the
    // benchmarks they run inside the workspace, which the arrays they create come from.

    INDArray geluResult() {
        return Nd4j.exec(new PreciseGELU(x, Nd4j.createUninitialized(DataType.FLOAT, batch, width)));
    }

    INDArray layerNormResult() {
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, batch, width);
        return Nd4j.exec(new LayerNorm(x, gain, shift, y, true, 1))[0];
    }

    INDArray dropoutMaskResult() {
        INDArray mask = Nd4j.createUninitialized(DataType.FLOAT, batch, width);
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, KEEP));
        return mask.divi(KEEP);
    }

    INDArray argmaxResult() {
        return x.argMax(1);
    }

    INDArray crossEntropyGradResult() {
        INDArray d = Nd4j.createUninitialized(DataType.FLOAT, batch, width);
        Nd4j.exec(new SubOp(probs, truth, d));
        return d.muli(1.0 / batch);
    }
}
