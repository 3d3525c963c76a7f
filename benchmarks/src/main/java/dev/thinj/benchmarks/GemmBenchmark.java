package dev.thinj.benchmarks;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.blas_get_num_threads;
import static org.bytedeco.openblas.global.openblas.blas_set_num_threads;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The matrix products of one training step of the Fashion-MNIST MLP (784-512-512-10, batch 128),
 * through {@code Ops.get("cpu").gemm} and, beside each, the same product called straight on
 * OpenBLAS's {@code cblas_sgemm} with off-heap {@link FloatPointer}s on OpenBLAS's own threads. (The
 * backend runs OpenBLAS on one thread and splits a product into one block per thread of its own.)
 *
 * <p><b>Why.</b> GEMM is nearly all of an MLP's arithmetic, and the CPU backend hands it to
 * OpenBLAS. The direct call with native memory is OpenBLAS's own peak with zero copies, so the gap
 * between {@link #thinj} and {@link #openblas} at the same {@link #shape} is exactly what our
 * backend adds: argument checks, any copy between the Java heap and native memory (JNI pinning or
 * copying of {@code float[]}), and any per-call allocation. GFLOP/s is {@code 2*M*N*K / time}; the
 * results write-up computes it from the reported time.
 *
 * <p><b>Shapes.</b> Thinc's {@code Linear} stores W as (nO, nI), so the forward pass is
 * {@code Y = X @ W^T} (transB). The backward pass computes {@code dX = dY @ W} and accumulates
 * {@code dW += dY^T @ X} (transA, beta = 1). Operands are uniform in [-1, 1); they are filled once
 * per trial, outside the measured methods. The accumulating case keeps growing {@code out} across
 * calls by a random walk, far from overflow within a run.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsPrepend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class GemmBenchmark {

    /**
     * The product, named {@code pass_M x N x K}: {@code fwd1} X(128x784)·W1(512x784)^T,
     * {@code fwd2} H(128x512)·W2(512x512)^T, {@code fwd3} H(128x512)·W3(10x512)^T, {@code bwdDx}
     * dY(128x512)·W1(512x784), {@code bwdDw} dW1 += dY^T(512x128)·X(128x784); and the rest of the
     * backward pass, so one run sums a whole step's products: {@code bwdDw3} dW3 += dY^T(10x128)·H,
     * {@code bwdDx3} dY(128x10)·W3(10x512), {@code bwdDw2} dW2 += dY^T(512x128)·H(128x512),
     * {@code bwdDx2} dY(128x512)·W2(512x512); {@code eval1} and {@code eval2}: the first two products of
     * the evaluation's 4096-row chunks (Predictions.CHUNK). A training step (which skips the input's gradient,
     * {@code bwdDx}) is fwd1 + fwd2 + fwd3 + bwdDw3 + bwdDx3 + bwdDw2 + bwdDx2 + bwdDw.
     */
    @Param({"fwd1_128x512x784", "fwd2_128x512x512", "fwd3_128x10x512", "bwdDx_128x784x512", "bwdDw_512x784x128",
        "bwdDw3_10x512x128", "bwdDx3_128x512x10", "bwdDw2_512x512x128", "bwdDx2_128x512x512", "eval1_4096x512x784",
        "eval2_4096x512x512"})
    public String shape;

    private Ops ops;
    private FloatArray a;
    private FloatArray b;
    private FloatArray out;
    private boolean transA;
    private boolean transB;
    private float beta;

    private int m;
    private int n;
    private int k;
    private int lda;
    private int ldb;
    private FloatPointer pa;
    private FloatPointer pb;
    private FloatPointer pc;

    /** Allocates and fills both operand sets: the backend's arrays and the native pointers. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        Case c = switch (shape.substring(0, shape.indexOf('_'))) {
            case "fwd1" -> new Case(128, 784, 512, 784, false, true, 0f);
            case "fwd2" -> new Case(128, 512, 512, 512, false, true, 0f);
            case "fwd3" -> new Case(128, 512, 10, 512, false, true, 0f);
            case "bwdDx" -> new Case(128, 512, 512, 784, false, false, 0f);
            case "bwdDw" -> new Case(128, 512, 128, 784, true, false, 1f);
            case "bwdDw3" -> new Case(128, 10, 128, 512, true, false, 1f);
            case "bwdDx3" -> new Case(128, 10, 10, 512, false, false, 0f);
            case "bwdDw2" -> new Case(128, 512, 128, 512, true, false, 1f);
            case "bwdDx2" -> new Case(128, 512, 512, 512, false, false, 0f);
            case "eval1" -> new Case(4096, 784, 512, 784, false, true, 0f);
            case "eval2" -> new Case(4096, 512, 512, 512, false, true, 0f);
            default -> throw new IllegalArgumentException("unknown shape case " + shape);
        };
        int aRows = c.aRows();
        int aCols = c.aCols();
        int bRows = c.bRows();
        int bCols = c.bCols();
        transA = c.transA();
        transB = c.transB();
        beta = c.beta();
        m = transA ? aCols : aRows;
        k = transA ? aRows : aCols;
        n = transB ? bRows : bCols;
        lda = aCols;
        ldb = bCols;

        SplittableRandom random = new SplittableRandom(42);
        float[] aData = uniform(random, aRows * aCols);
        float[] bData = uniform(random, bRows * bCols);
        float[] cData = uniform(random, m * n);

        // OpenBLAS's own thread count (OPENBLAS_NUM_THREADS, else every core), read before the backend
        // sets it to one (it splits products over its own threads): the direct call is measured with
        // OpenBLAS's threads, its best.
        int openblasThreads = blas_get_num_threads();
        ops = Ops.get("cpu");
        if (params.getBenchmark().endsWith(".openblas")) {
            blas_set_num_threads(openblasThreads);
        }
        a = ops.asArray(aData, aRows, aCols);
        b = ops.asArray(bData, bRows, bCols);
        out = ops.asArray(cData, m, n);

        pa = new FloatPointer(aData);
        pb = new FloatPointer(bData);
        pc = new FloatPointer(cData);
    }

    /** Frees the native memory and the backend arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        out.close();
        pa.close();
        pb.close();
        pc.close();
    }

    /**
     * @return the output array, so the product cannot be eliminated
     */
    @Benchmark
    public FloatArray thinj() {
        ops.gemm(a, b, out, transA, transB, 1f, beta);
        return out;
    }

    /**
     * @return the output pointer, so the product cannot be eliminated
     */
    @Benchmark
    public FloatPointer openblas() {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, 1f, pa, lda, pb, ldb, beta, pc, n);
        return pc;
    }

    /** The stored operand shapes (before any transpose) and the gemm flags of one shape case. */
    private record Case(int aRows, int aCols, int bRows, int bCols, boolean transA, boolean transB, float beta) {
    }

    /**
     * @param random the generator
     * @param size how many values
     * @return a new array of values uniform in [-1, 1)
     */
    static float[] uniform(SplittableRandom random, int size) {
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return data;
    }
}
