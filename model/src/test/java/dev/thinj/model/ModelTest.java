package dev.thinj.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Linear;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.ThinjException;
import dev.thinj.ops.cpu.CpuOpsProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Model contract: tree walking, dims, params and grads by name, finishUpdate, moving, swapping. */
class ModelTest {
    private final Ops ops = Ops.get("cpu");

    /** Records what finishUpdate hands over, and zeroes the gradient as an optimizer must. */
    static final class RecordingOptimizer implements Optimizer {
        final List<ParamKey> keys = new ArrayList<>();

        @Override
        public void update(ParamKey key, FloatArray param, FloatArray grad) {
            keys.add(key);
            param.ops().fill(grad, 0f);
        }

        @Override
        public void stepSchedules() {
        }

        @Override
        public void setLastScore(long step, double score) {
        }

        @Override
        public Map<ParamKey, FloatArray> averages() {
            return Map.of();
        }

        @Override
        public double learnRate() {
            return 0;
        }
    }

    @Test
    void walkIsBreadthFirstAndVisitsSharedNodesOnce() {
        Model<FloatArray, FloatArray> shared = Linear.of(3, 3);
        Model<FloatArray, FloatArray> inner = Chain.of(shared, Relu.of(3, 3, null, false));
        Model<FloatArray, FloatArray> outer = Chain.of(inner, shared);
        List<Model<?, ?>> nodes = outer.walk();
        assertThat(nodes).hasSize(4);
        assertThat(nodes.get(0)).isSameAs(outer);
        assertThat(nodes.get(1)).isSameAs(inner);
        assertThat(nodes.get(2)).isSameAs(shared);
        assertThat(nodes.get(3).name()).isEqualTo("relu");
    }

    @Test
    void finishUpdateVisitsOnlyParamsWithGradientsAndKeepsZeroedGradients() {
        Model<FloatArray, FloatArray> a = Linear.of(2, 3).initialize();
        Model<FloatArray, FloatArray> b = Linear.of(2, 2).initialize();
        Model<FloatArray, FloatArray> model = Chain.of(a, b);
        a.incGrad("W", ops.asArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        RecordingOptimizer opt = new RecordingOptimizer();
        model.finishUpdate(opt);
        assertThat(opt.keys).containsExactly(new ParamKey(a.id(), "W"));
        assertThat(a.hasGrad("W")).isTrue();
        assertThat(a.getGrad("W").toFloatArray()).containsOnly(0f);
        assertThat(a.hasGrad("b")).isFalse();
    }

    @Test
    void incGradAddsAndSetGradReplaces() {
        Model<FloatArray, FloatArray> m = Linear.of(2, 2).initialize();
        FloatArray one = ops.asArray(new float[] {1, 1, 1, 1}, 2, 2);
        m.incGrad("W", one);
        m.incGrad("W", one);
        assertThat(m.getGrad("W").toFloatArray()).containsOnly(2f);
        m.setGrad("W", ops.asArray(new float[] {5, 6, 7, 8}, 2, 2));
        assertThat(m.getGrad("W").toFloatArray()).containsExactly(5, 6, 7, 8);
        assertThatThrownBy(() -> m.setGrad("W", ops.alloc(3))).isInstanceOf(ShapeException.class)
                .hasMessageContaining("'W'").hasMessageContaining("(2, 2)");
        assertThatThrownBy(() -> m.getGrad("b")).isInstanceOf(ThinjException.class).hasMessageContaining("No gradient");
    }

    @Test
    void paramsAndDimsByNameWithClearErrors() {
        Model<FloatArray, FloatArray> m = Linear.of(4, null);
        assertThat(m.hasDim("nI")).isFalse();
        assertThatThrownBy(() -> m.getDim("nI")).hasMessageContaining("'nI'").hasMessageContaining("unset");
        assertThatThrownBy(() -> m.getDim("nX")).hasMessageContaining("unknown dimension 'nX'");
        assertThatThrownBy(() -> m.getParam("W")).hasMessageContaining("initialize()");
        assertThatThrownBy(() -> m.getParam("Q")).hasMessageContaining("Unknown parameter 'Q'");
        m.setDim("nI", 3);
        assertThatThrownBy(() -> m.setDim("nI", 5)).isInstanceOf(ShapeException.class).hasMessageContaining("from 3 to 5");
        m.initialize();
        FloatArray w = ops.alloc(4, 3);
        m.setParam("W", w);
        assertThat(m.getParam("W")).isSameAs(w);
        assertThat(m.attrNames()).contains("seed");
    }

    @Test
    void toOpsCopiesParametersToTheNewBackendAndFreesTheOldOnes() {
        Ops other = new CpuOpsProvider().create();
        try {
            Model<FloatArray, FloatArray> m = Chain.of(Relu.of(5, 4, null, false), Linear.of(3, 5)).initialize();
            FloatArray x = ops.asArray(new float[] {1, -2, 3, 0.5f, 2, 1, -1, 0}, 2, 4);
            float[] before = m.predict(x).toFloatArray();
            FloatArray oldW = m.<FloatArray, FloatArray>layer(0).getParam("W");
            m.toOps(other);
            assertThat(m.ops()).isSameAs(other);
            for (Model<?, ?> node : m.walk()) {
                assertThat(node.ops()).isSameAs(other);
            }
            assertThat(oldW.isClosed()).isTrue();
            assertThat(m.predict(other.asArray(x)).toFloatArray()).containsExactly(before);
            m.toOps(ops);
            assertThat(m.predict(x).toFloatArray()).containsExactly(before);
        } finally {
            other.close();
        }
    }

    @Test
    void useParamsSwapsAndRestores() {
        Model<FloatArray, FloatArray> m = Linear.of(2, 2).initialize();
        FloatArray original = m.getParam("W");
        FloatArray ones = ops.asArray(new float[] {1, 1, 1, 1}, 2, 2);
        Map<ParamKey, FloatArray> averages = new LinkedHashMap<>();
        averages.put(new ParamKey(m.id(), "W"), ones);
        averages.put(new ParamKey(-1, "W"), ops.alloc(7));
        try (ParamsScope scope = m.useParams(averages)) {
            assertThat(m.getParam("W")).isSameAs(ones);
        }
        assertThat(m.getParam("W")).isSameAs(original);
    }

    @Test
    void copyIsDeepWithNewIds() {
        Model<FloatArray, FloatArray> m = Chain.of(Linear.of(2, 2), Linear.of(2, 2)).initialize();
        Model<FloatArray, FloatArray> c = m.copy();
        assertThat(c.id()).isNotEqualTo(m.id());
        FloatArray w = c.<FloatArray, FloatArray>layer(0).getParam("W");
        assertThat(w).isNotSameAs(m.<FloatArray, FloatArray>layer(0).getParam("W"));
        assertThat(w.toFloatArray()).containsExactly(m.<FloatArray, FloatArray>layer(0).getParam("W").toFloatArray());
    }

    @Test
    void parametersFromAnotherBackendAreRefused() {
        Ops other = new CpuOpsProvider().create();
        try {
            Model<FloatArray, FloatArray> m = Linear.of(2, 2).initialize();
            assertThatThrownBy(() -> m.setParam("W", other.alloc(2, 2)))
                    .isInstanceOf(ThinjException.class).hasMessageContaining("ops.asArray");
        } finally {
            other.close();
        }
    }
}
