package dev.thinj.model.layers;

import dev.thinj.model.Forward;
import dev.thinj.model.Initializer;
import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;

/** What the affine layers (Linear, Relu, Softmax, Sigmoid) share: init and the weight gradients. */
final class Dense {
    private Dense() {
    }

    /**
     * The part every dense layer shares, Thinc's {@code Model(name, forward, init=..., dims={"nO": nO,
     * "nI": nI}, params={"W": None, "b": None})} plus the layer's seed; the layer adds its attrs and
     * builds.
     *
     * @param defaultW the weights' initialiser when {@code initW} is null
     */
    static Model.Builder<FloatArray, FloatArray> define(String name, Forward<FloatArray, FloatArray> forward,
            Integer nO, Integer nI, WeightInit initW, WeightInit initB, WeightInit defaultW) {
        return Model.define(name, forward)
                .init(init(initW, initB, defaultW))
                .dim("nO", nO).dim("nI", nI)
                .param("W").param("b")
                .attr("seed", RandomSeeds.next());
    }

    /**
     * Thinc's tail of {@code Relu} and {@code Maxout}: a {@link LayerNorm} after the activation when
     * {@code normalize}, then {@link Dropout} when a rate is given.
     */
    static Model<FloatArray, FloatArray> normalizeAndDrop(Model<FloatArray, FloatArray> model, Integer nO,
            Float dropout, boolean normalize) {
        if (normalize) {
            model = Chain.of(model, LayerNorm.of(nO));
        }
        if (dropout != null) {
            model = Chain.of(model, Dropout.of(dropout));
        }
        return model;
    }

    /**
     * Thinc's dense init: dims from sample data, then W of shape (nO, nI) and b of shape (nO).
     *
     * @param initW fills W; null for {@code defaultW}
     * @param initB fills b; null for zeros
     * @param defaultW Glorot uniform (Linear, Relu) or zeros (Softmax, Sigmoid), as Thinc's defaults
     */
    static Initializer<FloatArray, FloatArray> init(WeightInit initW, WeightInit initB, WeightInit defaultW) {
        WeightInit w = initW != null ? initW : defaultW;
        WeightInit b = initB != null ? initB : WeightInit.ZEROS;
        return (model, x, y) -> {
            Widths.inferDims(model, x, y);
            int nO = model.getDim("nO");
            int nI = model.getDim("nI");
            Ops ops = model.ops();
            long seed = model.<Long>attr("seed");
            model.setParam("W", w.init(ops, seed, nO, nI));
            model.setParam("b", b.init(ops, biasSeed(seed), nO));
        };
    }

    /** A seed for the bias that differs from the weights' (a random bias init must not mirror W). */
    static long biasSeed(long seed) {
        return ~seed;
    }

    /**
     * Adds {@code dW += dY^T X} and {@code db += sum(dY, 0)} in place and returns {@code dX = dY W}.
     *
     * @param dYpre the gradient of the affine output (not modified)
     * @param wantInput whether {@code dX} is wanted (see {@link dev.thinj.model.Backprop#paramsOnly})
     * @return {@code dX}, or null when not wanted
     */
    static FloatArray backprop(Model<FloatArray, FloatArray> model, FloatArray x, FloatArray w, FloatArray dYpre,
            boolean wantInput) {
        Ops ops = model.ops();
        ops.sumRows(dYpre, model.gradFor("b"), true);
        ops.gemm(dYpre, x, model.gradFor("W"), true, false, 1f, 1f);
        return wantInput ? ops.gemm(dYpre, w, false, false) : null;
    }
}
