package dev.thinj.ops.cuda.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.Result;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.losses.LossResult;
import dev.thinj.model.losses.Truths;
import dev.thinj.model.optimizers.Adam;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.BatchSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A model is the same model on the CPU and on CUDA: moved across with {@code toOps} and back it
 * computes the same outputs and keeps its parameters; trained on both from the same start, with the
 * same minibatches through the CUDA staging ({@code buffer 4}), it follows the same loss trajectory;
 * gradients accumulate the same way. Subclasses choose the CUDA backend (emulated, or a real GPU).
 *
 * <p>The data is synthetic and small: 4 classes of 24 points in 20 dimensions, the class being the
 * argmax of a fixed linear map plus noise, so a Relu >> Softmax learns it within a few dozen steps.
 */
abstract class CpuCudaModelContract {
    private static final int ROWS = 96;
    private static final int FEATURES = 20;
    private static final int CLASSES = 4;
    private static final int BATCH = 16;
    private static final int EPOCHS = 6;

    /** @return the CUDA backend under test */
    protected abstract Ops cuda();

    private final Ops cpu = Ops.get("cpu");
    private final float[] features = new float[ROWS * FEATURES];
    private final int[] labels = new int[ROWS];

    CpuCudaModelContract() {
        SplittableRandom r = new SplittableRandom(11);
        float[] map = new float[FEATURES * CLASSES];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) r.nextGaussian();
        }
        for (int n = 0; n < ROWS; n++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int f = 0; f < FEATURES; f++) {
                features[n * FEATURES + f] = (float) r.nextGaussian();
            }
            for (int c = 0; c < CLASSES; c++) {
                float s = 0.3f * (float) r.nextGaussian();
                for (int f = 0; f < FEATURES; f++) {
                    s += features[n * FEATURES + f] * map[f * CLASSES + c];
                }
                if (s > best) {
                    best = s;
                    labels[n] = c;
                }
            }
        }
    }

    /** A Relu >> Relu >> Softmax built and initialised on the CPU, with fixed seeds. */
    private Model<FloatArray, FloatArray> cpuModel() {
        RandomSeeds.fix(0);
        try (OpsScope s = Ops.use(cpu)) {
            Model<FloatArray, FloatArray> model = Chain.of(Relu.of(24), Relu.of(16), Softmax.of());
            FloatArray x = cpu.asArray(features, ROWS, FEATURES);
            model.initialize(x, cpu.oneHot(cpu.asInts(labels), CLASSES, 0f));
            return model;
        }
    }

    private static Map<String, float[]> params(Model<?, ?> model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<Model<?, ?>> nodes = model.walk();
        for (int i = 0; i < nodes.size(); i++) {
            Model<?, ?> node = nodes.get(i);
            for (String p : node.paramNames()) {
                if (node.hasParam(p)) {
                    out.put(i + ":" + node.name() + "." + p, node.getParam(p).toFloatArray());
                }
            }
        }
        return out;
    }

    private static Map<String, float[]> grads(Model<?, ?> model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<Model<?, ?>> nodes = model.walk();
        for (int i = 0; i < nodes.size(); i++) {
            Model<?, ?> node = nodes.get(i);
            for (String p : node.paramNames()) {
                if (node.hasGrad(p)) {
                    out.put(i + ":" + node.name() + "." + p, node.getGrad(p).toFloatArray());
                }
            }
        }
        return out;
    }

    private static void assertClose(String what, Map<String, float[]> expected, Map<String, float[]> actual,
            float tol) {
        assertThat(actual.keySet()).as(what + ": names").containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, e) -> assertClose(what + " " + k, e, actual.get(k), tol));
    }

    private static void assertClose(String what, float[] expected, float[] actual, float tol) {
        assertThat(actual).as(what + ": size").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            float t = tol * Math.max(1f, Math.abs(expected[i]));
            assertThat(Math.abs(actual[i] - expected[i])).as(what + "[" + i + "]: " + expected[i] + " vs " + actual[i])
                    .isLessThanOrEqualTo(t);
        }
    }

    /** One epoch-loop of Adam steps through {@code ops.multibatch(..., buffer 4)}; returns each step's loss. */
    private List<Float> train(Model<FloatArray, FloatArray> model, Ops ops) {
        CategoricalCrossentropy loss = new CategoricalCrossentropy();
        Optimizer adam = Adam.of(0.01);
        List<Float> losses = new ArrayList<>();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            BatchOptions options = BatchOptions.defaults().shuffle(true).seed(100 + epoch).buffer(4);
            // Host sources: the CUDA staging's pinned path, with its copy stream and events.
            for (Batch b : ops.multibatch(BatchSizes.fixed(BATCH), options, BatchSource.of(features, ROWS, FEATURES),
                    labels)) {
                Result<FloatArray, FloatArray> r = model.beginUpdate(b.floats(0));
                LossResult<FloatArray> l = loss.apply(r.output(), b.ints(1));
                r.backprop().apply(l.grad());
                model.finishUpdate(adam);
                losses.add(l.loss());
            }
        }
        return losses;
    }

    @Test
    void aModelMovedToCudaAndBackComputesTheSameAndKeepsItsParameters() {
        Model<FloatArray, FloatArray> model = cpuModel();
        train(model, cpu);  // so the Softmax weights are no longer Thinc's zeros
        FloatArray xCpu = cpu.asArray(features, ROWS, FEATURES);
        float[] before = model.predict(xCpu).toFloatArray();
        Map<String, float[]> params = params(model);

        model.toOps(cuda());
        assertThat(model.ops()).isSameAs(cuda());
        for (Model<?, ?> node : model.walk()) {
            assertThat(node.ops()).as(node.name()).isSameAs(cuda());
        }
        assertClose("parameters on CUDA", params, params(model), 0f);
        float[] onCuda = model.predict(cuda().asArray(features, ROWS, FEATURES)).toFloatArray();
        assertClose("outputs on CUDA", before, onCuda, 1e-5f);

        model.toOps(cpu);
        assertClose("parameters back on the CPU", params, params(model), 0f);
        assertClose("outputs back on the CPU", before, model.predict(xCpu).toFloatArray(), 0f);
    }

    @Test
    void trainingOnCudaFollowsTheCpuLossTrajectory() {
        Model<FloatArray, FloatArray> onCpu = cpuModel();
        Model<FloatArray, FloatArray> onCuda = onCpu.copy().toOps(cuda());
        assertClose("the same start", params(onCpu), params(onCuda), 0f);

        List<Float> cpuLosses = train(onCpu, cpu);
        List<Float> cudaLosses = train(onCuda, cuda());
        assertThat(cudaLosses).hasSize(EPOCHS * (ROWS / BATCH)).hasSameSizeAs(cpuLosses);
        float[] expected = new float[cpuLosses.size()];
        float[] actual = new float[cudaLosses.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = cpuLosses.get(i);
            actual[i] = cudaLosses.get(i);
        }
        // The losses are small (about 0.05 falling to 0.015), so relative to each value: 0.1%. The
        // emulated device agrees to about 1e-8; a GPU's GEMM sums in another order.
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i]))
                    .as("loss at step %d: cpu %s, cuda %s", i, expected[i], actual[i])
                    .isLessThanOrEqualTo(1e-3f * Math.abs(expected[i]));
        }
        assertThat(cpuLosses.get(cpuLosses.size() - 1)).as("the model learned").isLessThan(cpuLosses.get(0) / 2);
        assertClose("parameters after training", params(onCpu), params(onCuda), 1e-3f);
    }

    @Test
    void gradientsAccumulateAndBackpropTwiceAsOnTheCpu() {
        Model<FloatArray, FloatArray> onCpu = cpuModel();
        train(onCpu, cpu);  // non-zero Softmax weights, so every layer gets a gradient
        Model<FloatArray, FloatArray> onCuda = onCpu.copy().toOps(cuda());
        CategoricalCrossentropy loss = new CategoricalCrossentropy();
        Map<String, float[]> once = null;
        for (Model<FloatArray, FloatArray> model : List.of(onCpu, onCuda)) {
            Ops ops = model.ops();
            FloatArray x = ops.asArray(features, ROWS, FEATURES);
            IntArray y = ops.asInts(labels);
            Result<FloatArray, FloatArray> first = model.beginUpdate(x);
            first.backprop().apply(loss.getGrad(first.output(), Truths.of(y)));
            Map<String, float[]> g1 = grads(model);
            Result<FloatArray, FloatArray> second = model.beginUpdate(x);
            second.backprop().apply(loss.getGrad(second.output(), Truths.of(y)));
            Map<String, float[]> g2 = grads(model);
            g1.forEach((k, g) -> {
                float[] doubled = new float[g.length];
                for (int i = 0; i < g.length; i++) {
                    doubled[i] = 2 * g[i];
                }
                assertClose(ops.name() + ": accumulated " + k, doubled, g2.get(k), 1e-5f);
            });
            if (once == null) {
                once = g1;
            } else {
                assertClose("CUDA gradients vs CPU", once, g1, 1e-4f);
            }
            model.finishUpdate(Adam.of(0.01));
            assertThat(grads(model).values()).as(ops.name() + ": zeroed after the update")
                    .allSatisfy(g -> assertThat(g).containsOnly(0f));
        }
        assertClose("parameters after the update", params(onCpu), params(onCuda), 1e-4f);
    }
}
