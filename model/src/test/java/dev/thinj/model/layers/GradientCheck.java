package dev.thinj.model.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.Model;
import dev.thinj.model.Result;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.Random;

/**
 * Finite-difference check of a layer's backward pass: for the scalar {@code L = sum(Y * R)} with a
 * fixed random {@code R}, backprop(R) must match the numerical derivative of L with respect to the
 * input and to every parameter. Central differences in float32 are accurate to about 1e-3 relative
 * here, which is plenty to catch a wrong formula, sign or transpose.
 */
final class GradientCheck {
    private static final float H = 1e-2f;

    private GradientCheck() {
    }

    static void check(Model<FloatArray, FloatArray> model, FloatArray x, long seed) {
        Ops ops = model.ops();
        Random r = new Random(seed);
        Result<FloatArray, FloatArray> fwd = model.apply(x, true);
        float[] rs = new float[fwd.output().size()];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = (float) r.nextGaussian();
        }
        FloatArray weights = ops.asArray(rs, fwd.output().shape());
        for (Model<?, ?> node : model.walk()) {
            for (String p : node.paramNames()) {
                if (node.hasGrad(p)) {
                    ops.fill(node.getGrad(p), 0f);
                }
            }
        }
        float[] dx = fwd.backprop().apply(weights).toFloatArray();
        float[] xs = x.toFloatArray();
        for (int i = 0; i < xs.length; i += Math.max(1, xs.length / 23)) {
            float numeric = numeric(model, x, weights, xs, i);
            assertClose(model.name() + " dX[" + i + "]", dx[i], numeric);
        }
        for (Model<?, ?> node : model.walk()) {
            for (String p : node.paramNames()) {
                FloatArray param = node.getParam(p);
                float[] analytic = node.getGrad(p).toFloatArray();
                float[] ps = param.toFloatArray();
                for (int i = 0; i < ps.length; i += Math.max(1, ps.length / 17)) {
                    float numeric = numeric(model, x, weights, param, ps, i);
                    assertClose(model.name() + " d" + node.name() + "." + p + "[" + i + "]", analytic[i], numeric);
                }
            }
        }
    }

    private static float numeric(Model<FloatArray, FloatArray> model, FloatArray x, FloatArray weights, float[] xs, int i) {
        Ops ops = model.ops();
        float[] plus = xs.clone();
        plus[i] += H;
        float[] minus = xs.clone();
        minus[i] -= H;
        double lp = loss(model, ops.asArray(plus, x.shape()), weights);
        double lm = loss(model, ops.asArray(minus, x.shape()), weights);
        return (float) ((lp - lm) / (2 * H));
    }

    private static float numeric(Model<FloatArray, FloatArray> model, FloatArray x, FloatArray weights, FloatArray param,
            float[] ps, int i) {
        Ops ops = model.ops();
        float[] plus = ps.clone();
        plus[i] += H;
        ops.copyFromHost(param, plus, 0);
        double lp = loss(model, x, weights);
        float[] minus = ps.clone();
        minus[i] -= H;
        ops.copyFromHost(param, minus, 0);
        double lm = loss(model, x, weights);
        ops.copyFromHost(param, ps, 0);
        return (float) ((lp - lm) / (2 * H));
    }

    /** The forward pass in training mode with dropout off, so it is deterministic. */
    private static double loss(Model<FloatArray, FloatArray> model, FloatArray x, FloatArray weights) {
        float[] y = model.apply(x, true).output().toFloatArray();
        float[] w = weights.toFloatArray();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * w[i];
        }
        return s;
    }

    private static void assertClose(String what, float analytic, float numeric) {
        assertThat(analytic).as(what + " analytic vs numeric " + numeric)
                .isCloseTo(numeric, org.assertj.core.data.Offset.offset(2e-2f * Math.max(1f, Math.abs(numeric))));
    }
}
