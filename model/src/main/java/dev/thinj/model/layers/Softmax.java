package dev.thinj.model.layers;

import dev.thinj.model.Backprop;
import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ThinjException;

/**
 * Thinc's {@code Softmax} (v2): {@code Y = softmax((X @ W.T + b) / temperature)} with zero-initialised
 * weights.
 *
 * <p>As in Thinc, the backward pass takes the gradient with respect to the <em>logits</em>, not the
 * probabilities: paired with categorical cross-entropy, whose gradient is {@code guesses - truths},
 * that is the exact gradient. It divides by the temperature and backpropagates through the affine
 * part only. With {@code normalizeOutputs = false}, prediction returns unnormalised logits and
 * backprop is an error (training always normalises), as Thinc's.
 */
public final class Softmax {
    private Softmax() {
    }

    /**
     * @param nO output width, or null to infer it
     * @param nI input width, or null to infer it
     * @param normalizeOutputs apply softmax when predicting (training always does)
     * @param temperature divides the logits; must be positive
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI, boolean normalizeOutputs, float temperature) {
        return of(nO, nI, null, null, normalizeOutputs, temperature);
    }

    /**
     * Thinc's full {@code Softmax_v2(nO, nI, *, init_W, init_b, normalize_outputs, temperature)}.
     *
     * @param nO output width, or null to infer it
     * @param nI input width, or null to infer it
     * @param initW fills the weights; null for zeros
     * @param initB fills the bias; null for zeros
     * @param normalizeOutputs apply softmax when predicting (training always does)
     * @param temperature divides the logits; must be positive
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI, WeightInit initW, WeightInit initB,
            boolean normalizeOutputs, float temperature) {
        validateTemperature(temperature);
        return Dense.define("softmax", Softmax::forward, nO, nI, initW, initB, WeightInit.ZEROS)
                .attr("softmax_normalize", normalizeOutputs)
                .attr("softmax_temperature", temperature)
                .build();
    }

    /**
     * @param nO output width, or null to infer it
     * @param nI input width, or null to infer it
     * @return the layer, normalising, at temperature 1
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI) {
        return of(nO, nI, true, 1f);
    }

    /**
     * @param nO output width
     * @return the layer, input width inferred
     */
    public static Model<FloatArray, FloatArray> of(int nO) {
        return of(nO, null);
    }

    /** @return the layer with both widths inferred at initialisation */
    public static Model<FloatArray, FloatArray> of() {
        return of(null, null);
    }

    static Result<FloatArray, FloatArray> forward(Model<FloatArray, FloatArray> model, FloatArray x, boolean isTrain) {
        Widths.checkInput(model, x);
        boolean normalize = model.<Boolean>attr("softmax_normalize") || isTrain;
        float temperature = model.<Float>attr("softmax_temperature");
        validateTemperature(temperature);
        Ops ops = model.ops();
        FloatArray w = model.getParam("W");
        FloatArray y = ops.affine(x, w, model.getParam("b"));
        if (normalize) {
            ops.softmax(y, temperature, true);
        }
        int rows = y.dim(0);
        int cols = y.dim(1);
        return new Result<>(y, Backprop.skippable((dY, wantInput) -> {
            if (!normalize) {
                throw new ThinjException("Layer '" + model.name()
                        + "': backprop is not supported for an unnormalized Softmax layer");
            }
            Widths.checkGradient(model, dY, rows, cols);
            FloatArray dLogits = temperature != 1f ? ops.scale(dY, 1f / temperature) : dY;
            return Dense.backprop(model, x, w, dLogits, wantInput);
        }));
    }

    private static void validateTemperature(float temperature) {
        if (!(temperature > 0f)) {
            throw new IllegalArgumentException("Softmax: temperature must not be zero or negative, got " + temperature);
        }
    }
}
