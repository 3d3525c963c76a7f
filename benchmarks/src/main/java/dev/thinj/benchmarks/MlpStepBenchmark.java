package dev.thinj.benchmarks;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the Fashion-MNIST MLP (784-512-512-10, Relu with dropout 0.2, softmax,
 * categorical cross-entropy, Adam), written directly against the kernels: the floor under what the
 * model layer can reach per batch. Multiply by 469 batches for an epoch of 60,000 images.
 * {@code part} isolates the forward pass and the optimizer: plain Adam ({@code adam}); Thinc's default
 * update (Adam and parameter averages, L2 = 0) as two kernels per parameter ({@code thincAdam2}) or as
 * the fused {@code adamUpdate} ({@code thincAdam}); with weight decay (L2 = 1e-6) as three kernels
 * ({@code thincAdamL2x3}) or fused ({@code thincAdamL2}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MlpStepBenchmark {
    private static final int BATCH = 128;
    private static final int[] WIDTHS = {784, 512, 512, 10};
    private static final float DROPOUT = 0.2f;

    @Param({"step", "forward", "adam", "thincAdam2", "thincAdam", "thincAdamL2x3", "thincAdamL2"})
    public String part;

    private Ops ops;
    private FloatArray x;
    private FloatArray truth;
    private final FloatArray[] w = new FloatArray[3];
    private final FloatArray[] b = new FloatArray[3];
    private final FloatArray[] dw = new FloatArray[3];
    private final FloatArray[] db = new FloatArray[3];
    private final FloatArray[][] moments = new FloatArray[6][2];
    /** The parameter averages of Thinc's Adam, in {@code moments}' order. */
    private final FloatArray[] averages = new FloatArray[6];
    private int t;
    private long seed;

    @Setup
    public void setup() {
        ops = Ops.get("cpu");
        Random r = new Random(0);
        float[] xs = new float[BATCH * WIDTHS[0]];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.nextFloat();
        }
        x = ops.asArray(xs, BATCH, WIDTHS[0]);
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = r.nextInt(10);
        }
        try (IntArray l = ops.asInts(labels)) {
            truth = ops.oneHot(l, 10, 0f);
        }
        for (int k = 0; k < 3; k++) {
            int nI = WIDTHS[k];
            int nO = WIDTHS[k + 1];
            float[] ws = new float[nO * nI];
            float limit = (float) Math.sqrt(6.0 / (nI + nO));
            for (int i = 0; i < ws.length; i++) {
                ws[i] = (r.nextFloat() * 2 - 1) * limit;
            }
            w[k] = ops.asArray(ws, nO, nI);
            b[k] = ops.alloc(nO);
            dw[k] = ops.alloc(nO, nI);
            db[k] = ops.alloc(nO);
            moments[2 * k] = new FloatArray[] {ops.alloc(nO, nI), ops.alloc(nO, nI)};
            moments[2 * k + 1] = new FloatArray[] {ops.alloc(nO), ops.alloc(nO)};
            averages[2 * k] = ops.alloc(nO, nI);
            averages[2 * k + 1] = ops.alloc(nO);
        }
    }

    @TearDown
    public void tearDown() {
        // The shared CPU backend lives for the process; nothing else holds native memory.
    }

    @Benchmark
    public Object run() {
        switch (part) {
            case "forward":
                try (FloatArray probs = forwardOnly()) {  // closed: its storage goes back to the pool
                    return probs.get(0, 0);
                }
            case "adam":
                adamAll();
                return w[0];
            case "thincAdam2":
                thincAdamAll(false, 0.0);
                return w[0];
            case "thincAdam":
                thincAdamAll(true, 0.0);
                return w[0];
            case "thincAdamL2x3":
                thincAdamAll(false, 1e-6);
                return w[0];
            case "thincAdamL2":
                thincAdamAll(true, 1e-6);
                return w[0];
            default:
                return step();
        }
    }

    private FloatArray forwardOnly() {
        try (var scope = ops.scope()) {
            FloatArray h = x;
            for (int k = 0; k < 2; k++) {
                h = ops.relu(ops.affine(h, w[k], b[k]), true);
            }
            return scope.keep(ops.softmax(ops.affine(h, w[2], b[2]), 1f, true));
        }
    }

    private float step() {
        try (var scope = ops.scope()) {
            FloatArray[] inputs = new FloatArray[3];
            FloatArray[] masks = new FloatArray[2];
            FloatArray[] outs = new FloatArray[2];
            FloatArray h = x;
            for (int k = 0; k < 2; k++) {
                inputs[k] = h;
                FloatArray y = ops.relu(ops.affine(h, w[k], b[k]), true);
                masks[k] = ops.dropoutMask(DROPOUT, seed++, y.shape());
                ops.mulInPlace(y, masks[k]);
                outs[k] = y;
                h = y;
            }
            inputs[2] = h;
            FloatArray probs = ops.softmax(ops.affine(h, w[2], b[2]), 1f, true);
            FloatArray d = ops.scaledDifference(probs, truth, null, 1f / BATCH);
            for (int k = 2; k >= 0; k--) {
                ops.gemm(d, inputs[k], dw[k], true, false, 1f, 1f);
                ops.sumRows(d, db[k], true);
                if (k > 0) {
                    FloatArray dx = ops.gemm(d, w[k], false, false);
                    ops.mulInPlace(dx, masks[k - 1]);
                    d = ops.backpropRelu(dx, outs[k - 1], true);
                }
            }
            adamAll();
            return probs.get(0, 0);
        }
    }

    /** Thinc's Adam.v1 after clipping: averages on, L2 (as weight decay) {@code l2}. */
    private void thincAdamAll(boolean fused, double l2) {
        t++;
        float rate = dev.thinj.ops.OptimizerKernels.averagesRate(t, 0.9999);
        float decay = (float) (-0.001 * l2);
        for (int k = 0; k < 6; k++) {
            FloatArray p = k % 2 == 0 ? w[k / 2] : b[k / 2];
            FloatArray g = k % 2 == 0 ? dw[k / 2] : db[k / 2];
            if (fused) {
                ops.adamUpdate(p, g, moments[k][0], moments[k][1], averages[k], 0.9f, 0.999f, 1e-8f, 0.001f, 1f, decay,
                        rate);
            } else {
                ops.adam(p, g, moments[k][0], moments[k][1], 0.9f, 0.999f, 1e-8f, 0.001f, 1f);
                if (l2 != 0) {
                    ops.axpy(decay, p, p);
                }
                ops.updateAverages(averages[k], p, t, 0.9999);
            }
        }
    }

    private void adamAll() {
        for (int k = 0; k < 3; k++) {
            ops.adam(w[k], dw[k], moments[2 * k][0], moments[2 * k][1], 0.9f, 0.999f, 1e-8f, 0.001f, 1f);
            ops.adam(b[k], db[k], moments[2 * k + 1][0], moments[2 * k + 1][1], 0.9f, 0.999f, 1e-8f, 0.001f, 1f);
        }
    }
}
