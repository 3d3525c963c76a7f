package dev.thinj.model.layers;

import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;

/** Input checks shared by the dense layers, so every shape error names the layer and both shapes. */
final class Widths {
    private Widths() {
    }

    /** Checks {@code x} is 2-d with {@code nI} columns. */
    static void checkInput(Model<?, ?> model, FloatArray x) {
        if (x.rank() != 2) {
            throw new ShapeException("Layer '" + model.name() + "': expected a 2-d input (batch, nI), got shape "
                    + Shapes.format(x.shape()));
        }
        if (model.hasDim("nI") && x.dim(1) != model.getDim("nI")) {
            throw new ShapeException("Layer '" + model.name() + "': expected input width nI=" + model.getDim("nI")
                    + ", got shape " + Shapes.format(x.shape()));
        }
    }

    /** Checks a gradient matches the forward output's shape. */
    static void checkGradient(Model<?, ?> model, FloatArray dY, int rows, int cols) {
        if (dY.rank() != 2 || dY.dim(0) != rows || dY.dim(1) != cols) {
            throw new ShapeException("Layer '" + model.name() + "': backprop expected a gradient of shape "
                    + Shapes.format(rows, cols) + ", got " + Shapes.format(dY.shape()));
        }
    }

    /** Sets nI/nO from sample data where they are still unset (Thinc's init for dense layers). */
    static void inferDims(Model<?, ?> model, FloatArray x, FloatArray y) {
        if (x != null) {
            model.setDim("nI", x.dim(-1));  // a conflicting width fails here, naming the layer
        }
        if (y != null && !model.hasDim("nO")) {
            model.setDim("nO", y.dim(-1));
        }
    }
}
