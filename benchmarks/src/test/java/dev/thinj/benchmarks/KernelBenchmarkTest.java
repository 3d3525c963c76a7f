package dev.thinj.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.benchmarks.reference.Reference;
import dev.thinj.ops.BackendUnavailableException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each method of {@link KernelBenchmark} computes what {@link Reference} defines, at the grid's
 * smallest shape (32, 512), on the CPU backend: ND4J's side is checked against the same definitions
 * (module {@code benchmarks-nd4j}), so the race times the same work on both.
 */
class KernelBenchmarkTest {
    private static final int B = 32;
    private static final int W = 512;
    /** The checksum of {@code Operands.make(3, 5)}; {@code Nd4jKernelBenchmarkTest} pins the same. */
    static final long OPERANDS_3x5 = -2_659_199_528_124_741_744L;

    private KernelBenchmark k;
    private KernelBenchmark.Operands o;

    @BeforeEach
    void setUp() {
        k = new KernelBenchmark();
        k.backend = "cpu";
        k.batch = B;
        k.width = W;
        k.setUp();
        o = KernelBenchmark.Operands.make(B, W);
    }

    @AfterEach
    void tearDown() {
        k.tearDown();
    }

    @Test
    void operandsAreTheOnesBothModulesPin() {
        KernelBenchmark.Operands small = KernelBenchmark.Operands.make(3, 5);
        assertThat(Reference.checksum(small.x(), small.xTransposed(), small.dy(), small.w(), small.bias(),
                small.gain(), small.oneHot(), small.secondMoment())).isEqualTo(OPERANDS_3x5);
        assertThat(small.xTransposed()[1 * 3 + 2]).isEqualTo(small.x()[2 * 5 + 1]);
    }

    @Test
    void gemmsComputeTheFourTranspositions() {
        assertThat(Reference.maxError(k.gemmNN().toFloatArray(), Reference.gemm(o.x(), B, W, false, o.w(), W, W, false)))
                .isLessThan(1e-4);
        assertThat(Reference.maxError(k.gemmNT().toFloatArray(), Reference.gemm(o.x(), B, W, false, o.w(), W, W, true)))
                .isLessThan(1e-4);
        assertThat(Reference.maxError(k.gemmTN().toFloatArray(), Reference.gemm(o.x(), B, W, true, o.dy(), B, W, false)))
                .isLessThan(1e-4);
        assertThat(Reference.maxError(k.gemmTT().toFloatArray(), Reference.gemm(o.xTransposed(), W, B, true, o.w(), W, W, true)))
                .isLessThan(1e-4);
    }

    @Test
    void elementwiseKernelsRunInPlace() {
        assertThat(Reference.maxError(k.biasAdd().toFloatArray(), Reference.addBias(o.x(), B, W, o.bias()))).isLessThan(1e-6);
        k.inplace.close();
        k.inplace = k.ops.asArray(o.x(), B, W);
        assertThat(Reference.maxError(k.relu().toFloatArray(), Reference.relu(o.x()))).isZero();
        assertThat(k.relu()).isSameAs(k.inplace);
    }

    @Test
    void reluBackwardMasksTheGradient() {
        k.inplace.close();
        k.inplace = k.ops.asArray(o.dy(), B, W);
        assertThat(Reference.maxError(k.reluBackward().toFloatArray(), Reference.reluBackward(o.dy(), o.x()))).isZero();
    }

    @Test
    void softmaxSigmoidTanhGelu() {
        assertThat(Reference.maxError(k.softmax().toFloatArray(), Reference.softmax(o.x(), B, W))).isLessThan(1e-6);
        setUp();
        assertThat(Reference.maxError(k.sigmoid().toFloatArray(), Reference.sigmoid(o.x()))).isLessThan(1e-6);
        setUp();
        assertThat(Reference.maxError(k.tanh().toFloatArray(), Reference.tanh(o.x()))).isLessThan(1e-6);
        try (FloatArray y = k.geluResult()) {
            assertThat(Reference.maxError(y.toFloatArray(), Reference.gelu(o.x()))).isLessThan(1e-6);
        }
    }

    @Test
    void layerNormNormalisesRows() {
        try (LayerNormResult r = k.layerNormResult()) {
            assertThat(Reference.maxError(r.output().toFloatArray(), Reference.layerNorm(o.x(), B, W, o.gain(), o.bias())))
                    .isLessThan(1e-4);
        }
    }

    @Test
    void dropoutMaskKeepsFourFifthsScaledUp() {
        try (FloatArray m = k.dropoutMaskResult()) {
            float[] values = m.toFloatArray();
            int kept = 0;
            for (float v : values) {
                assertThat(v).isIn(0f, 1.25f);
                kept += v > 0 ? 1 : 0;
            }
            assertThat((double) kept / values.length).isBetween(0.78, 0.82);
        }
    }

    @Test
    void rowSumArgmaxAndCrossEntropy() {
        assertThat(Reference.maxError(k.rowSum().toFloatArray(), Reference.columnSums(o.x(), B, W))).isLessThan(1e-5);
        try (IntArray i = k.argmaxResult()) {
            assertThat(i.toIntArray()).containsExactly(Reference.argmax(o.x(), B, W));
        }
        try (FloatArray d = k.crossEntropyGradResult()) {
            assertThat(Reference.maxError(d.toFloatArray(),
                    Reference.scaledDifference(Reference.softmax(o.x(), B, W), o.oneHot(), 1.0 / B))).isLessThan(1e-6);
        }
    }

    @Test
    void optimizersUpdateTheParameter() {
        // Betas of 1 (see the class comment): the moments stay as they are and the gradient is zeroed.
        double[] want = Reference.adam(o.x(), o.dy(), o.dy(), o.secondMoment(), 1, 1, 1e-8, 1e-3);
        assertThat(Reference.maxError(k.adam().toFloatArray(), want)).isLessThan(1e-6);
        assertThat(k.paramGrad.toFloatArray()).containsOnly(0f);
        setUp();
        assertThat(Reference.maxError(k.sgd().toFloatArray(), Reference.sgd(o.x(), o.dy(), 1e-3))).isLessThan(1e-6);
    }

    @Test
    void fixedCostAddsInPlace() {
        FixedCostBenchmark f = new FixedCostBenchmark();
        f.backend = "cpu";
        f.size = 128;
        f.setUp();
        try {
            float[] before = f.addInPlace().toFloatArray();
            float[] after = f.addInPlace().toFloatArray();
            float[] b = GemmBenchmark.uniform(new java.util.SplittableRandom(11), 256);
            for (int i = 0; i < 128; i++) {
                assertThat(after[i] - before[i]).isCloseTo(b[128 + i], org.assertj.core.data.Offset.offset(1e-6f));
            }
        } finally {
            f.tearDown();
        }
    }

    @Test
    void trainingStepLearnsTheFixedBatch() {
        TrainingStepBenchmark t = new TrainingStepBenchmark();
        t.backend = "cpu";
        t.setUp();
        try {
            float first = t.step();
            for (int i = 0; i < 20; i++) {
                t.step();
            }
            // A probability of the output softmax; the model memorises 128 examples quickly.
            assertThat(first).isBetween(0f, 1f);
            assertThat(t.step()).isBetween(0f, 1f).isNotEqualTo(first);
        } finally {
            t.tearDown();
        }
    }

    @Test
    void anUnknownBackendFailsTheSetupWithTheReason() {
        KernelBenchmark bad = new KernelBenchmark();
        bad.backend = "nosuch";
        bad.batch = 1;
        bad.width = 1;
        assertThatThrownBy(bad::setUp).isInstanceOf(BackendUnavailableException.class).hasMessageContaining("nosuch");
    }
}
