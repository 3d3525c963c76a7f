package dev.thinj.ops;

/**
 * The output of {@link NormalizationKernels#layerNorm}.
 *
 * @param output the (batch, n) normalised, scaled and shifted values
 * @param mean the per-row mean, (batch) elements
 * @param variance the per-row variance plus Thinc's epsilon 1e-8, (batch) elements
 */
public record LayerNormResult(FloatArray output, FloatArray mean, FloatArray variance) implements AutoCloseable {
    @Override
    public void close() {
        output.close();
        mean.close();
        variance.close();
    }
}
