package dev.thinj.ops.conformance;


/**
 * Float64 references for layer normalisation ({@link dev.thinj.ops.NormalizationKernels}), written from the kernels' Javadoc and Thinc 8.1.7. Plain loops, checkable
 * by eye; nothing modifies its arguments (an in-place kernel's reference returns the new values).
 */
public final class NormalizationReference {
    /** Thinc's layer-norm variance epsilon. */
    static final double LAYER_NORM_EPS = 1e-8;

    private NormalizationReference() {
    }


    /**
     * The forward pass of layer normalisation.
     *
     * @param output {@code Xhat * G + b}
     * @param mean per-row mean
     * @param variance per-row population variance plus 1e-8
     */
    public record LayerNorm(HostArray output, HostArray mean, HostArray variance) {
    }

    /**
     * @param x (batch, n)
     * @param gain (n)
     * @param bias (n)
     * @return Thinc's LayerNorm forward
     */
    public static LayerNorm layerNorm(HostArray x, HostArray gain, HostArray bias) {
        int rows = x.dim(0);
        int n = x.dim(1);
        double[] out = new double[x.size()];
        double[] mean = new double[rows];
        double[] var = new double[rows];
        for (int i = 0; i < rows; i++) {
            double mu = 0;
            for (int j = 0; j < n; j++) {
                mu += x.at(i, j);
            }
            mu /= n;
            double v = 0;
            for (int j = 0; j < n; j++) {
                double d = x.at(i, j) - mu;
                v += d * d;
            }
            v = v / n + LAYER_NORM_EPS;
            mean[i] = mu;
            var[i] = v;
            for (int j = 0; j < n; j++) {
                double xhat = (x.at(i, j) - mu) / Math.sqrt(v);
                out[i * n + j] = xhat * gain.data()[j] + bias.data()[j];
            }
        }
        return new LayerNorm(new HostArray(out, x.shape().clone()), new HostArray(mean, new int[] {rows}),
                new HostArray(var, new int[] {rows}));
    }

    /**
     * The backward pass of layer normalisation.
     *
     * @param dX gradient of the inputs
     * @param dGain the gain gradient after accumulation
     * @param dBias the bias gradient after accumulation
     */
    public record LayerNormGrads(HostArray dX, HostArray dGain, HostArray dBias) {
    }

    /**
     * Thinc's LayerNorm backward, using the forward's mean and variance as given.
     *
     * @param dY (batch, n)
     * @param x the forward inputs
     * @param gain G
     * @param mean the forward's per-row mean
     * @param variance the forward's per-row variance, epsilon included
     * @param dGain the gain gradient before (accumulated into a copy)
     * @param dBias the bias gradient before (accumulated into a copy)
     * @return dX and the accumulated gradients
     */
    public static LayerNormGrads backpropLayerNorm(HostArray dY, HostArray x, HostArray gain, HostArray mean,
            HostArray variance, HostArray dGain, HostArray dBias) {
        int rows = x.dim(0);
        int n = x.dim(1);
        double[] dx = new double[x.size()];
        double[] dg = dGain.data().clone();
        double[] db = dBias.data().clone();
        for (int i = 0; i < rows; i++) {
            double mu = mean.data()[i];
            double v = variance.data()[i];
            double sumDy = 0;
            double sumDyDist = 0;
            for (int j = 0; j < n; j++) {
                double dy = dY.at(i, j);
                double dist = x.at(i, j) - mu;
                dg[j] += dy * dist / Math.sqrt(v);
                db[j] += dy;
                double dyG = dy * gain.data()[j];
                sumDy += dyG;
                sumDyDist += dyG * dist;
            }
            for (int j = 0; j < n; j++) {
                double dyG = dY.at(i, j) * gain.data()[j];
                double dist = x.at(i, j) - mu;
                dx[i * n + j] = (n * dyG - sumDy - dist / v * sumDyDist) / (n * Math.sqrt(v));
            }
        }
        return new LayerNormGrads(new HostArray(dx, x.shape().clone()), new HostArray(dg, dGain.shape().clone()),
                new HostArray(db, dBias.shape().clone()));
    }
}
