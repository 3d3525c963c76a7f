package dev.thinj.spark;

import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ThinjException;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's parameters (or their gradients) as one flat {@code float[]}: every allocated parameter of
 * every node in {@link Model#walk()} order, each node's in its declaration order. Two models built
 * from one config lay out the same vector, which is what the driver broadcasts and what the workers'
 * gradients are summed in.
 */
final class ParamVector {
    /** One parameter's place in the vector. */
    private record Slot(Model<?, ?> node, String name, int offset, int size) {
    }

    private final List<Slot> slots = new ArrayList<>();
    private final int size;

    private ParamVector(Model<?, ?> model) {
        int offset = 0;
        for (Model<?, ?> node : model.walk()) {
            for (String p : node.paramNames()) {
                if (node.hasParam(p)) {
                    int n = node.getParam(p).size();
                    slots.add(new Slot(node, p, offset, n));
                    offset = Math.addExact(offset, n);
                }
            }
        }
        this.size = offset;
    }

    /** @return the layout of the model's allocated parameters */
    static ParamVector of(Model<?, ?> model) {
        return new ParamVector(model);
    }

    /** @return the vector's length */
    int size() {
        return size;
    }

    /** @return how many parameters the vector holds */
    int count() {
        return slots.size();
    }

    /** @return the parameters, copied to the host */
    float[] readParams() {
        float[] out = new float[size];
        for (Slot s : slots) {
            System.arraycopy(s.node.getParam(s.name).toFloatArray(), 0, out, s.offset, s.size);
        }
        return out;
    }

    /** @param values new parameter values, copied into the present arrays */
    void writeParams(float[] values) {
        check(values, "parameter");
        for (Slot s : slots) {
            FloatArray p = s.node.getParam(s.name);
            p.ops().copyFromHost(p, values, s.offset);
        }
    }

    /**
     * Reads every gradient into {@code into} (a missing one as zeros) and zeroes it on the model: the
     * next round's backprop adds into zeros, whichever partition it trains.
     *
     * @param into the vector to fill
     * @param present set to true for each parameter that has a gradient
     */
    void takeGradients(float[] into, boolean[] present) {
        check(into, "gradient");
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.node.hasGrad(s.name)) {
                FloatArray g = s.node.getGrad(s.name);
                System.arraycopy(g.toFloatArray(), 0, into, s.offset, s.size);
                g.ops().fill(g, 0f);
                present[i] = true;
            } else {
                java.util.Arrays.fill(into, s.offset, s.offset + s.size, 0f);
            }
        }
    }

    /**
     * Sets the gradients of the parameters marked present to the vector's values (the others keep no
     * gradient, so the optimizer leaves them as they are, as in a single process).
     *
     * @param values the gradients
     * @param present which parameters have one
     */
    void writeGradients(float[] values, boolean[] present) {
        check(values, "gradient");
        for (int i = 0; i < slots.size(); i++) {
            if (present[i]) {
                Slot s = slots.get(i);
                FloatArray g = s.node.gradFor(s.name);
                Ops ops = g.ops();
                ops.copyFromHost(g, values, s.offset);
            }
        }
    }

    private void check(float[] values, String what) {
        if (values.length != size) {
            throw new ThinjException("a " + what + " vector of " + values.length + " values for a model of " + size
                    + " parameters in " + slots.size() + " arrays: the workers built another architecture than the"
                    + " driver from the config");
        }
    }
}
