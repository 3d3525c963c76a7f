package dev.thinj.ops.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.LayerNormResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link dev.thinj.ops.NormalizationKernels}: Thinc's layer normalisation, forward and backward. */
abstract class NormalizationContract extends KernelContract {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#matrices")
    void layerNormForward(int[] shape) {
        String what = what("layerNorm", shape);
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray x = rnd.uniform(shape, -2f, 3f);
        HostArray gain = rnd.uniform(new int[] {shape[1]}, 0.5f, 1.5f);
        HostArray bias = rnd.uniform(shape[1]);
        FloatArray dx = up(x);
        FloatArray dg = up(gain);
        FloatArray db = up(bias);

        LayerNormResult r = ops().layerNorm(dx, dg, db);

        NormalizationReference.LayerNorm expected = NormalizationReference.layerNorm(x, gain, bias);
        Approx.REDUCTION.assertClose(what + " output", expected.output(), r.output());
        // The mean and variance are per row; their exact shape ((batch) or (batch, 1)) is left open.
        Approx.REDUCTION.assertValues(what + " mean", expected.mean(), null, r.mean().toFloatArray());
        Approx.REDUCTION.assertValues(what + " variance", expected.variance(), null, r.variance().toFloatArray());
        assertUnchanged(what, "x", x, dx);
        assertUnchanged(what, "gain", gain, dg);
        assertUnchanged(what, "bias", bias, db);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.thinj.ops.conformance.ConformanceShapes#matrices")
    void backpropLayerNormAccumulatesParamGradients(int[] shape) {
        String what = what("backpropLayerNorm", shape);
        RandomArrays rnd = RandomArrays.forCase(what, shape);
        HostArray x = rnd.uniform(shape, -2f, 3f);
        HostArray gain = rnd.uniform(new int[] {shape[1]}, 0.5f, 1.5f);
        HostArray bias = rnd.uniform(shape[1]);
        HostArray dY = rnd.uniform(shape);
        HostArray dGainBefore = rnd.uniform(shape[1]);
        HostArray dBiasBefore = rnd.uniform(shape[1]);
        FloatArray dx = up(x);
        FloatArray dg = up(gain);
        FloatArray ddY = up(dY);
        FloatArray dGain = up(dGainBefore);
        FloatArray dBias = up(dBiasBefore);
        LayerNormResult forward = ops().layerNorm(dx, dg, up(bias));
        // Use the backend's own moments so that only the backward pass is measured here.
        HostArray mean = HostArray.of(forward.mean());
        HostArray variance = HostArray.of(forward.variance());

        FloatArray dX = ops().backpropLayerNorm(ddY, dx, dg, forward, dGain, dBias);

        NormalizationReference.LayerNormGrads expected = NormalizationReference.backpropLayerNorm(dY, x, gain, mean, variance, dGainBefore, dBiasBefore);
        Scales scales = scales(dY, x, gain, mean, variance, dGainBefore, dBiasBefore);
        Approx.REDUCTION.assertClose(what + " dX", expected.dX(), scales.dX(), dX);
        Approx.REDUCTION.assertClose(what + " dGain", expected.dGain(), scales.dGain(), dGain);
        Approx.REDUCTION.assertClose(what + " dBias", expected.dBias(), scales.dBias(), dBias);
        assertUnchanged(what, "dY", dY, ddY);
        assertUnchanged(what, "x", x, dx);
        assertUnchanged(what, "gain", gain, dg);
    }

    private record Scales(HostArray dX, HostArray dGain, HostArray dBias) {
    }

    /**
     * The size of the terms that cancel in each output, so the tolerance can follow float32's
     * unavoidable rounding of them: every term of the backward formula taken by absolute value.
     */
    private static Scales scales(HostArray dY, HostArray x, HostArray gain, HostArray mean, HostArray variance,
            HostArray dGain, HostArray dBias) {
        int rows = x.dim(0);
        int n = x.dim(1);
        double[] sx = new double[x.size()];
        double[] sg = dGain.abs().data();
        double[] sb = dBias.abs().data();
        for (int i = 0; i < rows; i++) {
            double v = variance.data()[i];
            double sumDy = 0;
            double sumDyDist = 0;
            for (int j = 0; j < n; j++) {
                double dist = Math.abs(x.at(i, j) - mean.data()[i]);
                double dyG = Math.abs(dY.at(i, j) * gain.data()[j]);
                sg[j] += Math.abs(dY.at(i, j)) * dist / Math.sqrt(v);
                sb[j] += Math.abs(dY.at(i, j));
                sumDy += dyG;
                sumDyDist += dyG * dist;
            }
            for (int j = 0; j < n; j++) {
                double dist = Math.abs(x.at(i, j) - mean.data()[i]);
                double dyG = Math.abs(dY.at(i, j) * gain.data()[j]);
                sx[i * n + j] = (n * dyG + sumDy + dist / v * sumDyDist) / (n * Math.sqrt(v));
            }
        }
        return new Scales(new HostArray(sx, x.shape()), new HostArray(sg, dGain.shape()), new HostArray(sb, dBias.shape()));
    }

    @Test
    void constantRowsNormaliseToTheBias() {
        // Variance 0: only Thinc's epsilon (1e-8) keeps Xhat = 0 / sqrt(1e-8) = 0 instead of NaN.
        FloatArray x = ops().asArray(new float[] {3f, 3f, 3f, -1.5f, -1.5f, -1.5f}, 2, 3);
        FloatArray gain = ops().asArray(new float[] {2f, 2f, 2f});
        FloatArray bias = ops().asArray(new float[] {0.5f, -1f, 0f});
        LayerNormResult r = ops().layerNorm(x, gain, bias);
        assertThat(r.output().toFloatArray()).as("layerNorm of constant rows").containsExactly(0.5f, -1f, 0f, 0.5f, -1f, 0f);
        assertThat(r.variance().toFloatArray()).as("layerNorm variance of constant rows is the epsilon")
                .containsExactly(new float[] {1e-8f, 1e-8f}, offset(1e-12f));
        FloatArray dX = ops().backpropLayerNorm(ops().asArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), x, gain, r,
                ops().alloc(3), ops().alloc(3));
        assertThat(dX.toFloatArray()).as("backpropLayerNorm of constant rows is finite").doesNotContain(Float.NaN);
    }

    @Test
    void layerNormRejectsMismatchedShapes() {
        FloatArray x = ops().alloc(4, 3);
        Rejects.badInput("layerNorm gain (4,) for width 3", () -> ops().layerNorm(x, ops().alloc(4), ops().alloc(3)), "layerNorm");
        Rejects.badInput("layerNorm bias (2,) for width 3", () -> ops().layerNorm(x, ops().alloc(3), ops().alloc(2)), "layerNorm");
        Rejects.badInput("layerNorm of a 1-d array", () -> ops().layerNorm(ops().alloc(3), ops().alloc(3), ops().alloc(3)),
                "layerNorm");
        LayerNormResult forward = ops().layerNorm(x, ops().alloc(3), ops().alloc(3));
        Rejects.badInput("backpropLayerNorm dY (4, 2) for x (4, 3)",
                () -> ops().backpropLayerNorm(ops().alloc(4, 2), x, ops().alloc(3), forward, ops().alloc(3), ops().alloc(3)),
                "backpropLayerNorm");
        Rejects.badInput("backpropLayerNorm dGain (2,) for width 3",
                () -> ops().backpropLayerNorm(ops().alloc(4, 3), x, ops().alloc(3), forward, ops().alloc(2), ops().alloc(3)),
                "backpropLayerNorm");
        LayerNormResult otherBatch = ops().layerNorm(ops().alloc(5, 3), ops().alloc(3), ops().alloc(3));
        Rejects.badInput("backpropLayerNorm with the moments of a (5, 3) batch",
                () -> ops().backpropLayerNorm(ops().alloc(4, 3), x, ops().alloc(3), otherBatch, ops().alloc(3), ops().alloc(3)),
                "backpropLayerNorm");
    }
}
