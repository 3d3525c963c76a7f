package dev.thinj.ops.cpu;

import dev.thinj.ops.ActivationKernels;
import dev.thinj.ops.ArrayKernels;
import dev.thinj.ops.ElementwiseKernels;
import dev.thinj.ops.LinearKernels;
import dev.thinj.ops.LossKernels;
import dev.thinj.ops.NormalizationKernels;
import dev.thinj.ops.OptimizerKernels;
import dev.thinj.ops.ReductionKernels;
import dev.thinj.ops.batching.BatchStaging;
import dev.thinj.ops.spi.GroupedOps;

/**
 * The CPU backend. Arrays are heap {@code float[]}/{@code int[]}; GEMM goes to OpenBLAS; everything
 * else is plain Java loops, split over {@link #threads()} threads when an array is large. Kernels run
 * synchronously, so {@link #synchronize()} has nothing to wait for.
 *
 * <p>The kernels live in one class per SPI group, named as the CUDA backend's: {@link CpuArrays},
 * {@link CpuLinear}, {@link CpuElementwise}, {@link CpuActivations}, {@link CpuNormalization},
 * {@link CpuReductions}, {@link CpuOptimizers}, {@link CpuLosses}. Each checks its arguments (owner,
 * closed, shapes) and runs a loop of {@link ActivationMath}, {@link RowKernels},
 * {@link SequenceKernels}, {@link OptimizerMath} or {@link LossMath}. Create it through
 * {@code Ops.get("cpu")}.
 */
public final class CpuOps extends GroupedOps {
    private final Parallel parallel;
    private final HeapPool heap = HeapPool.fromSystem();
    private final CpuArrays arrays;
    private final CpuLinear linear;
    private final CpuElementwise elementwise;
    private final CpuActivations activations;
    private final CpuNormalization normalization;
    private final CpuReductions reductions;
    private final CpuOptimizers optimizers;
    private final CpuLosses losses;

    CpuOps(int threads) {
        this.parallel = new Parallel(threads);
        Blas.configureFor(parallel.threads());
        CpuContext ctx = new CpuContext(this, parallel);
        this.arrays = new CpuArrays(ctx);
        this.linear = new CpuLinear(ctx);
        this.elementwise = new CpuElementwise(ctx);
        this.activations = new CpuActivations(ctx);
        this.normalization = new CpuNormalization(ctx);
        this.reductions = new CpuReductions(ctx);
        this.optimizers = new CpuOptimizers(ctx);
        this.losses = new CpuLosses(ctx);
    }

    /** The storage of closed arrays, handed out again by the kernels. */
    HeapPool heap() {
        return heap;
    }

    /** @return the threads that run the kernels, matrix products included */
    public int threads() {
        return parallel.threads();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean isGpu() {
        return false;
    }

    @Override
    public String description() {
        String gemm = CriticalBlas.available() && threads() > 1 ? ", one block per thread" : "";
        return "CPU: OpenBLAS (Bytedeco) GEMM via " + CriticalBlas.status() + gemm + ", heap float32 arrays, " + threads() + " thread" + (threads() == 1 ? "" : "s")
                + ", OPENBLAS_CORETYPE=" + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(auto)");
    }

    @Override
    public void synchronize() {
        // Every kernel has finished when it returns.
    }

    @Override
    public void close() {
        parallel.shutdown();
    }

    /** Gathers batch rows straight into the arrays the kernels read (see {@link CpuBatchStaging}). */
    @Override
    public BatchStaging batchStaging() {
        return new CpuBatchStaging(this);
    }

    @Override
    public String toString() {
        return "CpuOps[" + threads() + " threads]";
    }

    @Override
    protected ArrayKernels arrays() {
        return arrays;
    }

    @Override
    protected LinearKernels linear() {
        return linear;
    }

    @Override
    protected ElementwiseKernels elementwise() {
        return elementwise;
    }

    @Override
    protected ActivationKernels activations() {
        return activations;
    }

    @Override
    protected NormalizationKernels normalization() {
        return normalization;
    }

    @Override
    protected ReductionKernels reductions() {
        return reductions;
    }

    @Override
    protected OptimizerKernels optimizers() {
        return optimizers;
    }

    @Override
    protected LossKernels losses() {
        return losses;
    }
}
