package dev.thinj.ops;

/** Layer normalisation, as Thinc's {@code LayerNorm} layer computes it. */
public interface NormalizationKernels {
    /**
     * Normalises each row to zero mean and unit variance, then scales and shifts:
     * {@code mu = mean(X, 1)}, {@code var = var(X, 1) + 1e-8}, {@code Xhat = (X - mu) / sqrt(var)},
     * {@code Y = Xhat * G + b}.
     *
     * @param x (batch, n) inputs (not modified)
     * @param gain G, n elements (not modified)
     * @param bias b, n elements (not modified)
     * @return the outputs and the per-row mean and variance (epsilon included) the backward needs
     */
    LayerNormResult layerNorm(FloatArray x, FloatArray gain, FloatArray bias);

    /**
     * The backward pass of {@link #layerNorm}: adds {@code sum(dY * Xhat, 0)} into {@code dGain} and
     * {@code sum(dY, 0)} into {@code dBias}, and returns
     * {@code dX = (n * dY' - sum(dY') - (X - mu) / var * sum(dY' * (X - mu))) / (n * sqrt(var))}
     * with {@code dY' = dY * G}.
     *
     * @param dY (batch, n) gradient of the outputs (not modified)
     * @param x the forward inputs (not modified)
     * @param gain G (not modified)
     * @param forward the forward result whose mean and variance to use (not modified)
     * @param dGain gradient of G (modified: accumulated)
     * @param dBias gradient of b (modified: accumulated)
     * @return a new (batch, n) gradient of the inputs
     */
    FloatArray backpropLayerNorm(FloatArray dY, FloatArray x, FloatArray gain, LayerNormResult forward,
            FloatArray dGain, FloatArray dBias);
}
