package dev.thinj.model.layers;

import dev.thinj.model.Backprop;
import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;

/**
 * Thinc's {@code Linear}: {@code Y = X @ W.T + b} with {@code W} of shape (nO, nI), Glorot-uniform
 * initialised, and {@code b} zeros.
 */
public final class Linear {
    private Linear() {
    }

    /**
     * @param nO output width, or null to infer it at initialisation
     * @param nI input width, or null to infer it at initialisation
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI) {
        return of(nO, nI, null, null);
    }

    /**
     * Thinc's full {@code Linear(nO, nI, *, init_W, init_b)}.
     *
     * @param nO output width, or null to infer it at initialisation
     * @param nI input width, or null to infer it at initialisation
     * @param initW fills the weights; null for Glorot uniform
     * @param initB fills the bias; null for zeros
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI, WeightInit initW, WeightInit initB) {
        return Dense.define("linear", Linear::forward, nO, nI, initW, initB, WeightInit.GLOROT_UNIFORM).build();
    }

    /**
     * @param nO output width
     * @return the layer, its input width inferred at initialisation
     */
    public static Model<FloatArray, FloatArray> of(int nO) {
        return of(nO, null);
    }

    static Result<FloatArray, FloatArray> forward(Model<FloatArray, FloatArray> model, FloatArray x, boolean isTrain) {
        Widths.checkInput(model, x);
        Ops ops = model.ops();
        FloatArray w = model.getParam("W");
        FloatArray y = ops.affine(x, w, model.getParam("b"));
        int rows = y.dim(0);
        int cols = y.dim(1);
        return new Result<>(y, Backprop.skippable((dY, wantInput) -> {
            Widths.checkGradient(model, dY, rows, cols);
            return Dense.backprop(model, x, w, dY, wantInput);
        }));
    }
}
