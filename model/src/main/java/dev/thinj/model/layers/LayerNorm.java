package dev.thinj.model.layers;

import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.Ops;

/**
 * Thinc's {@code LayerNorm}: normalises each row to zero mean and unit variance (epsilon 1e-8), then
 * scales by {@code G} (ones) and shifts by {@code b} (zeros). Both run as the backend's
 * {@code layerNorm} kernels.
 */
public final class LayerNorm {
    private LayerNorm() {
    }

    /**
     * @param nI the width, or null to infer it
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nI) {
        return Model.define("layernorm", LayerNorm::forward)
                .init(LayerNorm::init)
                .dim("nI", nI).dim("nO", nI)
                .param("G").param("b")
                .build();
    }

    static void init(Model<FloatArray, FloatArray> model, FloatArray x, FloatArray y) {
        if (x != null) {
            model.setDim("nI", x.dim(-1));
            model.setDim("nO", x.dim(-1));
        } else if (y != null) {
            model.setDim("nI", y.dim(-1));
            model.setDim("nO", y.dim(-1));
        }
        int nI = model.getDim("nI");
        if (!model.hasDim("nO")) {
            model.setDim("nO", nI);
        }
        Ops ops = model.ops();
        FloatArray g = ops.alloc(nI);
        ops.fill(g, 1f);
        model.setParam("G", g);
        model.setParam("b", ops.alloc(nI));
    }

    static Result<FloatArray, FloatArray> forward(Model<FloatArray, FloatArray> model, FloatArray x, boolean isTrain) {
        Widths.checkInput(model, x);
        Ops ops = model.ops();
        FloatArray g = model.getParam("G");
        LayerNormResult fwd = ops.layerNorm(x, g, model.getParam("b"));
        return new Result<>(fwd.output(), dY -> {
            Widths.checkGradient(model, dY, x.dim(0), x.dim(1));
            return ops.backpropLayerNorm(dY, x, g, fwd, model.gradFor("G"), model.gradFor("b"));
        });
    }
}
