package dev.thinj.model.layers;

import dev.thinj.model.Backprop;
import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;

/**
 * Thinc's {@code Sigmoid}: {@code Y = sigmoid(X @ W.T + b)} with zero-initialised weights, the usual
 * output layer for multi-label classification.
 */
public final class Sigmoid {
    private Sigmoid() {
    }

    /**
     * @param nO output width, or null to infer it
     * @param nI input width, or null to infer it
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI) {
        return of(nO, nI, null, null);
    }

    /**
     * Thinc's full {@code Sigmoid(nO, nI, *, init_W, init_b)}.
     *
     * @param nO output width, or null to infer it
     * @param nI input width, or null to infer it
     * @param initW fills the weights; null for zeros
     * @param initB fills the bias; null for zeros
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI, WeightInit initW, WeightInit initB) {
        return Dense.define("sigmoid", Sigmoid::forward, nO, nI, initW, initB, WeightInit.ZEROS).build();
    }

    static Result<FloatArray, FloatArray> forward(Model<FloatArray, FloatArray> model, FloatArray x, boolean isTrain) {
        Widths.checkInput(model, x);
        Ops ops = model.ops();
        FloatArray w = model.getParam("W");
        FloatArray y = ops.sigmoid(ops.affine(x, w, model.getParam("b")), true);
        return new Result<>(y, Backprop.skippable((dY, wantInput) -> {
            Widths.checkGradient(model, dY, y.dim(0), y.dim(1));
            return Dense.backprop(model, x, w, ops.backpropSigmoid(dY, y, false), wantInput);
        }));
    }
}
