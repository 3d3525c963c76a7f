package dev.thinj.benchmarks;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.cuda.CudaOps;
import dev.thinj.ops.cuda.CudaOpsProvider;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The CUDA backend's kernels at the Fashion-MNIST MLP's shapes (784-512-512-10, batch 128): the
 * GEMMs of {@link GemmBenchmark} in float32 and in TF32, relu and softmax on a (128, 512) activation
 * as in {@link SmallKernelBenchmark}, fused Adam on the (512, 784) weight, and one whole training step
 * as in {@link MlpStepBenchmark}.
 *
 * <p><b>Why each call synchronises.</b> CUDA kernels are enqueued and return at once; timing the
 * enqueue alone would measure the host. Every benchmark method ends with {@code ops.synchronize()},
 * so the time is launch plus device execution plus one stream synchronisation (a few microseconds:
 * the floor for any single small kernel; the training step pays it once for dozens of kernels).
 *
 * <p>Where no GPU is usable the trial's setup fails with the CUDA provider's reason.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class CudaKernelBenchmark {
    private static final int BATCH = 128;
    private static final int[] WIDTHS = {784, 512, 512, 10};

    /**
     * {@code gemm_<shape>_<fp32|tf32>} with GemmBenchmark's shapes; {@code relu}/{@code softmax} on
     * (128, 512) in place; {@code adam} on (512, 784); {@code mlp_step}: forward, backward and Adam of
     * the 784-512-512-10 MLP on one batch of 128.
     */
    @Param({"gemm_fwd1_128x512x784_fp32", "gemm_fwd1_128x512x784_tf32", "gemm_fwd2_128x512x512_fp32",
        "gemm_fwd2_128x512x512_tf32", "gemm_fwd3_128x10x512_fp32", "gemm_bwdDx_128x784x512_fp32",
        "gemm_bwdDx_128x784x512_tf32", "gemm_bwdDw_512x784x128_fp32", "gemm_bwdDw_512x784x128_tf32",
        "relu_128x512", "softmax_128x512", "adam_512x784", "mlp_step"})
    public String op;

    private CudaOps ops;
    private FloatArray a;
    private FloatArray b;
    private FloatArray out;
    private boolean transA;
    private boolean transB;
    private float beta;
    private FloatArray weights;
    private FloatArray gradient;
    private FloatArray mom1;
    private FloatArray mom2;
    private final Mlp mlp = new Mlp();

    /** Opens the GPU backend (or fails with the reason) and fills the operands. */
    @Setup(Level.Trial)
    public void setUp() {
        CudaOpsProvider provider = new CudaOpsProvider();
        if (!provider.isAvailable()) {
            throw new IllegalStateException("CudaKernelBenchmark needs a CUDA GPU: " + provider.unavailableReason());
        }
        ops = (CudaOps) Ops.get("cuda");
        ops.setTf32(op.endsWith("_tf32"));
        SplittableRandom random = new SplittableRandom(42);
        if (op.startsWith("gemm_")) {
            String pass = op.split("_")[1];
            // Stored shapes (before any transpose) as in GemmBenchmark: W is (nO, nI), Y = X W^T.
            int[] s = switch (pass) {
                case "fwd1" -> new int[] {128, 784, 512, 784, 0, 1, 0};
                case "fwd2" -> new int[] {128, 512, 512, 512, 0, 1, 0};
                case "fwd3" -> new int[] {128, 512, 10, 512, 0, 1, 0};
                case "bwdDx" -> new int[] {128, 512, 512, 784, 0, 0, 0};
                case "bwdDw" -> new int[] {128, 512, 128, 784, 1, 0, 1};
                default -> throw new IllegalArgumentException("unknown GEMM case " + op);
            };
            transA = s[4] == 1;
            transB = s[5] == 1;
            beta = s[6];
            a = ops.asArray(GemmBenchmark.uniform(random, s[0] * s[1]), s[0], s[1]);
            b = ops.asArray(GemmBenchmark.uniform(random, s[2] * s[3]), s[2], s[3]);
            int m = transA ? s[1] : s[0];
            int n = transB ? s[2] : s[3];
            out = ops.asArray(GemmBenchmark.uniform(random, m * n), m, n);
        } else if (op.startsWith("relu_") || op.startsWith("softmax_")) {
            a = ops.asArray(GemmBenchmark.uniform(random, 128 * 512), 128, 512);
        } else if (op.startsWith("adam_")) {
            weights = ops.asArray(GemmBenchmark.uniform(random, 512 * 784), 512, 784);
            gradient = ops.asArray(GemmBenchmark.uniform(random, 512 * 784), 512, 784);
            mom1 = ops.alloc(512, 784);
            mom2 = ops.alloc(512, 784);
        } else if (op.equals("mlp_step")) {
            mlp.setUp(ops, random);
        } else {
            throw new IllegalArgumentException("unknown case " + op);
        }
        ops.synchronize();
    }

    /** Turns TF32 off again for the next trial in this JVM. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (ops != null) {
            ops.setTf32(false);
            ops.synchronize();
        }
    }

    /**
     * @return an array the case wrote, so nothing is eliminated
     */
    @Benchmark
    public Object run() {
        Object result;
        switch (op.substring(0, op.indexOf('_'))) {
            case "gemm" -> {
                ops.gemm(a, b, out, transA, transB, 1f, beta);
                result = out;
            }
            case "relu" -> result = ops.relu(a, true);
            case "softmax" -> result = ops.softmax(a, 1f, true);
            case "adam" -> {
                // Betas of 1 keep the moments from decaying into subnormals, as in SmallKernelBenchmark.
                ops.adam(weights, gradient, mom1, mom2, 1f, 1f, 1e-8f, 1e-3f, 1f);
                result = weights;
            }
            default -> result = mlp.step();
        }
        ops.synchronize();
        return result;
    }

    /** MlpStepBenchmark's training step (relu with dropout 0.2, softmax, cross-entropy, Adam). */
    static final class Mlp {
        private Ops ops;
        private FloatArray x;
        private FloatArray truth;
        private final FloatArray[] w = new FloatArray[3];
        private final FloatArray[] bias = new FloatArray[3];
        private final FloatArray[] dw = new FloatArray[3];
        private final FloatArray[] db = new FloatArray[3];
        private final FloatArray[][] moments = new FloatArray[6][];
        private long seed;

        void setUp(Ops backend, SplittableRandom r) {
            ops = backend;
            float[] xs = new float[BATCH * WIDTHS[0]];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) r.nextDouble();
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
                float limit = (float) Math.sqrt(6.0 / (nI + nO));
                float[] ws = GemmBenchmark.uniform(r, nO * nI);
                for (int i = 0; i < ws.length; i++) {
                    ws[i] *= limit;
                }
                w[k] = ops.asArray(ws, nO, nI);
                bias[k] = ops.alloc(nO);
                dw[k] = ops.alloc(nO, nI);
                db[k] = ops.alloc(nO);
                moments[2 * k] = new FloatArray[] {ops.alloc(nO, nI), ops.alloc(nO, nI)};
                moments[2 * k + 1] = new FloatArray[] {ops.alloc(nO), ops.alloc(nO)};
            }
        }

        FloatArray step() {
            try (var scope = ops.scope()) {
                FloatArray[] inputs = new FloatArray[3];
                FloatArray[] masks = new FloatArray[2];
                FloatArray[] outs = new FloatArray[2];
                FloatArray h = x;
                for (int k = 0; k < 2; k++) {
                    inputs[k] = h;
                    FloatArray y = ops.relu(ops.affine(h, w[k], bias[k]), true);
                    masks[k] = ops.dropoutMask(0.2f, seed++, y.shape());
                    ops.mulInPlace(y, masks[k]);
                    outs[k] = y;
                    h = y;
                }
                inputs[2] = h;
                FloatArray probs = ops.softmax(ops.affine(h, w[2], bias[2]), 1f, true);
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
                for (int k = 0; k < 3; k++) {
                    ops.adam(w[k], dw[k], moments[2 * k][0], moments[2 * k][1], 0.9f, 0.999f, 1e-8f, 0.001f, 1f);
                    ops.adam(bias[k], db[k], moments[2 * k + 1][0], moments[2 * k + 1][1], 0.9f, 0.999f, 1e-8f, 0.001f, 1f);
                }
                return scope.keep(probs);
            }
        }
    }
}
