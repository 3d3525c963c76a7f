package dev.thinj.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Linear;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.losses.Truths;
import dev.thinj.model.optimizers.Adam;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two things a fast training loop does differently from Thinc's, shown to change no number:
 * {@link Backprop#paramsOnly} (skips the batch's own gradient) and a scope around each step (frees the
 * step's temporaries, whose memory the CPU backend then hands out again).
 */
class ParamsOnlyAndStepScopeTest {
    private final Ops ops = Ops.get("cpu");

    private static Model<FloatArray, FloatArray> model() {
        RandomSeeds.fix(3);
        return Chain.of(Relu.of(32, 0.2f), Relu.of(16), Linear.of(12), Softmax.of(4));
    }

    private FloatArray batch(Random r, int rows) {
        float[] x = new float[rows * 20];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        return ops.asArray(x, rows, 20);
    }

    private static int[] labels(Random r, int rows) {
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(4);
        }
        return y;
    }

    private static List<float[]> grads(Model<?, ?> m) {
        List<float[]> out = new ArrayList<>();
        for (Model<?, ?> node : m.walk()) {
            for (String p : node.paramNames()) {
                if (node.hasGrad(p)) {
                    out.add(node.getGrad(p).toFloatArray());
                }
            }
        }
        return out;
    }

    private static List<float[]> params(Model<?, ?> m) {
        List<float[]> out = new ArrayList<>();
        for (Model<?, ?> node : m.walk()) {
            for (String p : node.paramNames()) {
                if (node.hasParam(p)) {
                    out.add(node.getParam(p).toFloatArray());
                }
            }
        }
        return out;
    }

    @Test
    void paramsOnlyAddsExactlyWhatApplyAddsAndReturnsNothing() {
        Random r = new Random(1);
        FloatArray x = batch(r, 24);
        int[] y = labels(r, 24);
        Model<FloatArray, FloatArray> full = model().initialize(x, null);
        Model<FloatArray, FloatArray> partial = model().initialize(x, null);
        CategoricalCrossentropy loss = new CategoricalCrossentropy();
        for (int round = 0; round < 2; round++) {  // twice: both add, neither replaces
            Result<FloatArray, FloatArray> a = full.beginUpdate(x);
            FloatArray dX = a.backprop().apply(loss.getGrad(a.output(), Truths.of(y)));
            assertThat(dX.shape()).as("apply returns the input's gradient").containsExactly(24, 20);
            Result<FloatArray, FloatArray> b = partial.beginUpdate(x);
            b.backprop().paramsOnly(loss.getGrad(b.output(), Truths.of(y)));
        }
        List<float[]> expected = grads(full);
        List<float[]> actual = grads(partial);
        assertThat(actual).hasSameSizeAs(expected).hasSize(8);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("gradient %d", i).containsExactly(expected.get(i));
        }
    }

    @Test
    void trainingInAScopePerStepEndsWithTheSameWeightsBitForBit() {
        List<float[]> plain = train(false);
        List<float[]> scoped = train(true);
        for (int i = 0; i < plain.size(); i++) {
            assertThat(scoped.get(i)).as("parameter %d", i).containsExactly(plain.get(i));
        }
    }

    private List<float[]> train(boolean scoped) {
        Random r = new Random(5);
        Model<FloatArray, FloatArray> m = model().initialize(batch(new Random(0), 8), null);
        Optimizer opt = Adam.builder().learnRate(0.01).build();
        CategoricalCrossentropy loss = new CategoricalCrossentropy();
        for (int step = 0; step < 30; step++) {
            FloatArray x = batch(r, 32);
            int[] y = labels(r, 32);
            if (scoped) {
                try (ArrayScope s = ops.scope()) {
                    step(m, opt, loss, x, y);
                }
                x.close();
            } else {
                step(m, opt, loss, x, y);
            }
        }
        return params(m);
    }

    private static void step(Model<FloatArray, FloatArray> m, Optimizer opt, CategoricalCrossentropy loss, FloatArray x,
            int[] y) {
        Result<FloatArray, FloatArray> r = m.beginUpdate(x);
        r.backprop().paramsOnly(loss.getGrad(r.output(), Truths.of(y)));
        m.finishUpdate(opt);
        opt.stepSchedules();
    }
}
