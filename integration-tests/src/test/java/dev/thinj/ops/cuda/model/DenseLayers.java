package dev.thinj.ops.cuda.model;

import dev.thinj.model.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's affine layers in forward order, with their parameter values: the shape the
 * {@link ForwardBounds} reference can evaluate. Accepts chains of {@code relu} layers, optional
 * {@code dropout} (the identity when predicting) and one final normalising {@code softmax} at
 * temperature 1, as the CPU&harr;CUDA tests and the Fashion-MNIST example build them.
 */
final class DenseLayers {
    private DenseLayers() {
    }

    /**
     * One affine layer {@code Y = act(X W^T + b)}.
     *
     * @param w weights, {@code nO x nI} row-major
     * @param b bias, {@code nO}
     * @param nO output width
     * @param nI input width
     * @param softmax true for the final softmax, false for ReLU
     * @param node the layer's index in {@link Model#walk()} (breadth first, so not the layer's position)
     */
    record Layer(float[] w, float[] b, int nO, int nI, boolean softmax, int node) {
    }

    /**
     * @param model a chain as above
     * @param forTraining true if dropout is not allowed (the reference has no masks)
     * @return its layers, in order
     * @throws IllegalArgumentException naming a node the reference cannot evaluate
     */
    static List<Layer> of(Model<?, ?> model, boolean forTraining) {
        List<Layer> layers = new ArrayList<>();
        collect(model, model.walk(), forTraining, layers);
        if (layers.isEmpty() || !layers.get(layers.size() - 1).softmax()) {
            throw new IllegalArgumentException("the model must end in a softmax layer");
        }
        return layers;
    }

    /** Depth first through chains, which is forward order ({@code walk()} is breadth first). */
    private static void collect(Model<?, ?> n, List<Model<?, ?>> walk, boolean forTraining, List<Layer> layers) {
        int i = indexOf(walk, n);
        if (n.paramNames().isEmpty() && !n.layers().isEmpty() && n.name().contains(">>")) {
            for (Model<?, ?> sub : n.layers()) {
                collect(sub, walk, forTraining, layers);
            }
            return;
        }
        switch (n.name()) {
            case "dropout" -> {
                if (forTraining) {
                    throw new IllegalArgumentException("node " + i + ": dropout while training has masks the "
                            + "error-model reference does not reproduce");
                }
            }
            case "relu", "softmax" -> {
                if (!layers.isEmpty() && layers.get(layers.size() - 1).softmax()) {
                    throw new IllegalArgumentException("node " + i + " (" + n.name() + ") follows the softmax");
                }
                boolean softmax = n.name().equals("softmax");
                if (softmax && (!n.<Boolean>attr("softmax_normalize") && !forTraining
                        || n.<Float>attr("softmax_temperature") != 1f)) {
                    throw new IllegalArgumentException("node " + i + ": only a normalising softmax at temperature 1");
                }
                int nO = n.getDim("nO");
                int nI = n.getDim("nI");
                if (!layers.isEmpty() && layers.get(layers.size() - 1).nO() != nI) {
                    throw new IllegalArgumentException("node " + i + ": input width " + nI + " after a layer of "
                            + layers.get(layers.size() - 1).nO());
                }
                layers.add(new Layer(n.getParam("W").toFloatArray(), n.getParam("b").toFloatArray(), nO, nI, softmax, i));
            }
            default -> throw new IllegalArgumentException("node " + i + " (" + n.name() + ") is not a layer the "
                    + "error-model reference evaluates (chains of relu, dropout, softmax)");
        }
    }

    private static int indexOf(List<Model<?, ?>> walk, Model<?, ?> n) {
        for (int i = 0; i < walk.size(); i++) {
            if (walk.get(i) == n) {
                return i;
            }
        }
        throw new IllegalStateException(n.name() + " is not in its model's walk()");
    }
}
