package dev.thinj.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.optimizers.Adam;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import org.junit.jupiter.api.Test;

/**
 * Replays {@code thinc_model.json}: two training steps of Thinc 8.1.7's
 * {@code chain(Relu(nO=4, nI=5), Softmax(nO=3, nI=4))} with fixed weights, categorical cross-entropy
 * on integer labels and {@code Adam(0.001)}. Every intermediate is compared: the hidden and output
 * activations, the loss gradient, the input gradient, each layer's weight gradients and the weights
 * after {@code finishUpdate}.
 */
class ThincModelFixtureTest {
    private static final JsonNode DOC = ThincJson.load("/fixtures/thinc_model.json");
    private static final double RTOL = 1e-5;
    /** Activations, probabilities and weights are of order 1: the tolerance is 1e-5 absolute there. */
    private static final double UNIT = 1.0;
    /**
     * Gradients here are of order 1/batch = 0.17 or below, sums of a few products of such terms with
     * inputs of order 1; float32 rounding of those terms leaves errors of a few 1e-8 (3e-8 seen). A
     * floor of 0.1 makes the tolerance 1e-6 absolute for the small entries: tighter than the 1e-5 of
     * the unit floor, which would let a gradient entry of 1e-6 be anything, and still 30x the noise.
     */
    private static final double GRAD = 0.1;
    private static final String[] PARAMS = {"relu.W", "relu.b", "softmax.W", "softmax.b"};

    private final Ops ops = Ops.get("cpu");
    private final int nI = DOC.get("dims").get("nI").asInt();
    private final int nH = DOC.get("dims").get("nH").asInt();
    private final int nC = DOC.get("dims").get("nC").asInt();

    private Model<FloatArray, FloatArray> relu;
    private Model<FloatArray, FloatArray> softmax;

    /** Builds our chain(Relu, Softmax) on the CPU backend with the fixture's weights. */
    private Model<FloatArray, FloatArray> build(Float dropout) {
        Model<FloatArray, FloatArray> reluLayer = Relu.of(nH, nI, dropout, false);
        softmax = Softmax.of(nC, nH);
        // Moved before initialisation, so the parameters are allocated on the CPU backend whatever is current.
        Model<FloatArray, FloatArray> model = Chain.of(reluLayer, softmax).toOps(ops);
        // Relu(dropout=...) is chain(relu, dropout), as in Thinc; the weights sit on the inner relu.
        relu = dropout == null ? reluLayer : reluLayer.layer(0);
        model.initialize();
        JsonNode params = DOC.get("params");
        for (String p : PARAMS) {
            layerOf(p).setParam(nameOf(p), ThincJson.toArray(ops, params.get(p)));
        }
        return model;
    }

    private Model<FloatArray, FloatArray> layerOf(String param) {
        return param.startsWith("relu.") ? relu : softmax;
    }

    private static String nameOf(String param) {
        return param.substring(param.indexOf('.') + 1);
    }

    /** Thinc's CategoricalCrossentropy gradient, normalised: {@code (probs - onehot(labels)) / batch}. */
    private FloatArray crossEntropyGradient(FloatArray probs, IntArray labels) {
        FloatArray truths = ops.oneHot(labels, nC, 0f);
        return ops.scaledDifference(probs, truths, null, 1f / probs.dim(0));
    }

    @Test
    void twoTrainingStepsMatchThinc() {
        assertThat(DOC.get("thinc_version").asText()).isEqualTo("8.1.7");
        Model<FloatArray, FloatArray> model = build(null);
        Optimizer adam = Adam.of(DOC.get("optimizer").get("learn_rate").asDouble());
        int stepNo = 0;
        for (JsonNode step : DOC.get("steps")) {
            String at = "step " + stepNo + ": ";
            FloatArray x = ThincJson.toArray(ops, step.get("X"));
            IntArray labels = ThincJson.toInts(ops, step.get("labels"));
            ThincJson.assertClose(at + "hidden", relu.predict(x), step.get("hidden"), RTOL, UNIT);

            Result<FloatArray, FloatArray> result = model.beginUpdate(x);
            ThincJson.assertClose(at + "probs", result.output(), step.get("probs"), RTOL, UNIT);
            FloatArray dY = crossEntropyGradient(result.output(), labels);
            ThincJson.assertClose(at + "dY", dY, step.get("dY"), RTOL, GRAD);
            FloatArray dX = result.backprop().apply(dY);
            ThincJson.assertClose(at + "dX", dX, step.get("dX"), RTOL, GRAD);
            for (String p : PARAMS) {
                ThincJson.assertClose(at + "d" + p, layerOf(p).getGrad(nameOf(p)), step.get("grads").get(p), RTOL, GRAD);
            }

            model.finishUpdate(adam);
            for (String p : PARAMS) {
                Model<FloatArray, FloatArray> layer = layerOf(p);
                ThincJson.assertClose(at + p + " after update", layer.getParam(nameOf(p)),
                        step.get("params_after").get(p), RTOL, UNIT);
                // finishUpdate zeroes the gradients in place and keeps them, so the next backprop adds into zeros.
                assertThat(layer.getGrad(nameOf(p)).toFloatArray()).as("%s%s gradient after update", at, p)
                        .containsOnly(0f);
            }
            stepNo++;
        }
        assertThat(stepNo).isEqualTo(2);
        // Four parameters, each averaged, keyed by our own node ids.
        assertThat(adam.averages()).hasSize(4)
                .containsKeys(new ParamKey(relu.id(), "W"), new ParamKey(softmax.id(), "b"));
    }

    @Test
    void reluWithZeroDropoutIsTheIdentityInTraining() {
        JsonNode first = DOC.get("steps").get(0);
        Model<FloatArray, FloatArray> plain = build(null);
        Model<FloatArray, FloatArray> plainRelu = relu;
        Model<FloatArray, FloatArray> withDropout = build(0f);
        assertThat(withDropout.layer(0).layers()).as("Relu(dropout=0) is chain(relu, dropout)").hasSize(2);

        FloatArray x = ThincJson.toArray(ops, first.get("X"));
        IntArray labels = ThincJson.toInts(ops, first.get("labels"));
        Result<FloatArray, FloatArray> a = plain.beginUpdate(x);
        Result<FloatArray, FloatArray> b = withDropout.beginUpdate(x);
        ThincJson.assertClose("probs with dropout=0", b.output(), first.get("probs"), RTOL, UNIT);
        assertThat(b.output().toFloatArray()).as("dropout=0 changes nothing, bit for bit")
                .containsExactly(a.output().toFloatArray());

        FloatArray dY = crossEntropyGradient(b.output(), labels);
        assertThat(b.backprop().apply(dY).toFloatArray()).containsExactly(a.backprop().apply(dY).toFloatArray());
        assertThat(relu.getGrad("W").toFloatArray()).containsExactly(plainRelu.getGrad("W").toFloatArray());
        ThincJson.assertClose("dW with dropout=0", relu.getGrad("W"), first.get("grads").get("relu.W"), RTOL, GRAD);
    }
}
