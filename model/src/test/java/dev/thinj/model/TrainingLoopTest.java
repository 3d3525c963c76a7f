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
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The training loop from Thinc's "Training Models" page, in Java, on the CPU backend:
 * {@code beginUpdate}, the loss gradient, backprop, {@code finishUpdate}; then the variations the
 * page describes (accumulating gradients, editing a gradient before the update, evaluating in a
 * prediction context).
 */
class TrainingLoopTest {
    private final Ops ops = Ops.get("cpu");
    private FashionMnistSubset train;
    private FashionMnistSubset test;

    @BeforeEach
    void load() {
        train = FashionMnistSubset.train();
        test = FashionMnistSubset.test();
        RandomSeeds.fix(0);
    }

    private final CategoricalCrossentropy loss = new CategoricalCrossentropy();

    /** Thinc's {@code loss_calc.get_grad(Yh, Y)}. */
    private FloatArray cceGrad(FloatArray probs, IntArray labels) {
        return loss.getGrad(probs, Truths.of(labels));
    }

    private float accuracy(Model<FloatArray, FloatArray> model, FashionMnistSubset data) {
        FloatArray x = ops.asArray(data.images(), data.size(), FashionMnistSubset.PIXELS);
        int[] guesses = ops.argmax(model.predict(x)).toIntArray();
        int correct = 0;
        for (int i = 0; i < guesses.length; i++) {
            correct += guesses[i] == data.labels()[i] ? 1 : 0;
        }
        return (float) correct / guesses.length;
    }

    private int[] shuffled(int n, Random r) {
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    @Test
    void aSmallMlpLearnsFashionMnistAbove80Percent() {
        Model<FloatArray, FloatArray> model = Chain.of(Relu.of(64), Softmax.of());
        FloatArray xAll = ops.asArray(train.images(), train.size(), FashionMnistSubset.PIXELS);
        IntArray yAll = ops.asInts(train.labels());
        model.initialize(ops.sliceRows(xAll, 0, 5), ops.oneHot(ops.sliceRows(yAll, 0, 5), 10, 0f));
        Optimizer optimizer = Adam.of(0.001);
        Random r = new Random(0);
        int batch = 32;
        for (int epoch = 0; epoch < 8; epoch++) {
            int[] order = shuffled(train.size(), r);
            for (int start = 0; start < order.length; start += batch) {
                IntArray rows = ops.asInts(Arrays.copyOfRange(order, start, Math.min(order.length, start + batch)));
                FloatArray x = ops.gatherRows(xAll, rows);
                IntArray y = ops.gatherRows(yAll, rows);
                Result<FloatArray, FloatArray> result = model.beginUpdate(x);
                result.backprop().apply(cceGrad(result.output(), y));
                model.finishUpdate(optimizer);
                optimizer.stepSchedules();
            }
        }
        assertThat(accuracy(model, test)).isGreaterThan(0.80f);
        // Evaluating with the parameter averages is what Thinc's examples do; it must work and be sane.
        try (ParamsScope averaged = model.useParams(optimizer.averages())) {
            assertThat(accuracy(model, test)).isGreaterThan(0.75f);
        }
    }

    @Test
    void gradientsAccumulateOverBatchesUntilTheUpdate() {
        Model<FloatArray, FloatArray> model = Chain.of(Relu.of(16), Softmax.of());
        FloatArray x = ops.asArray(Arrays.copyOf(train.images(), 8 * FashionMnistSubset.PIXELS), 8, FashionMnistSubset.PIXELS);
        IntArray y = ops.asInts(Arrays.copyOf(train.labels(), 8));
        model.initialize(x, ops.oneHot(y, 10, 0f));
        // Softmax starts at zero weights (Thinc's init), so its own gradient is the one that flows first.
        Model<FloatArray, FloatArray> softmax = model.layer(1);

        Result<FloatArray, FloatArray> first = model.beginUpdate(x);
        first.backprop().apply(cceGrad(first.output(), y));
        float[] once = softmax.getGrad("W").toFloatArray();
        Result<FloatArray, FloatArray> second = model.beginUpdate(x);
        second.backprop().apply(cceGrad(second.output(), y));
        float[] twice = softmax.getGrad("W").toFloatArray();
        for (int i = 0; i < once.length; i++) {
            assertThat(twice[i]).isCloseTo(2 * once[i], org.assertj.core.data.Offset.offset(1e-6f + Math.abs(once[i]) * 1e-5f));
        }
        assertThat(once).as("some gradient flowed").isNotEqualTo(new float[once.length]);

        float[] before = softmax.getParam("W").toFloatArray();
        model.finishUpdate(Adam.of(0.001));
        assertThat(softmax.getParam("W").toFloatArray()).isNotEqualTo(before);
        assertThat(softmax.hasGrad("W")).as("a zeroed gradient stays present").isTrue();
        assertThat(softmax.getGrad("W").toFloatArray()).containsOnly(0f);
    }

    @Test
    void aGradientEditedBeforeTheUpdateIsWhatTheOptimizerSees() {
        Model<FloatArray, FloatArray> model = Chain.of(Relu.of(16), Softmax.of());
        FloatArray x = ops.asArray(Arrays.copyOf(train.images(), 8 * FashionMnistSubset.PIXELS), 8, FashionMnistSubset.PIXELS);
        IntArray y = ops.asInts(Arrays.copyOf(train.labels(), 8));
        model.initialize(x, ops.oneHot(y, 10, 0f));
        Model<FloatArray, FloatArray> relu = model.layer(0);
        Model<FloatArray, FloatArray> softmax = model.layer(1);
        // One ordinary step first: with Softmax's zero init no gradient reaches the Relu before it.
        Result<FloatArray, FloatArray> warm = model.beginUpdate(x);
        warm.backprop().apply(cceGrad(warm.output(), y));
        model.finishUpdate(Adam.builder().learnRate(0.01).useAverages(false).build());

        Result<FloatArray, FloatArray> result = model.beginUpdate(x);
        result.backprop().apply(cceGrad(result.output(), y));
        assertThat(relu.getGrad("W").toFloatArray()).as("the Relu now gets a gradient").isNotEqualTo(
                new float[relu.getGrad("W").size()]);
        // Freeze the first layer by zeroing its gradients; the second still learns.
        ops.fill(relu.getGrad("W"), 0f);
        ops.fill(relu.getGrad("b"), 0f);
        float[] reluBefore = relu.getParam("W").toFloatArray();
        float[] softmaxBefore = softmax.getParam("W").toFloatArray();
        model.finishUpdate(Adam.builder().learnRate(0.001).useAverages(false).build());
        assertThat(relu.getParam("W").toFloatArray()).containsExactly(reluBefore);
        assertThat(softmax.getParam("W").toFloatArray()).isNotEqualTo(softmaxBefore);
    }

    @Test
    void notCallingBackpropLeavesGradientsAlone() {
        Model<FloatArray, FloatArray> model = Chain.of(Relu.of(16), Softmax.of());
        FloatArray x = ops.asArray(Arrays.copyOf(train.images(), 4 * FashionMnistSubset.PIXELS), 4, FashionMnistSubset.PIXELS);
        model.initialize(x, ops.alloc(4, 10));
        model.beginUpdate(x);
        for (Model<?, ?> node : model.walk()) {
            for (String p : node.paramNames()) {
                assertThat(node.hasGrad(p)).as(node.name() + "." + p).isFalse();
            }
        }
        model.finishUpdate(Adam.of(0.001));
    }

    @Test
    void predictionTurnsDropoutOff() {
        Model<FloatArray, FloatArray> model = Chain.of(Relu.of(32, 0.5f), Linear.of(10));
        FloatArray x = ops.asArray(Arrays.copyOf(train.images(), 4 * FashionMnistSubset.PIXELS), 4, FashionMnistSubset.PIXELS);
        model.initialize(x, ops.alloc(4, 10));
        float[] p1 = model.predict(x).toFloatArray();
        float[] p2 = model.predict(x).toFloatArray();
        assertThat(p1).containsExactly(p2);
        float[] t1 = model.beginUpdate(x).output().toFloatArray();
        float[] t2 = model.beginUpdate(x).output().toFloatArray();
        assertThat(t1).as("training draws a fresh mask each call").isNotEqualTo(t2);
    }
}
