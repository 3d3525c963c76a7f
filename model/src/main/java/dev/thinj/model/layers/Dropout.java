package dev.thinj.model.layers;

import dev.thinj.model.Backprop;
import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.Result;
import dev.thinj.ops.CounterRandom;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;

/**
 * Thinc's {@code Dropout}: while training, multiplies the input by a mask that zeroes each cell with
 * probability {@code rate} and scales the rest by {@code 1 / (1 - rate)}; the identity when predicting,
 * when the rate is 0, or when the {@code is_enabled} attr is false.
 *
 * <p>Each call draws a fresh mask key from the layer's seed and a call counter (attr
 * {@code dropout_draws}), so a run is reproducible from the seed and the counter, on any backend.
 */
public final class Dropout {
    private Dropout() {
    }

    /**
     * @param rate the fraction of cells to zero while training, in [0, 1)
     * @return the layer
     */
    public static Model<FloatArray, FloatArray> of(float rate) {
        if (!(rate >= 0f && rate <= 1f)) {
            throw new IllegalArgumentException("Dropout: rate must be in [0, 1], got " + rate);
        }
        return Model.define("dropout", Dropout::forward)
                .attr("dropout_rate", rate)
                .attr("is_enabled", true)
                .attr("seed", RandomSeeds.next())
                .attr("dropout_draws", 0L)
                .build();
    }

    static Result<FloatArray, FloatArray> forward(Model<FloatArray, FloatArray> model, FloatArray x, boolean isTrain) {
        float rate = model.<Float>attr("dropout_rate");
        if (rate == 0f || !isTrain || !model.<Boolean>attr("is_enabled")) {
            return new Result<>(x, dY -> dY);
        }
        Ops ops = model.ops();
        long draw = model.<Long>attr("dropout_draws");
        model.setAttr("dropout_draws", draw + 1);
        FloatArray mask = ops.dropoutMask(rate, CounterRandom.bits(model.<Long>attr("seed"), draw), x.shape());
        FloatArray y = ops.mul(x, mask);
        return new Result<>(y, Backprop.skippable((dY, wantInput) -> wantInput ? ops.mul(dY, mask) : null));
    }
}
