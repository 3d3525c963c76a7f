package dev.thinj.model.layers;

import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.List;

/**
 * Thinc's {@code residual}: {@code Y = X + layer(X)}; the input gradient is the output gradient plus
 * the layer's input gradient.
 */
public final class Residual {
    private Residual() {
    }

    /**
     * @param layer a layer whose output has the input's shape
     * @return the residual block
     */
    public static Model<FloatArray, FloatArray> of(Model<FloatArray, FloatArray> layer) {
        return Model.define("residual(" + layer.name() + ")", Residual::forward)
                .init(Residual::init)
                .dim("nO", layer.hasDim("nO") ? layer.getDim("nO") : null)
                .dim("nI", layer.hasDim("nI") ? layer.getDim("nI") : null)
                .layers(List.of(layer))
                .build();
    }

    static Result<FloatArray, FloatArray> forward(Model<FloatArray, FloatArray> model, FloatArray x, boolean isTrain) {
        Ops ops = model.ops();
        Model<FloatArray, FloatArray> layer = model.layer(0);
        Result<FloatArray, FloatArray> r = layer.apply(x, isTrain);
        FloatArray y = ops.add(x, r.output());
        return new Result<>(y, dY -> {
            FloatArray dX = r.backprop().apply(dY);
            return ops.add(dY, dX);
        });
    }

    static void init(Model<FloatArray, FloatArray> model, FloatArray x, FloatArray y) {
        Model<FloatArray, FloatArray> layer = model.layer(0);
        boolean nOUnset = layer.dimNames().contains("nO") && !layer.hasDim("nO");
        layer.initialize(x, nOUnset ? y : null);
        if (layer.hasDim("nO")) {
            model.setDim("nO", layer.getDim("nO"));
        }
        if (layer.hasDim("nI")) {
            model.setDim("nI", layer.getDim("nI"));
        }
    }
}
