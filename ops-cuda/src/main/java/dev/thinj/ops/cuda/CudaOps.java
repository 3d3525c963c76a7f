package dev.thinj.ops.cuda;

import dev.thinj.ops.ActivationKernels;
import dev.thinj.ops.ArrayKernels;
import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.ElementwiseKernels;
import dev.thinj.ops.LinearKernels;
import dev.thinj.ops.LossKernels;
import dev.thinj.ops.NormalizationKernels;
import dev.thinj.ops.OptimizerKernels;
import dev.thinj.ops.ReductionKernels;
import dev.thinj.ops.batching.BatchStaging;
import dev.thinj.ops.cuda.device.Device;
import dev.thinj.ops.cuda.device.DevicePool;
import dev.thinj.ops.spi.GroupedOps;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CUDA backend. Arrays live in device memory lent by a caching {@link DevicePool}; GEMM goes to
 * cuBLAS; every other kernel is one of the CUDA C++ sources in {@code native/}, compiled for the
 * device at first use. Kernels are enqueued on one compute stream per instance and return at once;
 * reading an array on the host, {@link #synchronize()}, and the few kernels that answer on the host
 * ({@code allInRange}) wait.
 *
 * <p>The kernels live in one class per SPI group, named as the CPU backend's ({@link GroupedOps}
 * routes each call): {@link CudaArrays}, {@link CudaLinear},
 * {@link CudaElementwise}, {@link CudaActivations}, {@link CudaNormalization}, {@link CudaReductions},
 * {@link CudaOptimizers}, {@link CudaLosses}. Each checks its arguments (owner, closed, shapes) on
 * the host and enqueues a kernel; batches arrive through {@link CudaBatchStaging}.
 * Create it through {@code Ops.get("cuda")}, or directly over any {@link Device}.
 *
 * <p>{@link #close()} frees every array still alive (they report themselves closed), the batch
 * stagings still open, the stream and the device's handles. It is safe while another thread (a batch
 * producer) still works on the backend: every device call passes a gate ({@link GatedDevice}) that
 * close shuts first, waiting for the calls in progress, so no call reaches a destroyed stream or a
 * closed device; later calls fail with {@link ArrayStateException}.
 */
public final class CudaOps extends GroupedOps {
    private final Device given;
    private final GatedDevice device;
    private final DevicePool pool;
    private final Set<CudaBatchStaging> stagings = ConcurrentHashMap.newKeySet();
    private final CudaContext context;
    private volatile boolean closed;

    private final CudaArrays arrays;
    private final CudaLinear linear;
    private final CudaElementwise elementwise;
    private final CudaActivations activations;
    private final CudaNormalization normalization;
    private final CudaReductions reductions;
    private final CudaOptimizers optimizers;
    private final CudaLosses losses;

    /**
     * @param device the GPU (or the tests' emulated device); owned from now on: {@link #close()} closes it
     * @param gcBytes fresh device allocations between the garbage collections the pool requests (see
     *     {@link DevicePool})
     */
    public CudaOps(Device device, long gcBytes) {
        this.given = device;
        this.device = new GatedDevice(device);
        this.pool = new DevicePool(this.device, gcBytes);
        this.context = new CudaContext(this, this.device, pool);
        this.arrays = new CudaArrays(context);
        this.linear = new CudaLinear(context);
        this.elementwise = new CudaElementwise(context);
        this.activations = new CudaActivations(context);
        this.normalization = new CudaNormalization(context);
        this.reductions = new CudaReductions(context);
        this.optimizers = new CudaOptimizers(context);
        this.losses = new CudaLosses(context);
    }

    CudaContext context() {
        return context;
    }

    /** @return the device this backend runs on, as given to the constructor (calls on it bypass the gate) */
    public Device device() {
        return given;
    }

    /** @return the caching allocator, for inspection (live and cached bytes, malloc calls) */
    public DevicePool pool() {
        return pool;
    }

    /** @return whether {@link #close()} has run */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Lets GEMM use TF32 tensor cores (float32 storage and accumulation, products rounded to about 10
     * mantissa bits): faster on Ampere and later GPUs, off by default. Also set by the system property
     * {@code thinj.cuda.tf32=true}.
     *
     * @param enabled whether TF32 is allowed
     */
    public void setTf32(boolean enabled) {
        device.setTf32(enabled);
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public boolean isGpu() {
        return true;
    }

    @Override
    public String description() {
        return "CUDA: " + device.describe() + ", cuBLAS " + (device.tf32() ? "TF32" : "float32")
                + " GEMM, caching allocator";
    }

    @Override
    public void synchronize() {
        checkOpen();
        context.synchronize();
    }

    @Override
    public BatchStaging batchStaging() {
        checkOpen();
        // Its copy stream is created through the gate, so this fails once close has begun. (One made just
        // before and registered after the teardown looked goes with the device's context.)
        CudaBatchStaging s = new CudaBatchStaging(this, context, device);
        stagings.add(s);
        return s;
    }

    /** A batch staging released its device resources. */
    void forget(CudaBatchStaging staging) {
        stagings.remove(staging);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // No device call starts from here on, and those in progress finish before the teardown.
        device.shut(() -> {
            RuntimeException failure = null;
            for (CudaBatchStaging s : List.copyOf(stagings)) {
                try {
                    s.release();  // a pass still open: its copy stream, events and pinned slots
                } catch (RuntimeException e) {
                    failure = add(failure, e);
                }
            }
            try {
                context.close();
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
            try {
                pool.close();
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
            try {
                device.close();
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
            if (failure != null) {
                throw failure;
            }
        });
    }

    private static RuntimeException add(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    @Override
    public String toString() {
        return "CudaOps[" + device.describe() + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new ArrayStateException("the CUDA backend was closed; its arrays were freed");
        }
    }

    // ---- the kernel groups: every kernel call passes through one of these, so a closed backend refuses
    // it here, before any argument is looked at.

    @Override
    protected ArrayKernels arrays() {
        checkOpen();
        return arrays;
    }

    @Override
    protected LinearKernels linear() {
        checkOpen();
        return linear;
    }

    @Override
    protected ElementwiseKernels elementwise() {
        checkOpen();
        return elementwise;
    }

    @Override
    protected ActivationKernels activations() {
        checkOpen();
        return activations;
    }

    @Override
    protected NormalizationKernels normalization() {
        checkOpen();
        return normalization;
    }

    @Override
    protected ReductionKernels reductions() {
        checkOpen();
        return reductions;
    }

    @Override
    protected OptimizerKernels optimizers() {
        checkOpen();
        return optimizers;
    }

    @Override
    protected LossKernels losses() {
        checkOpen();
        return losses;
    }
}
