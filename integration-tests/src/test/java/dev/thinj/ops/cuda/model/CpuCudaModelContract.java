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
import dev.thinj.model.optimizers.OptimizerState;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.BatchSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model is the same model on the CPU and on CUDA: moved across with {@code toOps} and back it
 * computes the same outputs and keeps its parameters; every training step, from the same weights,
 * moments and minibatch (through the CUDA staging, {@code buffer 4}), gives the same loss, gradients
 * and updated weights; gradients accumulate the same way. Subclasses choose the CUDA backend
 * (emulated, or a real GPU).
 *
 * <p><b>Tolerances.</b> None is a fixed number: each is {@link ErrorModel#SAFETY} times a bound
 * derived from the float32 rounding model ({@link ErrorModel}) and propagated through the layers with
 * the magnitudes the arrays have at run time ({@link MlpBounds}, {@link AdamBounds}), so on a GPU,
 * whose cuBLAS sums in another order than OpenBLAS, a failure means a bug. The emulated device sums
 * as the CPU does and agrees far inside them.
 *
 * <p><b>Why steps are compared one at a time.</b> Adam divides each gradient element by its running
 * RMS, so where a gradient is as small as its rounding uncertainty the two backends may step that
 * weight by different amounts up to the learning rate; free-running trajectories then drift apart by
 * amounts no rounding model bounds. So before each step the CUDA model gets the CPU model's weights and
 * the CPU optimizer's state ({@code OptimizerState}), and that one step is compared.
 *
 * <p>The data is synthetic and small: 4 classes of 24 points in 20 dimensions, the class being the
 * argmax of a fixed linear map plus noise, so a Relu >> Relu >> Softmax learns it within a few dozen
 * steps.
 */
abstract class CpuCudaModelContract {
    private static final int ROWS = 96;
    private static final int FEATURES = 20;
    private static final int CLASSES = 4;
    private static final int BATCH = 16;
    private static final int EPOCHS = 6;
    /** The optimizer's hyperparameters, stated for the bounds (Thinc's Adam defaults, learn rate 0.01). */
    private static final AdamBounds.Hypers ADAM = new AdamBounds.Hypers(0.01, 0.9, 0.999, 1e-8, 1.0);

    /** @return the CUDA backend under test */
    protected abstract Ops cuda();

    private final Ops cpu = Ops.get("cpu");
    private final float[] features = new float[ROWS * FEATURES];
    private final int[] labels = new int[ROWS];

    @TempDir
    Path dir;

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

    private static Optimizer adam() {
        return Adam.builder().learnRate(ADAM.learnRate()).beta1(ADAM.beta1()).beta2(ADAM.beta2()).eps(ADAM.eps())
                .gradClip(ADAM.gradClip()).l2(0).build();
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

    private static void assertSame(String what, Map<String, float[]> expected, Map<String, float[]> actual) {
        assertThat(actual.keySet()).as(what + ": names").containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, e) -> assertThat(actual.get(k)).as(what + " " + k).containsExactly(e));
    }

    /**
     * Asserts {@code |actual - expected| <= SAFETY * bound} per element.
     *
     * @param bound the propagated bound of each element's difference
     */
    static void assertWithin(String what, float[] expected, float[] actual, double[] bound) {
        assertThat(actual).as(what + ": size").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double tol = ErrorModel.SAFETY * bound[i];
            double diff = Math.abs((double) actual[i] - expected[i]);
            if (!(diff <= tol)) {
                throw new AssertionError(String.format("%s[%d]: cpu %s, cuda %s: difference %.3g exceeds %.3g (%s x the "
                        + "rounding-model bound %.3g)", what, i, expected[i], actual[i], diff, tol, ErrorModel.SAFETY, bound[i]));
            }
        }
    }

    /** Free-running Adam steps on one backend through {@code ops.multibatch(..., buffer 4)}; returns the losses. */
    private List<Float> train(Model<FloatArray, FloatArray> model, Ops ops) {
        CategoricalCrossentropy loss = new CategoricalCrossentropy();
        Optimizer adam = adam();
        List<Float> losses = new ArrayList<>();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (Batch b : ops.multibatch(BatchSizes.fixed(BATCH), options(epoch), BatchSource.of(features, ROWS, FEATURES),
                    labels)) {
                losses.add(step(model, loss, b));
                model.finishUpdate(adam);
            }
        }
        return losses;
    }

    private static BatchOptions options(int epoch) {
        return BatchOptions.defaults().shuffle(true).seed(100 + epoch).buffer(4);
    }

    /** beginUpdate, loss and backprop on one batch (no update); returns the loss. */
    private static float step(Model<FloatArray, FloatArray> model, CategoricalCrossentropy loss, Batch b) {
        Result<FloatArray, FloatArray> r = model.beginUpdate(b.floats(0));
        LossResult<FloatArray> l = loss.apply(r.output(), b.ints(1));
        r.backprop().apply(l.grad());
        return l.loss();
    }

    @Test
    void aModelMovedToCudaAndBackComputesTheSameAndKeepsItsParameters() {
        Model<FloatArray, FloatArray> model = cpuModel();
        train(model, cpu);  // so the Softmax weights are no longer Thinc's zeros
        FloatArray xCpu = cpu.asArray(features, ROWS, FEATURES);
        float[] before = model.predict(xCpu).toFloatArray();
        Map<String, float[]> params = params(model);
        MlpBounds.Forward bounds = MlpBounds.forward(DenseLayers.of(model, false), features, ROWS);

        model.toOps(cuda());
        assertThat(model.ops()).isSameAs(cuda());
        for (Model<?, ?> node : model.walk()) {
            assertThat(node.ops()).as(node.name()).isSameAs(cuda());
        }
        assertSame("parameters on CUDA", params, params(model));
        float[] onCuda = model.predict(cuda().asArray(features, ROWS, FEATURES)).toFloatArray();
        assertWithin("outputs on CUDA", before, onCuda, bounds.dP());

        model.toOps(cpu);
        assertSame("parameters back on the CPU", params, params(model));
        assertThat(model.predict(xCpu).toFloatArray()).as("outputs back on the CPU").containsExactly(before);
    }

    @Test
    void everyTrainingStepOnCudaMatchesTheCpuStepWithinTheRoundingModel() throws IOException {
        Model<FloatArray, FloatArray> onCpu = cpuModel();
        Model<FloatArray, FloatArray> onCuda = onCpu.copy().toOps(cuda());
        assertSame("the same start", params(onCpu), params(onCuda));
        Optimizer cpuAdam = adam();
        Optimizer cudaAdam = adam();
        CategoricalCrossentropy loss = new CategoricalCrossentropy();
        Path state = dir.resolve("adam.state");
        List<Float> cpuLosses = new ArrayList<>();
        int stepNo = 0;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            Iterator<Batch> onCpuBatches = cpu.multibatch(BatchSizes.fixed(BATCH), options(epoch),
                    BatchSource.of(features, ROWS, FEATURES), labels).iterator();
            Iterator<Batch> onCudaBatches = cuda().multibatch(BatchSizes.fixed(BATCH), options(epoch),
                    BatchSource.of(features, ROWS, FEATURES), labels).iterator();
            while (onCpuBatches.hasNext()) {
                String at = "step " + stepNo + " (epoch " + epoch + ")";
                Batch bc = onCpuBatches.next();
                assertThat(onCudaBatches.hasNext()).as(at + ": CUDA has the batch too").isTrue();
                Batch bg = onCudaBatches.next();
                float[] x = bc.floats(0).toFloatArray();
                int[] y = bc.ints(1).toIntArray();
                assertThat(bg.ints(1).toIntArray()).as(at + ": the same rows").containsExactly(y);
                assertThat(bg.floats(0).toFloatArray()).as(at + ": staged exactly").containsExactly(x);

                // The CUDA model starts this step where the CPU model is.
                syncWeights(onCpu, onCuda);
                OptimizerState.save(cpuAdam, onCpu, state);
                OptimizerState.load(cudaAdam, onCuda, state);
                Map<String, MomentsFile.Entry> moments = MomentsFile.read(state);
                List<DenseLayers.Layer> layers = DenseLayers.of(onCpu, true);
                MlpBounds.Step bounds = MlpBounds.backward(layers, MlpBounds.forward(layers, x, y.length), y);

                float lossCpu = step(onCpu, loss, bc);
                float lossCuda = step(onCuda, loss, bg);
                assertWithin(at + " loss", new float[] {lossCpu}, new float[] {lossCuda}, new double[] {bounds.dLoss()});
                List<Model<?, ?>> cpuNodes = onCpu.walk();
                List<Model<?, ?>> cudaNodes = onCuda.walk();
                List<double[]> updateBounds = new ArrayList<>();
                for (int li = 0; li < layers.size(); li++) {
                    int node = layers.get(li).node();
                    for (String p : List.of("W", "b")) {
                        double[] gradBound = p.equals("W") ? bounds.dW().get(li) : bounds.db().get(li);
                        float[] g = cpuNodes.get(node).getGrad(p).toFloatArray();
                        assertWithin(at + " gradient " + node + "." + p, g, cudaNodes.get(node).getGrad(p).toFloatArray(),
                                gradBound);
                        MomentsFile.Entry e = moments.get(node + ":" + p);
                        float[] w = cpuNodes.get(node).getParam(p).toFloatArray();
                        updateBounds.add(AdamBounds.update(ADAM, e == null ? 1 : e.count() + 1, w, g, gradBound,
                                e == null ? new float[w.length] : e.m(), e == null ? new float[w.length] : e.v()));
                    }
                }
                onCpu.finishUpdate(cpuAdam);
                onCuda.finishUpdate(cudaAdam);
                int k = 0;
                for (DenseLayers.Layer l : layers) {
                    for (String p : List.of("W", "b")) {
                        assertWithin(at + " updated " + l.node() + "." + p, cpuNodes.get(l.node()).getParam(p).toFloatArray(),
                                cudaNodes.get(l.node()).getParam(p).toFloatArray(), updateBounds.get(k++));
                    }
                }
                cpuLosses.add(lossCpu);
                stepNo++;
            }
            assertThat(onCudaBatches.hasNext()).as("epoch " + epoch + ": CUDA has no extra batch").isFalse();
        }
        assertThat(stepNo).isEqualTo(EPOCHS * (ROWS / BATCH));
        assertThat(cpuLosses.get(cpuLosses.size() - 1)).as("the model learned").isLessThan(cpuLosses.get(0) / 2);
    }

    /** Copies every parameter's values from the CPU model into the CUDA model's arrays. */
    private void syncWeights(Model<?, ?> from, Model<?, ?> to) {
        List<Model<?, ?>> a = from.walk();
        List<Model<?, ?>> b = to.walk();
        for (int i = 0; i < a.size(); i++) {
            for (String p : a.get(i).paramNames()) {
                if (a.get(i).hasParam(p)) {
                    cuda().copyFromHost(b.get(i).getParam(p), a.get(i).getParam(p).toFloatArray(), 0);
                }
            }
        }
    }

    @Test
    void gradientsAccumulateAndBackpropTwiceAsOnTheCpu() {
        Model<FloatArray, FloatArray> onCpu = cpuModel();
        train(onCpu, cpu);  // non-zero Softmax weights, so every layer gets a gradient
        Model<FloatArray, FloatArray> onCuda = onCpu.copy().toOps(cuda());
        List<DenseLayers.Layer> layers = DenseLayers.of(onCpu, true);
        MlpBounds.Step bounds = MlpBounds.backward(layers, MlpBounds.forward(layers, features, ROWS), labels);
        Map<String, float[]> before = params(onCpu);
        CategoricalCrossentropy loss = new CategoricalCrossentropy();
        List<Map<String, float[]>> twice = new ArrayList<>();
        for (Model<FloatArray, FloatArray> model : List.of(onCpu, onCuda)) {
            Ops ops = model.ops();
            FloatArray x = ops.asArray(features, ROWS, FEATURES);
            IntArray y = ops.asInts(labels);
            Map<String, float[]> g1 = backprop(model, loss, x, y);
            Map<String, float[]> g2 = backprop(model, loss, x, y);
            // The second backprop adds the same product again: within one more rounding of the sum.
            forEachGradient(layers, (li, p, key) -> {
                float[] once = g1.get(key);
                float[] doubled = new float[once.length];
                for (int i = 0; i < once.length; i++) {
                    doubled[i] = 2 * once[i];
                }
                assertWithin(ops.name() + ": accumulated " + key, doubled, g2.get(key), accumulation(bounds, li, p, once));
            });
            twice.add(g2);
        }
        forEachGradient(layers, (li, p, key) -> {
            float[] once = twice.get(0).get(key);
            double[] single = p.equals("W") ? bounds.dW().get(li) : bounds.db().get(li);
            double[] acc = accumulation(bounds, li, p, once);
            double[] both = new double[single.length];
            for (int i = 0; i < both.length; i++) {
                both[i] = 2 * single[i] + 2 * acc[i];
            }
            assertWithin("CUDA gradients vs CPU " + key, once, twice.get(1).get(key), both);
        });
        List<Model<?, ?>> cpuNodes = onCpu.walk();
        Map<String, double[]> updateBounds = new LinkedHashMap<>();
        forEachGradient(layers, (li, p, key) -> {
            float[] g = twice.get(0).get(key);
            double[] single = p.equals("W") ? bounds.dW().get(li) : bounds.db().get(li);
            double[] acc = accumulation(bounds, li, p, g);
            double[] dg = new double[g.length];
            for (int i = 0; i < dg.length; i++) {
                dg[i] = 2 * single[i] + 2 * acc[i];
            }
            float[] w = cpuNodes.get(layers.get(li).node()).getParam(p).toFloatArray();
            updateBounds.put(key, AdamBounds.update(ADAM, 1, w, g, dg, new float[w.length], new float[w.length]));
        });
        onCpu.finishUpdate(adam());
        onCuda.finishUpdate(adam());
        Map<String, float[]> afterCpu = params(onCpu);
        Map<String, float[]> afterCuda = params(onCuda);
        assertThat(afterCpu).as("the update changed the weights").isNotEqualTo(before);
        forEachGradient(layers, (li, p, key) -> assertWithin("parameters after the update " + key, afterCpu.get(key),
                afterCuda.get(key), updateBounds.get(key)));
        for (Model<FloatArray, FloatArray> model : List.of(onCpu, onCuda)) {
            for (Model<?, ?> node : model.walk()) {
                for (String p : node.paramNames()) {
                    if (node.hasGrad(p)) {
                        assertThat(node.getGrad(p).toFloatArray()).as(model.ops().name() + ": zeroed after the update")
                                .containsOnly(0f);
                    }
                }
            }
        }
    }

    /** {@code key} is {@code "node:name.param"}, as {@link #params} names them. */
    private interface GradientVisitor {
        void visit(int layer, String param, String key);
    }

    private static void forEachGradient(List<DenseLayers.Layer> layers, GradientVisitor v) {
        for (int li = 0; li < layers.size(); li++) {
            DenseLayers.Layer l = layers.get(li);
            for (String p : List.of("W", "b")) {
                v.visit(li, p, l.node() + ":" + (l.softmax() ? "softmax" : "relu") + "." + p);
            }
        }
    }

    /**
     * The second backprop into a gradient that holds {@code once}: the same sum again, added with the
     * old value as one more term, so within {@code 2 gamma(B + 1) (sum |terms| + |once|)}.
     */
    private static double[] accumulation(MlpBounds.Step bounds, int layer, String param, float[] once) {
        double[] mag = param.equals("W") ? bounds.magW().get(layer) : bounds.magB().get(layer);
        double rel = ErrorModel.twoOrders(ROWS + 1);
        double[] out = new double[once.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = rel * (mag[i] + Math.abs(once[i])) + 2 * ErrorModel.U * Math.abs(2.0 * once[i]);
        }
        return out;
    }

    /** One backprop of the loss's gradient over the whole data; returns the gradients accumulated so far. */
    private static Map<String, float[]> backprop(Model<FloatArray, FloatArray> model, CategoricalCrossentropy loss,
            FloatArray x, IntArray y) {
        Result<FloatArray, FloatArray> r = model.beginUpdate(x);
        r.backprop().apply(loss.getGrad(r.output(), Truths.of(y)));
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
}
