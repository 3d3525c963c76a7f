package dev.thinj.model.registry;

import dev.thinj.model.Model;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Clone;
import dev.thinj.model.layers.Concatenate;
import dev.thinj.model.layers.Dropout;
import dev.thinj.model.layers.LayerNorm;
import dev.thinj.model.layers.Linear;
import dev.thinj.model.layers.Maxout;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Residual;
import dev.thinj.model.layers.Sigmoid;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.layers.WeightInit;
import dev.thinj.ops.FloatArray;
import java.util.ArrayList;
import java.util.List;

/**
 * thinj's layers under Thinc 8's registered names, argument names and defaults
 * ({@code thinc/layers/*.py}). Parameters are declared in Thinc's order, which is the order
 * {@code fill} writes defaults in.
 */
final class BuiltinLayers {
    private BuiltinLayers() {
    }

    @Registered(registry = "layers", name = "Relu.v1")
    static Model<FloatArray, FloatArray> relu(
            @Arg(value = "nO", defaultJson = "null") Integer nO,
            @Arg(value = "nI", defaultJson = "null") Integer nI,
            @Arg(value = "init_W", defaultJson = "null") WeightInit initW,
            @Arg(value = "init_b", defaultJson = "null") WeightInit initB,
            @Arg(value = "dropout", defaultJson = "null") Float dropout,
            @Arg(value = "normalize", defaultJson = "false") boolean normalize) {
        return Relu.of(nO, nI, initW, initB, dropout, normalize);
    }

    @Registered(registry = "layers", name = "Linear.v1")
    static Model<FloatArray, FloatArray> linear(
            @Arg(value = "nO", defaultJson = "null") Integer nO,
            @Arg(value = "nI", defaultJson = "null") Integer nI,
            @Arg(value = "init_W", defaultJson = "null") WeightInit initW,
            @Arg(value = "init_b", defaultJson = "null") WeightInit initB) {
        return Linear.of(nO, nI, initW, initB);
    }

    @Registered(registry = "layers", name = "Sigmoid.v1")
    static Model<FloatArray, FloatArray> sigmoid(
            @Arg(value = "nO", defaultJson = "null") Integer nO,
            @Arg(value = "nI", defaultJson = "null") Integer nI,
            @Arg(value = "init_W", defaultJson = "null") WeightInit initW,
            @Arg(value = "init_b", defaultJson = "null") WeightInit initB) {
        return Sigmoid.of(nO, nI, initW, initB);
    }

    @Registered(registry = "layers", name = "Softmax.v1")
    static Model<FloatArray, FloatArray> softmaxV1(
            @Arg(value = "nO", defaultJson = "null") Integer nO,
            @Arg(value = "nI", defaultJson = "null") Integer nI,
            @Arg(value = "init_W", defaultJson = "null") WeightInit initW,
            @Arg(value = "init_b", defaultJson = "null") WeightInit initB) {
        return Softmax.of(nO, nI, initW, initB, true, 1f);
    }

    @Registered(registry = "layers", name = "Softmax.v2")
    static Model<FloatArray, FloatArray> softmaxV2(
            @Arg(value = "nO", defaultJson = "null") Integer nO,
            @Arg(value = "nI", defaultJson = "null") Integer nI,
            @Arg(value = "init_W", defaultJson = "null") WeightInit initW,
            @Arg(value = "init_b", defaultJson = "null") WeightInit initB,
            @Arg(value = "normalize_outputs", defaultJson = "true") boolean normalizeOutputs,
            @Arg(value = "temperature", defaultJson = "1.0") float temperature) {
        return Softmax.of(nO, nI, initW, initB, normalizeOutputs, temperature);
    }

    @Registered(registry = "layers", name = "Maxout.v1")
    static Model<FloatArray, FloatArray> maxout(
            @Arg(value = "nO", defaultJson = "null") Integer nO,
            @Arg(value = "nI", defaultJson = "null") Integer nI,
            @Arg(value = "nP", defaultJson = "3") int nP,
            @Arg(value = "init_W", defaultJson = "null") WeightInit initW,
            @Arg(value = "init_b", defaultJson = "null") WeightInit initB,
            @Arg(value = "dropout", defaultJson = "null") Float dropout,
            @Arg(value = "normalize", defaultJson = "false") boolean normalize) {
        return Maxout.of(nO, nI, nP, initW, initB, dropout, normalize);
    }

    @Registered(registry = "layers", name = "Dropout.v1")
    static Model<FloatArray, FloatArray> dropout(@Arg(value = "rate", defaultJson = "0.0") float rate) {
        return Dropout.of(rate);
    }

    @Registered(registry = "layers", name = "LayerNorm.v1")
    static Model<FloatArray, FloatArray> layerNorm(@Arg(value = "nI", defaultJson = "null") Integer nI) {
        return LayerNorm.of(nI);
    }

    /** Thinc's {@code chain(layer1, layer2, *layers)}: at least two layers. */
    @Registered(registry = "layers", name = "chain.v1")
    static Model<?, ?> chain(@Arg("*") List<Model<?, ?>> layer) {
        if (layer.size() < 2) {
            throw new IllegalArgumentException("chain.v1 needs at least two layers, as Thinc's chain(layer1, layer2,"
                    + " *layers); got " + layer.size());
        }
        return Chain.ofAny(layer);
    }

    /** Thinc's {@code concatenate(*layers)}: one layer is returned as it is. */
    @Registered(registry = "layers", name = "concatenate.v1")
    @SuppressWarnings("unchecked")
    static Model<?, ?> concatenate(@Arg("*") List<Model<?, ?>> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("concatenate.v1 needs at least one layer (Thinc gives a no-op"
                    + " layer for none, which thinj does not have)");
        }
        if (layers.size() == 1) {
            return layers.get(0);
        }
        List<Model<FloatArray, FloatArray>> typed = new ArrayList<>();
        for (Model<?, ?> m : layers) {
            typed.add((Model<FloatArray, FloatArray>) m);
        }
        return Concatenate.of(typed);
    }

    @Registered(registry = "layers", name = "residual.v1")
    @SuppressWarnings("unchecked")
    static Model<?, ?> residual(@Arg("layer") Model<?, ?> layer) {
        return Residual.of((Model<FloatArray, FloatArray>) layer);
    }

    @Registered(registry = "layers", name = "clone.v1")
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Model<?, ?> clone(@Arg("orig") Model<?, ?> orig, @Arg("n") int n) {
        if (n < 1) {
            throw new IllegalArgumentException("clone.v1 needs n >= 1 (Thinc gives a no-op layer for 0, which thinj"
                    + " does not have); got " + n);
        }
        return Clone.of((Model) orig, n);
    }
}
