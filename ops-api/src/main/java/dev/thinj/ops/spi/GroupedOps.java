package dev.thinj.ops.spi;

import dev.thinj.ops.ActivationKernels;
import dev.thinj.ops.ArrayKernels;
import dev.thinj.ops.CosineDistanceResult;
import dev.thinj.ops.ElementwiseKernels;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.LinearKernels;
import dev.thinj.ops.LossKernels;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.NormalizationKernels;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OptimizerKernels;
import dev.thinj.ops.ReductionKernels;
import java.util.List;

/**
 * An {@link Ops} assembled from one object per kernel group: a backend writes its kernels in eight
 * classes named for the SPI's groups ({@code CpuLinear implements LinearKernels}, {@code CudaLinear
 * implements LinearKernels}, ...) and a small subclass of this that answers the group accessors and
 * the backend's own methods (name, description, synchronize, batch staging, close). So the same
 * kernel sits in the same-named file of every backend, and this class is the only place that routes
 * a call to its group.
 *
 * <p>Each accessor is called once per kernel call, which makes it the place for checks every kernel
 * needs (a closed backend refuses calls there). The JIT inlines the hop: the routing costs nothing
 * measurable next to a kernel.
 */
public abstract class GroupedOps implements Ops {
    /** @return the kernels that create, copy and reshape arrays */
    protected abstract ArrayKernels arrays();

    /** @return matrix products and bias operations */
    protected abstract LinearKernels linear();

    /** @return elementwise arithmetic and whole-array sums */
    protected abstract ElementwiseKernels elementwise();

    /** @return activations, softmax, maxout, argmax and dropout masks */
    protected abstract ActivationKernels activations();

    /** @return layer normalisation */
    protected abstract NormalizationKernels normalization();

    /** @return per-sequence reductions */
    protected abstract ReductionKernels reductions();

    /** @return fused optimizer updates, averages and gradient clipping */
    protected abstract OptimizerKernels optimizers();

    /** @return loss gradients and targets */
    protected abstract LossKernels losses();

    // ---- ArrayKernels -----------------------------------------------------------------------------------

    @Override
    public final FloatArray alloc(int... shape) {
        return arrays().alloc(shape);
    }

    @Override
    public final FloatArray empty(int... shape) {
        return arrays().empty(shape);
    }

    @Override
    public final FloatArray asArray(float[] data, int... shape) {
        return arrays().asArray(data, shape);
    }

    @Override
    public final FloatArray asArray(float[][] rows) {
        return arrays().asArray(rows);
    }

    @Override
    public final FloatArray asArray(float[][][] data) {
        return arrays().asArray(data);
    }

    @Override
    public final FloatArray asArray(FloatArray other) {
        return arrays().asArray(other);
    }

    @Override
    public final IntArray allocInts(int... shape) {
        return arrays().allocInts(shape);
    }

    @Override
    public final IntArray asInts(int[] data, int... shape) {
        return arrays().asInts(data, shape);
    }

    @Override
    public final IntArray asInts(int[][] rows) {
        return arrays().asInts(rows);
    }

    @Override
    public final IntArray asInts(IntArray other) {
        return arrays().asInts(other);
    }

    @Override
    public final FloatArray copy(FloatArray x) {
        return arrays().copy(x);
    }

    @Override
    public final void copyInto(FloatArray dst, FloatArray src) {
        arrays().copyInto(dst, src);
    }

    @Override
    public final void copyFromHost(FloatArray dst, float[] src, int srcOffset) {
        arrays().copyFromHost(dst, src, srcOffset);
    }

    @Override
    public final void copyFromHost(IntArray dst, int[] src, int srcOffset) {
        arrays().copyFromHost(dst, src, srcOffset);
    }

    @Override
    public final void fill(FloatArray x, float value) {
        arrays().fill(x, value);
    }

    @Override
    public final FloatArray sliceRows(FloatArray x, int start, int end) {
        return arrays().sliceRows(x, start, end);
    }

    @Override
    public final IntArray sliceRows(IntArray x, int start, int end) {
        return arrays().sliceRows(x, start, end);
    }

    @Override
    public final FloatArray gatherRows(FloatArray x, IntArray rows) {
        return arrays().gatherRows(x, rows);
    }

    @Override
    public final IntArray gatherRows(IntArray x, IntArray rows) {
        return arrays().gatherRows(x, rows);
    }

    @Override
    public final FloatArray concatColumns(List<FloatArray> parts) {
        return arrays().concatColumns(parts);
    }

    @Override
    public final FloatArray sliceColumns(FloatArray x, int start, int end) {
        return arrays().sliceColumns(x, start, end);
    }

    // ---- LinearKernels ----------------------------------------------------------------------------------

    @Override
    public final void gemm(FloatArray a, FloatArray b, FloatArray out, boolean transA, boolean transB, float alpha,
            float beta) {
        linear().gemm(a, b, out, transA, transB, alpha, beta);
    }

    @Override
    public final void addBias(FloatArray y, FloatArray bias) {
        linear().addBias(y, bias);
    }

    @Override
    public final void sumRows(FloatArray x, FloatArray out, boolean accumulate) {
        linear().sumRows(x, out, accumulate);
    }

    // ---- ElementwiseKernels -----------------------------------------------------------------------------

    @Override
    public final FloatArray add(FloatArray a, FloatArray b) {
        return elementwise().add(a, b);
    }

    @Override
    public final FloatArray sub(FloatArray a, FloatArray b) {
        return elementwise().sub(a, b);
    }

    @Override
    public final FloatArray mul(FloatArray a, FloatArray b) {
        return elementwise().mul(a, b);
    }

    @Override
    public final void addInPlace(FloatArray a, FloatArray b) {
        elementwise().addInPlace(a, b);
    }

    @Override
    public final void mulInPlace(FloatArray a, FloatArray b) {
        elementwise().mulInPlace(a, b);
    }

    @Override
    public final FloatArray scale(FloatArray a, float factor) {
        return elementwise().scale(a, factor);
    }

    @Override
    public final void scaleInPlace(FloatArray a, float factor) {
        elementwise().scaleInPlace(a, factor);
    }

    @Override
    public final void axpy(float alpha, FloatArray x, FloatArray y) {
        elementwise().axpy(alpha, x, y);
    }

    @Override
    public final FloatArray sum(FloatArray x) {
        return elementwise().sum(x);
    }

    @Override
    public final FloatArray sumOfSquares(FloatArray x) {
        return elementwise().sumOfSquares(x);
    }

    // ---- ActivationKernels ------------------------------------------------------------------------------

    @Override
    public final FloatArray relu(FloatArray x, boolean inplace) {
        return activations().relu(x, inplace);
    }

    @Override
    public final FloatArray backpropRelu(FloatArray dY, FloatArray y, boolean inplace) {
        return activations().backpropRelu(dY, y, inplace);
    }

    @Override
    public final FloatArray sigmoid(FloatArray x, boolean inplace) {
        return activations().sigmoid(x, inplace);
    }

    @Override
    public final FloatArray backpropSigmoid(FloatArray dY, FloatArray y, boolean inplace) {
        return activations().backpropSigmoid(dY, y, inplace);
    }

    @Override
    public final FloatArray tanh(FloatArray x, boolean inplace) {
        return activations().tanh(x, inplace);
    }

    @Override
    public final FloatArray backpropTanh(FloatArray dY, FloatArray y, boolean inplace) {
        return activations().backpropTanh(dY, y, inplace);
    }

    @Override
    public final FloatArray gelu(FloatArray x, boolean inplace) {
        return activations().gelu(x, inplace);
    }

    @Override
    public final FloatArray backpropGelu(FloatArray dY, FloatArray x, boolean inplace) {
        return activations().backpropGelu(dY, x, inplace);
    }

    @Override
    public final FloatArray swish(FloatArray x, boolean inplace) {
        return activations().swish(x, inplace);
    }

    @Override
    public final FloatArray backpropSwish(FloatArray dY, FloatArray x, FloatArray y, boolean inplace) {
        return activations().backpropSwish(dY, x, y, inplace);
    }

    @Override
    public final FloatArray softmax(FloatArray x, float temperature, boolean inplace) {
        return activations().softmax(x, temperature, inplace);
    }

    @Override
    public final FloatArray backpropSoftmax(FloatArray y, FloatArray dY, float temperature) {
        return activations().backpropSoftmax(y, dY, temperature);
    }

    @Override
    public final MaxResult maxout(FloatArray x) {
        return activations().maxout(x);
    }

    @Override
    public final FloatArray backpropMaxout(FloatArray dY, IntArray which, int pieces) {
        return activations().backpropMaxout(dY, which, pieces);
    }

    @Override
    public final IntArray argmax(FloatArray x) {
        return activations().argmax(x);
    }

    @Override
    public final FloatArray dropoutMask(float rate, long seed, int... shape) {
        return activations().dropoutMask(rate, seed, shape);
    }

    // ---- NormalizationKernels ---------------------------------------------------------------------------

    @Override
    public final LayerNormResult layerNorm(FloatArray x, FloatArray gain, FloatArray bias) {
        return normalization().layerNorm(x, gain, bias);
    }

    @Override
    public final FloatArray backpropLayerNorm(FloatArray dY, FloatArray x, FloatArray gain, LayerNormResult forward,
            FloatArray dGain, FloatArray dBias) {
        return normalization().backpropLayerNorm(dY, x, gain, forward, dGain, dBias);
    }

    // ---- ReductionKernels -------------------------------------------------------------------------------

    @Override
    public final FloatArray reduceSum(FloatArray x, IntArray lengths) {
        return reductions().reduceSum(x, lengths);
    }

    @Override
    public final FloatArray backpropReduceSum(FloatArray dY, IntArray lengths) {
        return reductions().backpropReduceSum(dY, lengths);
    }

    @Override
    public final FloatArray reduceMean(FloatArray x, IntArray lengths) {
        return reductions().reduceMean(x, lengths);
    }

    @Override
    public final FloatArray backpropReduceMean(FloatArray dY, IntArray lengths) {
        return reductions().backpropReduceMean(dY, lengths);
    }

    @Override
    public final MaxResult reduceMax(FloatArray x, IntArray lengths) {
        return reductions().reduceMax(x, lengths);
    }

    @Override
    public final FloatArray backpropReduceMax(FloatArray dY, IntArray which, IntArray lengths) {
        return reductions().backpropReduceMax(dY, which, lengths);
    }

    // ---- OptimizerKernels -------------------------------------------------------------------------------

    @Override
    public final void adam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1,
            float beta2, float eps, float learnRate, float modRate) {
        optimizers().adam(weights, gradient, mom1, mom2, beta1, beta2, eps, learnRate, modRate);
    }

    @Override
    public final void adamUpdate(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2,
            FloatArray averages, float beta1, float beta2, float eps, float learnRate, float modRate, float weightDecay,
            float averagesRate) {
        optimizers().adamUpdate(weights, gradient, mom1, mom2, averages, beta1, beta2, eps, learnRate, modRate,
                weightDecay, averagesRate);
    }

    @Override
    public final void radam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1,
            float beta2, float eps, float stepSize, boolean rectified) {
        optimizers().radam(weights, gradient, mom1, mom2, beta1, beta2, eps, stepSize, rectified);
    }

    @Override
    public final void sgd(FloatArray weights, FloatArray gradient, float learnRate) {
        optimizers().sgd(weights, gradient, learnRate);
    }

    @Override
    public final void updateAverages(FloatArray ema, FloatArray weights, int t, double maxDecay) {
        optimizers().updateAverages(ema, weights, t, maxDecay);
    }

    @Override
    public final void clipGradient(FloatArray gradient, float threshold) {
        optimizers().clipGradient(gradient, threshold);
    }

    // ---- LossKernels ------------------------------------------------------------------------------------

    @Override
    public final FloatArray oneHot(IntArray labels, int nClasses, float labelSmoothing) {
        return losses().oneHot(labels, nClasses, labelSmoothing);
    }

    @Override
    public final FloatArray scaledDifference(FloatArray guesses, FloatArray truths, FloatArray mask, float scale) {
        return losses().scaledDifference(guesses, truths, mask, scale);
    }

    @Override
    public final boolean allInRange(FloatArray x, float low, float high) {
        return losses().allInRange(x, low, high);
    }

    @Override
    public final CosineDistanceResult cosineDistance(FloatArray guesses, FloatArray truths, boolean ignoreZeros,
            float scale) {
        return losses().cosineDistance(guesses, truths, ignoreZeros, scale);
    }
}
