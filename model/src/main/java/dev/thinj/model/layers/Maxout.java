package dev.thinj.model.layers;

import dev.thinj.model.Initializer;
import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.Result;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.Ops;

/**
 * Thinc's {@code Maxout}: {@code nP} affine pieces per output, {@code W} of shape (nO, nP, nI) and
 * {@code b} of shape (nO, nP); each output is the maximum of its pieces. Dropout and LayerNorm options
 * chain after it, as Thinc's.
 */
public final class Maxout {
    private Maxout() {
    }

    /**
     * @param nO output width, or null to infer it
     * @param nI input width, or null to infer it
     * @param nP pieces per output (Thinc's default is 3)
     * @param dropout a dropout rate, or null
     * @param normalize put a LayerNorm after the maxout
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI, int nP, Float dropout, boolean normalize) {
        return of(nO, nI, nP, null, null, dropout, normalize);
    }

    /**
     * Thinc's full {@code Maxout(nO, nI, nP, *, init_W, init_b, dropout, normalize)}.
     *
     * @param nO output width, or null to infer it
     * @param nI input width, or null to infer it
     * @param nP pieces per output (Thinc's default is 3)
     * @param initW fills W, shape (nO, nP, nI); null for Glorot uniform
     * @param initB fills b, shape (nO, nP); null for zeros
     * @param dropout a dropout rate, or null
     * @param normalize put a LayerNorm after the maxout
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(Integer nO, Integer nI, int nP, WeightInit initW, WeightInit initB,
            Float dropout, boolean normalize) {
        Model<FloatArray, FloatArray> maxout = Model.define("maxout", Maxout::forward)
                .init(init(initW != null ? initW : WeightInit.GLOROT_UNIFORM, initB != null ? initB : WeightInit.ZEROS))
                .dim("nO", nO).dim("nI", nI).dim("nP", nP)
                .param("W").param("b")
                .attr("seed", RandomSeeds.next())
                .build();
        return Dense.normalizeAndDrop(maxout, nO, dropout, normalize);
    }

    /**
     * @param nO output width
     * @param nP pieces per output
     * @return the layer, input width inferred
     */
    public static Model<FloatArray, FloatArray> of(int nO, int nP) {
        return of(nO, null, nP, null, false);
    }

    static Initializer<FloatArray, FloatArray> init(WeightInit initW, WeightInit initB) {
        return (model, x, y) -> {
            Widths.inferDims(model, x, y);
            int nO = model.getDim("nO");
            int nP = model.getDim("nP");
            int nI = model.getDim("nI");
            Ops ops = model.ops();
            long seed = model.<Long>attr("seed");
            model.setParam("W", initW.init(ops, seed, nO, nP, nI));
            model.setParam("b", initB.init(ops, Dense.biasSeed(seed), nO, nP));
        };
    }

    static Result<FloatArray, FloatArray> forward(Model<FloatArray, FloatArray> model, FloatArray x, boolean isTrain) {
        Widths.checkInput(model, x);
        Ops ops = model.ops();
        int nO = model.getDim("nO");
        int nP = model.getDim("nP");
        int nI = model.getDim("nI");
        FloatArray w2 = model.getParam("W").reshape(nO * nP, nI);
        FloatArray y = ops.gemm(x, w2, false, true);
        ops.addBias(y, model.getParam("b").reshape(nO * nP));
        int batch = x.dim(0);
        MaxResult best = ops.maxout(y.reshape(batch, nO, nP));
        return new Result<>(best.max(), dBest -> {
            Widths.checkGradient(model, dBest, batch, nO);
            FloatArray dY = ops.backpropMaxout(dBest, best.which(), nP).reshape(batch, nO * nP);
            ops.sumRows(dY, model.gradFor("b").reshape(nO * nP), true);
            ops.gemm(dY, x, model.gradFor("W").reshape(nO * nP, nI), true, false, 1f, 1f);
            return ops.gemm(dY, w2, false, false);
        });
    }
}
