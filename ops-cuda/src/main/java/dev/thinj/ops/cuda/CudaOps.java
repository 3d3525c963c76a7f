package dev.thinj.ops.cuda;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.Ops;
import dev.thinj.ops.batching.BatchStaging;
import dev.thinj.ops.cuda.device.Device;
import dev.thinj.ops.cuda.device.DevicePool;
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
 * <p>Each public method checks its arguments (owner, closed, shapes) on the host and enqueues a
 * kernel through the group class for its job: {@link CudaArrays}, {@link CudaLinear},
 * {@link CudaElementwise}, {@link CudaActivations}, {@link CudaNormalization}, {@link CudaReductions},
 * {@link CudaOptimizers}, {@link CudaLosses}; batches arrive through {@link CudaBatchStaging}.
 * Create it through {@code Ops.get("cuda")}, or directly over any {@link Device}.
 *
 * <p>{@link #close()} frees every array still alive (they report themselves closed), the batch
 * stagings still open, the stream and the device's handles. It is safe while another thread (a batch
 * producer) still works on the backend: every device call passes a gate ({@link GatedDevice}) that
 * close shuts first, waiting for the calls in progress, so no call reaches a destroyed stream or a
 * closed device; later calls fail with {@link ArrayStateException}.
 */
public final class CudaOps implements Ops {
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

    // ---- arrays (CudaArrays) ------------------------------------------------------
    @Override
    public FloatArray alloc(int... shape) {
        checkOpen();
        return arrays.alloc(shape);
    }

    @Override
    public FloatArray asArray(float[] data, int... shape) {
        checkOpen();
        return arrays.asArray(data, shape);
    }

    @Override
    public FloatArray asArray(float[][] rows) {
        checkOpen();
        return arrays.asArray(rows);
    }

    @Override
    public FloatArray asArray(float[][][] data) {
        checkOpen();
        return arrays.asArray(data);
    }

    @Override
    public FloatArray asArray(FloatArray other) {
        checkOpen();
        return arrays.asArray(other);
    }

    @Override
    public IntArray allocInts(int... shape) {
        checkOpen();
        return arrays.allocInts(shape);
    }

    @Override
    public IntArray asInts(int[] data, int... shape) {
        checkOpen();
        return arrays.asInts(data, shape);
    }

    @Override
    public IntArray asInts(int[][] rows) {
        checkOpen();
        return arrays.asInts(rows);
    }

    @Override
    public IntArray asInts(IntArray other) {
        checkOpen();
        return arrays.asInts(other);
    }

    @Override
    public FloatArray copy(FloatArray x) {
        checkOpen();
        return arrays.copy(x);
    }

    @Override
    public void copyInto(FloatArray dst, FloatArray src) {
        checkOpen();
        arrays.copyInto(dst, src);
    }

    @Override
    public void copyFromHost(FloatArray dst, float[] src, int srcOffset) {
        checkOpen();
        arrays.copyFromHost(dst, src, srcOffset);
    }

    @Override
    public void copyFromHost(IntArray dst, int[] src, int srcOffset) {
        checkOpen();
        arrays.copyFromHost(dst, src, srcOffset);
    }

    @Override
    public void fill(FloatArray x, float value) {
        checkOpen();
        arrays.fill(x, value);
    }

    @Override
    public FloatArray sliceRows(FloatArray x, int start, int end) {
        checkOpen();
        return arrays.sliceRows(x, start, end);
    }

    @Override
    public IntArray sliceRows(IntArray x, int start, int end) {
        checkOpen();
        return arrays.sliceRows(x, start, end);
    }

    @Override
    public FloatArray gatherRows(FloatArray x, IntArray rows) {
        checkOpen();
        return arrays.gatherRows(x, rows);
    }

    @Override
    public IntArray gatherRows(IntArray x, IntArray rows) {
        checkOpen();
        return arrays.gatherRows(x, rows);
    }

    @Override
    public FloatArray concatColumns(List<FloatArray> parts) {
        checkOpen();
        return arrays.concatColumns(parts);
    }

    @Override
    public FloatArray sliceColumns(FloatArray x, int start, int end) {
        checkOpen();
        return arrays.sliceColumns(x, start, end);
    }

    // ---- linear (CudaLinear) ------------------------------------------------------
    @Override
    public void gemm(FloatArray a, FloatArray b, FloatArray out, boolean transA, boolean transB, float alpha, float beta) {
        checkOpen();
        linear.gemm(a, b, out, transA, transB, alpha, beta);
    }

    @Override
    public void addBias(FloatArray y, FloatArray bias) {
        checkOpen();
        linear.addBias(y, bias);
    }

    @Override
    public void sumRows(FloatArray x, FloatArray out, boolean accumulate) {
        checkOpen();
        linear.sumRows(x, out, accumulate);
    }

    // ---- elementwise (CudaElementwise) --------------------------------------------
    @Override
    public FloatArray add(FloatArray a, FloatArray b) {
        checkOpen();
        return elementwise.add(a, b);
    }

    @Override
    public FloatArray sub(FloatArray a, FloatArray b) {
        checkOpen();
        return elementwise.sub(a, b);
    }

    @Override
    public FloatArray mul(FloatArray a, FloatArray b) {
        checkOpen();
        return elementwise.mul(a, b);
    }

    @Override
    public void addInPlace(FloatArray a, FloatArray b) {
        checkOpen();
        elementwise.addInPlace(a, b);
    }

    @Override
    public void mulInPlace(FloatArray a, FloatArray b) {
        checkOpen();
        elementwise.mulInPlace(a, b);
    }

    @Override
    public FloatArray scale(FloatArray a, float factor) {
        checkOpen();
        return elementwise.scale(a, factor);
    }

    @Override
    public void scaleInPlace(FloatArray a, float factor) {
        checkOpen();
        elementwise.scaleInPlace(a, factor);
    }

    @Override
    public void axpy(float alpha, FloatArray x, FloatArray y) {
        checkOpen();
        elementwise.axpy(alpha, x, y);
    }

    @Override
    public FloatArray sum(FloatArray x) {
        checkOpen();
        return elementwise.sum(x);
    }

    @Override
    public FloatArray sumOfSquares(FloatArray x) {
        checkOpen();
        return elementwise.sumOfSquares(x);
    }

    // ---- activations (CudaActivations) --------------------------------------------
    @Override
    public FloatArray relu(FloatArray x, boolean inplace) {
        checkOpen();
        return activations.relu(x, inplace);
    }

    @Override
    public FloatArray backpropRelu(FloatArray dY, FloatArray y, boolean inplace) {
        checkOpen();
        return activations.backpropRelu(dY, y, inplace);
    }

    @Override
    public FloatArray sigmoid(FloatArray x, boolean inplace) {
        checkOpen();
        return activations.sigmoid(x, inplace);
    }

    @Override
    public FloatArray backpropSigmoid(FloatArray dY, FloatArray y, boolean inplace) {
        checkOpen();
        return activations.backpropSigmoid(dY, y, inplace);
    }

    @Override
    public FloatArray tanh(FloatArray x, boolean inplace) {
        checkOpen();
        return activations.tanh(x, inplace);
    }

    @Override
    public FloatArray backpropTanh(FloatArray dY, FloatArray y, boolean inplace) {
        checkOpen();
        return activations.backpropTanh(dY, y, inplace);
    }

    @Override
    public FloatArray gelu(FloatArray x, boolean inplace) {
        checkOpen();
        return activations.gelu(x, inplace);
    }

    @Override
    public FloatArray backpropGelu(FloatArray dY, FloatArray x, boolean inplace) {
        checkOpen();
        return activations.backpropGelu(dY, x, inplace);
    }

    @Override
    public FloatArray swish(FloatArray x, boolean inplace) {
        checkOpen();
        return activations.swish(x, inplace);
    }

    @Override
    public FloatArray backpropSwish(FloatArray dY, FloatArray x, FloatArray y, boolean inplace) {
        checkOpen();
        return activations.backpropSwish(dY, x, y, inplace);
    }

    @Override
    public FloatArray softmax(FloatArray x, float temperature, boolean inplace) {
        checkOpen();
        return activations.softmax(x, temperature, inplace);
    }

    @Override
    public FloatArray backpropSoftmax(FloatArray y, FloatArray dY, float temperature) {
        checkOpen();
        return activations.backpropSoftmax(y, dY, temperature);
    }

    @Override
    public MaxResult maxout(FloatArray x) {
        checkOpen();
        return activations.maxout(x);
    }

    @Override
    public FloatArray backpropMaxout(FloatArray dY, IntArray which, int pieces) {
        checkOpen();
        return activations.backpropMaxout(dY, which, pieces);
    }

    @Override
    public IntArray argmax(FloatArray x) {
        checkOpen();
        return activations.argmax(x);
    }

    @Override
    public FloatArray dropoutMask(float rate, long seed, int... shape) {
        checkOpen();
        return activations.dropoutMask(rate, seed, shape);
    }

    // ---- normalization (CudaNormalization) ----------------------------------------
    @Override
    public LayerNormResult layerNorm(FloatArray x, FloatArray gain, FloatArray bias) {
        checkOpen();
        return normalization.layerNorm(x, gain, bias);
    }

    @Override
    public FloatArray backpropLayerNorm(FloatArray dY, FloatArray x, FloatArray gain, LayerNormResult forward, FloatArray dGain, FloatArray dBias) {
        checkOpen();
        return normalization.backpropLayerNorm(dY, x, gain, forward, dGain, dBias);
    }

    // ---- reductions (CudaReductions) ----------------------------------------------
    @Override
    public FloatArray reduceSum(FloatArray x, IntArray lengths) {
        checkOpen();
        return reductions.reduceSum(x, lengths);
    }

    @Override
    public FloatArray backpropReduceSum(FloatArray dY, IntArray lengths) {
        checkOpen();
        return reductions.backpropReduceSum(dY, lengths);
    }

    @Override
    public FloatArray reduceMean(FloatArray x, IntArray lengths) {
        checkOpen();
        return reductions.reduceMean(x, lengths);
    }

    @Override
    public FloatArray backpropReduceMean(FloatArray dY, IntArray lengths) {
        checkOpen();
        return reductions.backpropReduceMean(dY, lengths);
    }

    @Override
    public MaxResult reduceMax(FloatArray x, IntArray lengths) {
        checkOpen();
        return reductions.reduceMax(x, lengths);
    }

    @Override
    public FloatArray backpropReduceMax(FloatArray dY, IntArray which, IntArray lengths) {
        checkOpen();
        return reductions.backpropReduceMax(dY, which, lengths);
    }

    // ---- optimizers (CudaOptimizers) ----------------------------------------------
    @Override
    public void adam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1, float beta2, float eps, float learnRate, float modRate) {
        checkOpen();
        optimizers.adam(weights, gradient, mom1, mom2, beta1, beta2, eps, learnRate, modRate);
    }

    @Override
    public void radam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1, float beta2, float eps, float stepSize, boolean rectified) {
        checkOpen();
        optimizers.radam(weights, gradient, mom1, mom2, beta1, beta2, eps, stepSize, rectified);
    }

    @Override
    public void sgd(FloatArray weights, FloatArray gradient, float learnRate) {
        checkOpen();
        optimizers.sgd(weights, gradient, learnRate);
    }

    @Override
    public void updateAverages(FloatArray ema, FloatArray weights, int t, double maxDecay) {
        checkOpen();
        optimizers.updateAverages(ema, weights, t, maxDecay);
    }

    @Override
    public void clipGradient(FloatArray gradient, float threshold) {
        checkOpen();
        optimizers.clipGradient(gradient, threshold);
    }

    // ---- losses (CudaLosses) ------------------------------------------------------
    @Override
    public FloatArray oneHot(IntArray labels, int nClasses, float labelSmoothing) {
        checkOpen();
        return losses.oneHot(labels, nClasses, labelSmoothing);
    }

    @Override
    public FloatArray scaledDifference(FloatArray guesses, FloatArray truths, FloatArray mask, float scale) {
        checkOpen();
        return losses.scaledDifference(guesses, truths, mask, scale);
    }

    @Override
    public boolean allInRange(FloatArray x, float low, float high) {
        checkOpen();
        return losses.allInRange(x, low, high);
    }

    @Override
    public CosineDistanceResult cosineDistance(FloatArray guesses, FloatArray truths, boolean ignoreZeros, float scale) {
        checkOpen();
        return losses.cosineDistance(guesses, truths, ignoreZeros, scale);
    }
}
