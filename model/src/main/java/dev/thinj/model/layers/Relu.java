package dev.thinj.model.layers;

import dev.thinj.model.Backprop;
import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;

/**
 * Thinc's {@code Relu}: {@code Y = relu(X @ W.T + b)}, Glorot-uniform weights. With {@code dropout}
 * it is {@code chain(relu, Dropout(rate))}; with {@code normalize}, a {@link LayerNorm} comes between,
 * exactly as Thinc builds it.
 */
public final class Relu {
    private Relu() {
    }

    /**
     * @param nO output width, or null to infer it
     * @param nI input width, or null to infer it
     * @param dropout a dropout rate, or null for none
     * @param normalize put a LayerNorm after the activation
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI, Float dropout, boolean normalize) {
        return of(nO, nI, null, null, dropout, normalize);
    }

    /**
     * Thinc's full {@code Relu(nO, nI, *, init_W, init_b, dropout, normalize)}.
     *
     * @param nO output width, or null to infer it
     * @param nI input width, or null to infer it
     * @param initW fills the weights; null for Glorot uniform
     * @param initB fills the bias; null for zeros
     * @param dropout a dropout rate, or null for none
     * @param normalize put a LayerNorm after the activation
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI, WeightInit initW, WeightInit initB,
            Float dropout, boolean normalize) {
        Model<FloatArray, FloatArray> relu = Dense.define("relu", Relu::forward, nO, nI, initW, initB,
                WeightInit.GLOROT_UNIFORM).build();
        return Dense.normalizeAndDrop(relu, nO, dropout, normalize);
    }

    /**
     * @param nO output width
     * @return the layer, input width inferred
     */
    public static Model<FloatArray, FloatArray> of(int nO) {
        return of(nO, null, null, false);
    }

    /**
     * @param nO output width
     * @param dropout the dropout rate applied after the activation
     * @return {@code chain(relu, Dropout(dropout))}
     */
    public static Model<FloatArray, FloatArray> of(int nO, float dropout) {
        return of(nO, null, dropout, false);
    }

    static Result<FloatArray, FloatArray> forward(Model<FloatArray, FloatArray> model, FloatArray x, boolean isTrain) {
        Widths.checkInput(model, x);
        Ops ops = model.ops();
        FloatArray w = model.getParam("W");
        FloatArray y = ops.relu(ops.affine(x, w, model.getParam("b")), true);
        return new Result<>(y, Backprop.skippable((dY, wantInput) -> {
            Widths.checkGradient(model, dY, y.dim(0), y.dim(1));
            FloatArray dPre = ops.backpropRelu(dY, y, false);
            return Dense.backprop(model, x, w, dPre, wantInput);
        }));
    }
}
