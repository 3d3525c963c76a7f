package dev.thinj.model.layers;

import dev.thinj.model.Backprop;
import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thinc's {@code concatenate}: runs every layer on the same input and joins their outputs side by
 * side; the backward pass splits the gradient by columns and sums the layers' input gradients.
 */
public final class Concatenate {
    private Concatenate() {
    }

    /**
     * @param layers two or more layers reading the same input
     * @return {@code f | g | ...}
     */
    @SafeVarargs
    public static Model<FloatArray, FloatArray> of(Model<FloatArray, FloatArray>... layers) {
        return of(List.of(layers));
    }

    /**
     * @param layers at least one layer
     * @return the concatenation (the layer itself if there is only one, as Thinc)
     */
    public static Model<FloatArray, FloatArray> of(List<Model<FloatArray, FloatArray>> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("concatenate: needs at least one layer");
        }
        if (layers.size() == 1) {
            return layers.get(0);
        }
        String name = layers.stream().map(Model::name).collect(Collectors.joining("|"));
        return Model.define(name, Concatenate::forward)
                .init(Concatenate::init)
                .dim("nO", null).dim("nI", null)
                .layers(layers)
                .build();
    }

    static Result<FloatArray, FloatArray> forward(Model<FloatArray, FloatArray> model, FloatArray x, boolean isTrain) {
        Ops ops = model.ops();
        List<FloatArray> outputs = new ArrayList<>();
        List<Backprop<FloatArray, FloatArray>> callbacks = new ArrayList<>();
        int[] widths = new int[model.layers().size()];
        for (int i = 0; i < widths.length; i++) {
            Model<FloatArray, FloatArray> layer = model.layer(i);
            Result<FloatArray, FloatArray> r = layer.apply(x, isTrain);
            outputs.add(r.output());
            callbacks.add(r.backprop());
            widths[i] = r.output().dim(1);
        }
        FloatArray y = ops.concatColumns(outputs);
        return new Result<>(y, dY -> {
            FloatArray dX = null;
            int start = 0;
            for (int i = 0; i < widths.length; i++) {
                FloatArray part = ops.sliceColumns(dY, start, start + widths[i]);
                FloatArray d = callbacks.get(i).apply(part);
                if (dX == null) {
                    dX = d;
                } else {
                    ops.addInPlace(dX, d);
                }
                start += widths[i];
            }
            return dX;
        });
    }

    static void init(Model<FloatArray, FloatArray> model, FloatArray x, FloatArray y) {
        int nO = 0;
        boolean allKnown = true;
        for (Model<?, ?> child : model.layers()) {
            @SuppressWarnings("unchecked")
            Model<FloatArray, FloatArray> layer = (Model<FloatArray, FloatArray>) child;
            layer.initialize(x, null);
            if (layer.hasDim("nO")) {
                nO += layer.getDim("nO");
            } else {
                allKnown = false;
            }
            if (layer.hasDim("nI") && !model.hasDim("nI")) {
                model.setDim("nI", layer.getDim("nI"));
            }
        }
        if (allKnown) {
            model.setDim("nO", nO);
        }
    }
}
