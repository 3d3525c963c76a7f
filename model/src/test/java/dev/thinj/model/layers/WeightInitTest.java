package dev.thinj.model.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code init_W} / {@code init_b} hooks of the layers, and the initializers behind them. */
class WeightInitTest {
    private final Ops ops = Ops.get("cpu");

    @Test
    void layersFillTheirParametersWithTheGivenInitializers() {
        Model<FloatArray, FloatArray> relu = Relu.of(3, 4, WeightInit.ZEROS, (o, seed, shape) -> {
            FloatArray b = o.alloc(shape);
            o.fill(b, 0.5f);
            return b;
        }, null, false);
        relu.initialize();
        assertThat(relu.getParam("W").toFloatArray()).containsOnly(0f);
        assertThat(relu.getParam("b").toFloatArray()).containsOnly(0.5f);
    }

    @Test
    void eachLayerPassesItsParameterShapes() {
        List<String> shapes = new ArrayList<>();
        WeightInit record = (o, seed, shape) -> {
            shapes.add(Arrays.toString(shape));
            return o.alloc(shape);
        };
        Maxout.of(2, 5, 3, record, record, null, false).initialize();
        Linear.of(2, 5, record, record).initialize();
        Sigmoid.of(2, 5, record, record).initialize();
        Softmax.of(2, 5, record, record, true, 1f).initialize();
        assertThat(shapes).containsExactly("[2, 3, 5]", "[2, 3]", "[2, 5]", "[2]", "[2, 5]", "[2]", "[2, 5]", "[2]");
    }

    @Test
    void defaultsAreThincs() {
        Model<FloatArray, FloatArray> relu = Relu.of(3, 4, null, null, null, false).initialize();
        assertThat(relu.getParam("W").toFloatArray()).doesNotContain(0f);
        assertThat(relu.getParam("b").toFloatArray()).containsOnly(0f);
        Model<FloatArray, FloatArray> softmax = Softmax.of(3, 4).initialize();
        assertThat(softmax.getParam("W").toFloatArray()).containsOnly(0f);
    }

    @Test
    void weightsAndBiasDrawFromDifferentSeeds() {
        WeightInit uniform = (o, seed, shape) -> Initializers.uniform(o, seed, -1, 1, shape);
        Model<FloatArray, FloatArray> linear = Linear.of(4, 4, uniform, uniform).initialize();
        float[] w = linear.getParam("W").toFloatArray();
        float[] b = linear.getParam("b").toFloatArray();
        assertThat(Arrays.copyOf(w, 4)).isNotEqualTo(b);
    }

    @Test
    void normalHasTheRequestedMeanAndSpread() {
        float[] v = Initializers.normal(ops, 7, 2.0, 0.5, 100, 100).toFloatArray();
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        assertThat(mean).isCloseTo(2.0, within(0.02));
        assertThat(Math.sqrt(var / v.length)).isCloseTo(0.5, within(0.02));
    }
}
