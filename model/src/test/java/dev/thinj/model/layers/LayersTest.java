package dev.thinj.model.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.Result;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.ThinjException;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every layer's backward pass against finite differences, plus shapes, inits and errors. */
class LayersTest {
    private final Ops ops = Ops.get("cpu");

    @BeforeEach
    void seed() {
        RandomSeeds.fix(7);
    }

    private FloatArray input(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return ops.asArray(v, rows, cols);
    }

    /** Gives zero-initialised layers non-trivial weights so their gradients are exercised. */
    private void randomise(Model<?, ?> model, long seed) {
        for (Model<?, ?> node : model.walk()) {
            for (String p : node.paramNames()) {
                FloatArray param = node.getParam(p);
                Random r = new Random(seed++);
                float[] v = new float[param.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * 0.5);
                }
                ops.copyFromHost(param, v, 0);
            }
        }
    }

    private Model<FloatArray, FloatArray> ready(Model<FloatArray, FloatArray> model, FloatArray x) {
        model.initialize(x, null);
        randomise(model, 11);
        return model;
    }

    @Test
    void linearBackpropMatchesFiniteDifferences() {
        FloatArray x = input(5, 7, 1);
        GradientCheck.check(ready(Linear.of(4, 7), x), x, 2);
    }

    @Test
    void reluBackpropMatchesFiniteDifferences() {
        FloatArray x = input(5, 7, 3);
        GradientCheck.check(ready(Relu.of(6), x), x, 4);
    }

    @Test
    void sigmoidBackpropMatchesFiniteDifferences() {
        FloatArray x = input(4, 6, 5);
        GradientCheck.check(ready(Sigmoid.of(3, null), x), x, 6);
    }

    @Test
    void maxoutBackpropMatchesFiniteDifferences() {
        FloatArray x = input(5, 6, 7);
        GradientCheck.check(ready(Maxout.of(4, 3), x), x, 8);
    }

    @Test
    void layerNormBackpropMatchesFiniteDifferences() {
        FloatArray x = input(4, 9, 9);
        GradientCheck.check(ready(LayerNorm.of(null), x), x, 10);
    }

    @Test
    void combinatorsBackpropMatchFiniteDifferences() {
        FloatArray x = input(4, 5, 13);
        GradientCheck.check(ready(Chain.of(Relu.of(6), Linear.of(3)), x), x, 14);
        GradientCheck.check(ready(Concatenate.of(Linear.of(2), Relu.of(3)), x), x, 15);
        GradientCheck.check(ready(Residual.of(Linear.of(5, 5)), x), x, 16);
        GradientCheck.check(ready(Clone.of(Linear.of(5, 5), 3), x), x, 17);
        GradientCheck.check(ready(Relu.of(5, null, null, true), x), x, 18);
    }

    @Test
    void softmaxBackpropTakesTheGradientOfTheLogits() {
        // Thinc's Softmax passes dY straight through the affine part (it expects d loss / d logits).
        FloatArray x = input(3, 4, 19);
        Model<FloatArray, FloatArray> softmax = ready(Softmax.of(5, 4, true, 2f), x);
        FloatArray dY = input(3, 5, 20);
        FloatArray dX = softmax.beginUpdate(x).backprop().apply(dY);
        FloatArray scaled = ops.scale(dY, 0.5f);
        assertThat(dX.toFloatArray()).containsExactly(ops.gemm(scaled, softmax.getParam("W")).toFloatArray());
        assertThat(softmax.getGrad("b").toFloatArray()).containsExactly(ops.sumRows(scaled).toFloatArray());
    }

    @Test
    void softmaxWithoutNormalizedOutputsPredictsLogitsAndRefusesBackprop() {
        FloatArray x = input(3, 4, 21);
        Model<FloatArray, FloatArray> raw = ready(Softmax.of(5, 4, false, 1f), x);
        float[] logits = ops.affine(x, raw.getParam("W"), raw.getParam("b")).toFloatArray();
        assertThat(raw.predict(x).toFloatArray()).containsExactly(logits);
        Result<FloatArray, FloatArray> train = raw.apply(x, true);
        float sum = 0;
        for (int j = 0; j < 5; j++) {
            sum += train.output().get(0, j);
        }
        assertThat(sum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        Result<FloatArray, FloatArray> predictMode = raw.apply(x, false);
        assertThatThrownBy(() -> predictMode.backprop().apply(ops.alloc(3, 5)))
                .isInstanceOf(ThinjException.class).hasMessageContaining("unnormalized Softmax");
        assertThatThrownBy(() -> Softmax.of(5, 4, true, 0f)).hasMessageContaining("temperature");
    }

    @Test
    void initializersFollowThinc() {
        FloatArray x = input(2, 30, 22);
        Model<FloatArray, FloatArray> relu = Relu.of(20).initialize(x, null);
        float limit = (float) Math.sqrt(6.0 / (20 + 30));
        assertThat(relu.getParam("W").shape()).containsExactly(20, 30);
        for (float v : relu.getParam("W").toFloatArray()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(limit);
        }
        assertThat(relu.getParam("b").toFloatArray()).containsOnly(0f);
        Model<FloatArray, FloatArray> softmax = Softmax.of(3).initialize(x, null);
        assertThat(softmax.getParam("W").toFloatArray()).containsOnly(0f);
        Model<FloatArray, FloatArray> norm = LayerNorm.of(null).initialize(x, null);
        assertThat(norm.getParam("G").toFloatArray()).containsOnly(1f);
        assertThat(Maxout.of(4, 2).initialize(x, null).getParam("W").shape()).containsExactly(4, 2, 30);
    }

    @Test
    void seedsMakeInitialisationReproducible() {
        FloatArray x = input(2, 8, 23);
        RandomSeeds.fix(42);
        float[] a = Relu.of(5).initialize(x, null).getParam("W").toFloatArray();
        RandomSeeds.fix(42);
        float[] b = Relu.of(5).initialize(x, null).getParam("W").toFloatArray();
        assertThat(a).containsExactly(b);
        Model<FloatArray, FloatArray> cloned = Clone.of(Linear.of(8, 8), 2).initialize(x, null);
        assertThat(cloned.<FloatArray, FloatArray>layer(0).getParam("W").toFloatArray())
                .as("clones get their own weights")
                .isNotEqualTo(cloned.<FloatArray, FloatArray>layer(1).getParam("W").toFloatArray());
    }

    @Test
    void chainInfersDimsFromSampleData() {
        FloatArray x = input(3, 12, 24);
        FloatArray y = ops.alloc(3, 4);
        Model<FloatArray, FloatArray> model = Chain.of(Relu.of(8), Softmax.of()).initialize(x, y);
        assertThat(model.getDim("nI")).isEqualTo(12);
        assertThat(model.getDim("nO")).isEqualTo(4);
        assertThat(model.predict(x).shape()).containsExactly(3, 4);
        Model<FloatArray, FloatArray> cat = Concatenate.of(Linear.of(2), Linear.of(3)).initialize(x, null);
        assertThat(cat.getDim("nO")).isEqualTo(5);
        assertThat(cat.predict(x).shape()).containsExactly(3, 5);
    }

    @Test
    void shapeErrorsNameTheLayerAndTheShapes() {
        Model<FloatArray, FloatArray> linear = Linear.of(4, 7).initialize();
        assertThatThrownBy(() -> linear.predict(input(2, 6, 25)))
                .isInstanceOf(ShapeException.class)
                .hasMessageContaining("linear").hasMessageContaining("nI=7").hasMessageContaining("(2, 6)");
        Result<FloatArray, FloatArray> r = linear.beginUpdate(input(2, 7, 26));
        assertThatThrownBy(() -> r.backprop().apply(ops.alloc(2, 5)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("linear").hasMessageContaining("(2, 4)");
        assertThatThrownBy(() -> Relu.of(3).initialize())
                .isInstanceOf(ThinjException.class).hasMessageContaining("nI").hasMessageContaining("relu");
        assertThatThrownBy(() -> Linear.of(4, 7).initialize(input(2, 5, 27), null))
                .isInstanceOf(ShapeException.class).hasMessageContaining("'nI'").hasMessageContaining("from 7 to 5");
    }

    @Test
    void dropoutScalesKeptCellsAndIsTheIdentityWhenPredicting() {
        FloatArray x = ops.asArray(new float[200], 10, 20);
        ops.fill(x, 1f);
        Model<FloatArray, FloatArray> dropout = Dropout.of(0.25f);
        assertThat(dropout.predict(x)).isSameAs(x);
        Result<FloatArray, FloatArray> r = dropout.beginUpdate(x);
        float[] y = r.output().toFloatArray();
        assertThat(y).containsAnyOf(0f).containsAnyOf(1f / 0.75f);
        for (float v : y) {
            assertThat(v).isIn(0f, 1f / 0.75f);
        }
        assertThat(r.backprop().apply(x).toFloatArray()).as("backprop applies the same mask").containsExactly(y);
        dropout.setAttr("is_enabled", false);
        assertThat(dropout.beginUpdate(x).output()).isSameAs(x);
    }
}
