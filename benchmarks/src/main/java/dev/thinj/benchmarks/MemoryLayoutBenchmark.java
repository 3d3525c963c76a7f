package dev.thinj.benchmarks;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import sun.misc.Unsafe;

/**
 * The measurement behind the CPU backend's storage: heap {@code float[]} or off-heap memory. It
 * needs no backend; it runs the two kinds of work an array meets, each on every storage candidate.
 *
 * <p><b>(a) A memory-bound Java loop.</b> Thinc's fused Adam step over a (512, 784) weight, i.e.
 * four streams of 401,408 floats read and written ({@code w}, {@code g}, {@code m1}, {@code m2},
 * 6.4 MB): on heap {@code float[]} ({@link #adamHeap}); on off-heap memory through a direct
 * native-order {@link FloatBuffer} ({@link #adamDirectBuffer}) and through raw addresses with
 * {@code sun.misc.Unsafe} ({@link #adamUnsafe}); and off-heap data processed in chunks that are bulk
 * copied into heap scratch arrays, computed there, and copied back ({@link #adamChunked}). This asks
 * whether the JIT vectorises loops over off-heap memory as well as over arrays, and what a copy
 * through the heap costs instead.
 *
 * <p><b>(b) A BLAS call.</b> {@code cblas_sgemm} for the first layer's forward product, (128 x 784)
 * times (512 x 784)^T, with {@code float[]} arguments ({@link #sgemmHeapArrays}: JavaCPP's JNI glue
 * gets each array's elements, which may copy them, and releases them, copying back) against
 * {@link FloatPointer} arguments to native memory ({@link #sgemmFloatPointer}: no copy) and direct
 * {@link FloatBuffer}s ({@link #sgemmDirectBuffer}). The gap is what heap storage costs a GEMM;
 * {@link #sgemmHeapCopiedToScratch} shows how much of it a heap backend can win back by copying
 * through its own preallocated native buffers. (Little: the copying itself is the cost. The CPU
 * backend therefore pins its arrays in a small JNI shim; {@link GemmBenchmark} run with
 * {@code -Dthinj.cpu.noCriticalBlas=true} times its copying fallback.)
 *
 * <p>Adam runs with both betas at 1 so that the moments stay fixed over millions of calls instead of
 * decaying (the gradient is zeroed by every call) into subnormal floats, whose slow arithmetic would
 * swamp the memory access being measured; the instructions executed are the same.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsPrepend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class MemoryLayoutBenchmark {
    static final int N = 784 * 512;
    /** Floats per chunk in {@link #adamChunked}: four 8 KiB scratch arrays, 32 KiB, within L1. */
    static final int CHUNK = 2048;

    private static final Unsafe UNSAFE = loadUnsafe();

    // Hyperparameters live in fields so the JIT cannot fold them.
    float beta1 = 1f;
    float beta2 = 1f;
    float eps = 1e-8f;
    float learnRate = 1e-3f;
    float modRate = 1f;

    float[] w;
    float[] g;
    float[] m1;
    float[] m2;

    FloatBuffer wBuf;
    FloatBuffer gBuf;
    FloatBuffer m1Buf;
    FloatBuffer m2Buf;

    long wAddr;
    long gAddr;
    long m1Addr;
    long m2Addr;

    float[] wScratch;
    float[] gScratch;
    float[] m1Scratch;
    float[] m2Scratch;

    // GEMM operands: X (128 x 784), W (512 x 784), Y (128 x 512).
    float[] x;
    float[] weights;
    float[] y;
    FloatPointer xPtr;
    FloatPointer weightsPtr;
    FloatPointer yPtr;
    FloatBuffer xBuf;
    FloatBuffer weightsBuf;
    FloatBuffer yBuf;
    FloatPointer xScratch;
    FloatPointer weightsScratch;
    FloatPointer yScratch;

    /** Allocates every candidate once per trial, all holding the same values. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        w = GemmBenchmark.uniform(random, N);
        g = GemmBenchmark.uniform(random, N);
        m1 = GemmBenchmark.uniform(random, N);
        m2 = GemmBenchmark.uniform(random, N);
        for (int i = 0; i < N; i++) {
            m2[i] = Math.abs(m2[i]) + 0.01f;
        }
        wBuf = directCopy(w);
        gBuf = directCopy(g);
        m1Buf = directCopy(m1);
        m2Buf = directCopy(m2);
        wAddr = unsafeCopy(w);
        gAddr = unsafeCopy(g);
        m1Addr = unsafeCopy(m1);
        m2Addr = unsafeCopy(m2);
        wScratch = new float[CHUNK];
        gScratch = new float[CHUNK];
        m1Scratch = new float[CHUNK];
        m2Scratch = new float[CHUNK];

        x = GemmBenchmark.uniform(random, 128 * 784);
        weights = GemmBenchmark.uniform(random, 512 * 784);
        y = new float[128 * 512];
        xPtr = new FloatPointer(x);
        weightsPtr = new FloatPointer(weights);
        yPtr = new FloatPointer(y);
        xBuf = directCopy(x);
        weightsBuf = directCopy(weights);
        yBuf = directCopy(y);
        xScratch = new FloatPointer(x.length);
        weightsScratch = new FloatPointer(weights.length);
        yScratch = new FloatPointer(y.length);
    }

    /** Frees the native memory (direct buffers are left to their cleaner). */
    @TearDown(Level.Trial)
    public void tearDown() {
        UNSAFE.freeMemory(wAddr);
        UNSAFE.freeMemory(gAddr);
        UNSAFE.freeMemory(m1Addr);
        UNSAFE.freeMemory(m2Addr);
        xPtr.close();
        weightsPtr.close();
        yPtr.close();
        xScratch.close();
        weightsScratch.close();
        yScratch.close();
    }

    // ---- (a) Adam over 784*512 floats -------------------------------------------------------

    /**
     * @return the updated weights
     */
    @Benchmark
    public float[] adamHeap() {
        adam(w, g, m1, m2, 0, N);
        return w;
    }

    /**
     * @return the updated weights
     */
    @Benchmark
    public FloatBuffer adamDirectBuffer() {
        FloatBuffer wb = wBuf;
        FloatBuffer gb = gBuf;
        FloatBuffer m1b = m1Buf;
        FloatBuffer m2b = m2Buf;
        float b1 = beta1;
        float b2 = beta2;
        float e = eps;
        float lr = learnRate;
        float mod = modRate;
        for (int i = 0; i < N; i++) {
            float grad = gb.get(i);
            float a = b1 * m1b.get(i) + (1f - b1) * grad;
            float v = b2 * m2b.get(i) + (1f - b2) * grad * grad;
            m1b.put(i, a);
            m2b.put(i, v);
            wb.put(i, wb.get(i) - lr * a / (mod * (float) Math.sqrt(v) + e));
            gb.put(i, 0f);
        }
        return wb;
    }

    /**
     * @return the address of the updated weights
     */
    @Benchmark
    public long adamUnsafe() {
        Unsafe u = UNSAFE;
        long wa = wAddr;
        long ga = gAddr;
        long m1a = m1Addr;
        long m2a = m2Addr;
        float b1 = beta1;
        float b2 = beta2;
        float e = eps;
        float lr = learnRate;
        float mod = modRate;
        for (int i = 0; i < N; i++) {
            long off = (long) i << 2;
            float grad = u.getFloat(ga + off);
            float a = b1 * u.getFloat(m1a + off) + (1f - b1) * grad;
            float v = b2 * u.getFloat(m2a + off) + (1f - b2) * grad * grad;
            u.putFloat(m1a + off, a);
            u.putFloat(m2a + off, v);
            u.putFloat(wa + off, u.getFloat(wa + off) - lr * a / (mod * (float) Math.sqrt(v) + e));
            u.putFloat(ga + off, 0f);
        }
        return wa;
    }

    /**
     * Off-heap storage, heap arithmetic: each chunk is bulk-copied from the direct buffers into
     * scratch arrays, updated by the same loop as {@link #adamHeap}, and copied back.
     *
     * @return the updated weights
     */
    @Benchmark
    public FloatBuffer adamChunked() {
        for (int start = 0; start < N; start += CHUNK) {
            int len = Math.min(CHUNK, N - start);
            wBuf.get(start, wScratch, 0, len);
            gBuf.get(start, gScratch, 0, len);
            m1Buf.get(start, m1Scratch, 0, len);
            m2Buf.get(start, m2Scratch, 0, len);
            adam(wScratch, gScratch, m1Scratch, m2Scratch, 0, len);
            wBuf.put(start, wScratch, 0, len);
            gBuf.put(start, gScratch, 0, len);
            m1Buf.put(start, m1Scratch, 0, len);
            m2Buf.put(start, m2Scratch, 0, len);
        }
        return wBuf;
    }

    private void adam(float[] wa, float[] ga, float[] m1a, float[] m2a, int from, int to) {
        float b1 = beta1;
        float b2 = beta2;
        float e = eps;
        float lr = learnRate;
        float mod = modRate;
        for (int i = from; i < to; i++) {
            float grad = ga[i];
            float a = b1 * m1a[i] + (1f - b1) * grad;
            float v = b2 * m2a[i] + (1f - b2) * grad * grad;
            m1a[i] = a;
            m2a[i] = v;
            wa[i] -= lr * a / (mod * (float) Math.sqrt(v) + e);
            ga[i] = 0f;
        }
    }

    // ---- (b) sgemm 128x784 . (512x784)^T ----------------------------------------------------

    /**
     * @return the output array
     */
    @Benchmark
    public float[] sgemmHeapArrays() {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, 128, 512, 784, 1f, x, 784, weights, 784, 0f, y, 512);
        return y;
    }

    /**
     * @return the output pointer
     */
    @Benchmark
    public FloatPointer sgemmFloatPointer() {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, 128, 512, 784, 1f, xPtr, 784, weightsPtr, 784, 0f,
                yPtr, 512);
        return yPtr;
    }

    /**
     * Heap storage with a hand-made copy: the operands are copied into preallocated native buffers,
     * the product is computed there, and only the output is copied back. This is what a heap-backed
     * backend could do instead of passing {@code float[]} to JavaCPP, which also copies the
     * read-only operands back and allocates on every call.
     *
     * @return the output array
     */
    @Benchmark
    public float[] sgemmHeapCopiedToScratch() {
        xScratch.put(x);
        weightsScratch.put(weights);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, 128, 512, 784, 1f, xScratch, 784, weightsScratch, 784,
                0f, yScratch, 512);
        yScratch.get(y);
        return y;
    }

    /**
     * @return the output buffer
     */
    @Benchmark
    public FloatBuffer sgemmDirectBuffer() {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, 128, 512, 784, 1f, xBuf, 784, weightsBuf, 784, 0f,
                yBuf, 512);
        return yBuf;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static FloatBuffer directCopy(float[] data) {
        FloatBuffer buffer = ByteBuffer.allocateDirect(data.length * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        buffer.put(0, data);
        return buffer;
    }

    private static long unsafeCopy(float[] data) {
        long bytes = (long) data.length * Float.BYTES;
        long address = UNSAFE.allocateMemory(bytes);
        UNSAFE.copyMemory(data, Unsafe.ARRAY_FLOAT_BASE_OFFSET, null, address, bytes);
        return address;
    }

    private static Unsafe loadUnsafe() {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
