package dev.thinj.ops.cuda.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.Result;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.losses.Truths;
import dev.thinj.model.optimizers.Adam;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.ops.cuda.emulated.Emulated;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The GPU bundle's accuracy checks: a trained model evaluated on the CPU and on the emulated CUDA
 * device agrees with the exact evaluation of its weights; a probability off by more than its bound is
 * caught; McNemar's test passes balanced disagreements between two runs and fails a one-sided excess.
 */
class PredictionAgreementTest {
    private static final int ROWS = 200;
    private static final int WIDTH = 12;
    private static final int CLASSES = 5;

    private final float[] x = new float[ROWS * WIDTH];
    private final int[] labels = new int[ROWS];

    PredictionAgreementTest() {
        Random r = new Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < ROWS; i++) {
            labels[i] = Math.floorMod((int) Math.signum(x[i * WIDTH]) + 2 * (int) Math.signum(x[i * WIDTH + 1]), CLASSES);
        }
    }

    /** A small Relu >> Relu(dropout) >> Softmax trained a few full-batch steps on the CPU. */
    private Model<FloatArray, FloatArray> trained() {
        Ops cpu = Ops.get("cpu");
        RandomSeeds.fix(3);
        try (OpsScope s = Ops.use(cpu)) {
            Model<FloatArray, FloatArray> model = Chain.of(Relu.of(16), Relu.of(8, 0.1f), Softmax.of());
            FloatArray xs = cpu.asArray(x, ROWS, WIDTH);
            model.initialize(xs, cpu.oneHot(cpu.asInts(labels), CLASSES, 0f));
            Optimizer adam = Adam.of(0.02);
            CategoricalCrossentropy loss = new CategoricalCrossentropy();
            for (int step = 0; step < 30; step++) {
                Result<FloatArray, FloatArray> res = model.beginUpdate(xs);
                res.backprop().apply(loss.getGrad(res.output(), Truths.of(cpu.asInts(labels))));
                model.finishUpdate(adam);
            }
            return model;
        }
    }

    @Test
    void theCpuAndTheEmulatedDeviceAgreeWithTheExactEvaluation() {
        Model<FloatArray, FloatArray> model = trained();
        PredictionAgreement.SameWeights onCpu = PredictionAgreement.sameWeights(model, x, ROWS, labels);
        assertThat(onCpu.passed()).as(onCpu.describe("cpu")).isTrue();
        assertThat(onCpu.backendAccuracy()).as("the model learned").isGreaterThan(0.5);
        assertThat(onCpu.nearTies()).as("most images are decisive").isLessThan(ROWS / 10);
        assertThat(PredictionAgreement.exactPredictions(model, x, ROWS)).hasSize(ROWS);

        Emulated.assumeAvailable();
        model.toOps(Emulated.ops());
        PredictionAgreement.SameWeights onCuda = PredictionAgreement.sameWeights(model, x, ROWS, labels);
        assertThat(onCuda.passed()).as(onCuda.describe("cuda")).isTrue();
        assertThat(onCuda.predictions()).containsExactly(onCpu.predictions());
    }

    @Test
    void aProbabilityOffByMoreThanItsBoundIsCaught() {
        Model<FloatArray, FloatArray> model = trained();
        MlpBounds.Forward exact = ProbabilisticBounds.forward(DenseLayers.of(model, false), x, ROWS);
        float[] p = new float[exact.p().length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) exact.p()[i];
        }
        assertThat(PredictionAgreement.check(p, exact, labels).passed()).as("the exact values themselves").isTrue();
        p[7] += 1e-4f;  // a kernel that is off by a ten-thousandth somewhere
        PredictionAgreement.SameWeights off = PredictionAgreement.check(p, exact, labels);
        assertThat(off.outsideBound()).isEqualTo(1);
        assertThat(off.worstRatio()).isGreaterThan(1);
        assertThat(off.passed()).isFalse();
    }

    @Test
    void mcnemarPassesBalancedDisagreementsAndFailsAOneSidedExcess() {
        int n = 100;
        int[] truth = new int[n];
        int[] a = new int[n];
        int[] b = new int[n];
        // Both right on 60, both wrong on 16, only A right on 12, only B right on 12.
        for (int i = 0; i < n; i++) {
            a[i] = i < 60 || (i >= 76 && i < 88) ? 0 : 1;
            b[i] = i < 60 || i >= 88 ? 0 : 1;
        }
        PredictionAgreement.Runs balanced = PredictionAgreement.mcnemar(a, b, truth);
        assertThat(balanced.onlyA()).isEqualTo(12);
        assertThat(balanced.onlyB()).isEqualTo(12);
        assertThat(balanced.passed()).as(balanced.describe("cuda", "cpu")).isTrue();
        assertThat(PredictionAgreement.mcnemar(a, a, truth).z()).as("identical runs").isZero();
        // Only A right on 12, B never alone: z = 12 / sqrt(12) = 3.46.
        PredictionAgreement.Runs lopsided = PredictionAgreement.mcnemar(a, b.clone(), truth);
        int[] worse = b.clone();
        for (int i = 88; i < n; i++) {
            worse[i] = 1;
        }
        lopsided = PredictionAgreement.mcnemar(a, worse, truth);
        assertThat(lopsided.onlyB()).isZero();
        assertThat(lopsided.z()).isGreaterThan(3);
        assertThat(lopsided.passed()).as(lopsided.describe("cuda", "cpu")).isFalse();
    }
}
