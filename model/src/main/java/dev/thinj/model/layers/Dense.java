package dev.thinj.model.layers;

import dev.thinj.model.Initializer;
import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;

/** What the affine layers (Linear, Relu, Softmax, Sigmoid) share: init and the weight gradients. */
final class Dense {
    private Dense() {
    }

    /**
     * Thinc's dense init: dims from sample data, then W (Glorot uniform or zeros) and b (zeros).
     *
     * @param glorot Glorot-uniform weights (Linear, Relu); zeros otherwise (Softmax, Sigmoid)
     */
    static Initializer<FloatArray, FloatArray> init(boolean glorot) {
        return (model, x, y) -> {
            Widths.inferDims(model, x, y);
            int nO = model.getDim("nO");
            int nI = model.getDim("nI");
            Ops ops = model.ops();
            long seed = model.<Long>attr("seed");
            model.setParam("W", glorot ? Initializers.glorotUniform(ops, seed, nO, nI) : Initializers.zeros(ops, nO, nI));
            model.setParam("b", Initializers.zeros(ops, nO));
        };
    }

    /**
     * Adds {@code dW += dY^T X} and {@code db += sum(dY, 0)} in place and returns {@code dX = dY W}.
     *
     * @param dYpre the gradient of the affine output (not modified)
     */
    static FloatArray backprop(Model<FloatArray, FloatArray> model, FloatArray x, FloatArray w, FloatArray dYpre) {
        Ops ops = model.ops();
        ops.sumRows(dYpre, model.gradFor("b"), true);
        ops.gemm(dYpre, x, model.gradFor("W"), true, false, 1f, 1f);
        return ops.gemm(dYpre, w, false, false);
    }
}
