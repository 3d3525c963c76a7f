package dev.thinj.ops.cpu;

import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The CPU backend's door to OpenBLAS (Bytedeco presets, BLAS only, no LAPACK). Loading the native
 * library happens here and nowhere else, so the provider can probe it once.
 */
final class Blas {
    private Blas() {
    }

    /** Loads OpenBLAS; throws what the native loader throws if it cannot. */
    static void load() {
        Loader.load(openblas_nolapack.class);
    }

    /**
     * @param threads the thread count OpenBLAS should use for one call (one where the backend splits
     *     products itself: {@link #sgemm(Parallel, boolean, boolean, int, int, int, float, float[], float[], float, float[])})
     */
    static void setThreads(int threads) {
        openblas_nolapack.blas_set_num_threads(threads);
    }

    /**
     * Sets OpenBLAS's threads for a backend of {@code poolThreads}: one where the backend splits
     * products over its own threads (the JNI shim loaded), else the pool's count.
     */
    static void configureFor(int poolThreads) {
        setThreads(CriticalBlas.available() ? 1 : poolThreads);
    }

    /** @return OpenBLAS's thread count */
    static int threads() {
        return openblas_nolapack.blas_get_num_threads();
    }

    /**
     * Row-major {@code c = alpha * op(a) @ op(b) + beta * c} with {@code op(a)} of shape (m, k) and
     * {@code op(b)} of shape (k, n). Heap arrays reach BLAS pinned by {@link CriticalBlas} when its
     * shim loaded, else copied by JavaCPP (both measured in {@code MemoryLayoutBenchmark}).
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
            float beta, float[] c) {
        int lda = Math.max(1, transA ? m : k);
        int ldb = Math.max(1, transB ? k : n);
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (CriticalBlas.available()) {
            CriticalBlas.sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c,
                    Math.max(1, n));
        } else {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb,
                    beta, c, Math.max(1, n));
        }
    }

    /**
     * Products below this many multiply-adds ({@code m * n * k}) run on the calling thread: the two
     * halves of a smaller one cost more to hand over than they save.
     */
    static final long SPLIT_WORK = 1L << 19;

    /** The fewest rows or columns of a block when a thread gets more than one. */
    static final int MIN_BLOCK = 512;

    /**
     * {@link #sgemm(boolean, boolean, int, int, int, float, float[], float[], float, float[])} on the
     * backend's own threads: c is cut into blocks of rows (when it has more rows than columns) or of
     * columns, one per thread (more for a large product, below), and each block is a single-threaded
     * OpenBLAS call on the pinned arrays. The operand the blocks share is the smaller one, so each
     * thread packs little twice. OpenBLAS's own threads are then never used (the backend sets it to
     * one): they slept or spun between the products of a training step while the Java kernels wanted the
     * same cores (alternating A/B of the Fashion-MNIST MLP on 2 cores: median epoch 2.12 s against
     * 2.33 s with OpenBLAS's threads). A block's elements are within a float dot product's rounding of
     * the whole call's, not always its bits (OpenBLAS's Haswell kernel sums a tile's edge in another
     * order), so results depend on the thread count as they did with OpenBLAS's threads; the same count
     * gives the same bits on every run. Without the JNI shim (no offsets into heap arrays) the product
     * runs whole, on OpenBLAS's threads.
     */
    static void sgemm(Parallel parallel, boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
            float[] b, float beta, float[] c) {
        int parts = parallel.threads();
        if (parts < 2 || !CriticalBlas.available() || (long) m * n * k < SPLIT_WORK) {
            sgemm(transA, transB, m, n, k, alpha, a, b, beta, c);
            return;
        }
        boolean byRows = m > n;
        int extent = byRows ? m : n;
        // A large product (an evaluation's 4096 rows) gets up to four blocks per thread of at least
        // MIN_BLOCK rows or columns, so a thread that wakes late or is descheduled costs at most a block;
        // a training step's (128 x 512) keeps one per thread: smaller blocks each repack the shared operand.
        int blocks = parts * (int) Math.max(1, Math.min(4, extent / ((long) MIN_BLOCK * parts)));
        Blocks job = SPARE_BLOCKS.getAndSet(null);
        if (job == null) {
            job = new Blocks();
        }
        job.set(transA, transB, m, n, k, alpha, a, b, beta, c, byRows, blocks);
        try {
            // Each block costs a full grain, so forRange hands them out one at a time to every thread.
            parallel.forRange(blocks, Parallel.GRAIN, job);
        } finally {
            job.set(false, false, 0, 0, 0, 0f, null, null, 0f, null, false, 0);
            SPARE_BLOCKS.set(job);
        }
    }

    /** A finished product's blocks, reused by the next product: a training step allocates none. */
    private static final AtomicReference<Blocks> SPARE_BLOCKS = new AtomicReference<>();

    /** One product's blocks, as the pool runs them. */
    private static final class Blocks implements Parallel.Range {
        private int ta;
        private int tb;
        private boolean transA;
        private boolean transB;
        private int m;
        private int n;
        private int k;
        private float alpha;
        private float[] a;
        private float[] b;
        private float beta;
        private float[] c;
        private boolean byRows;
        private int blocks;

        void set(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta,
                float[] c, boolean byRows, int blocks) {
            this.transA = transA;
            this.transB = transB;
            this.ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
            this.tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.b = b;
            this.beta = beta;
            this.c = c;
            this.byRows = byRows;
            this.blocks = blocks;
        }

        @Override
        public void run(int from, int to) {
            int lda = Math.max(1, transA ? m : k);
            int ldb = Math.max(1, transB ? k : n);
            int ldc = Math.max(1, n);
            int extent = byRows ? m : n;
            for (int part = from; part < to; part++) {
                int start = blockStart(extent, part, blocks);
                int end = blockStart(extent, part + 1, blocks);
                if (end <= start) {
                    continue;
                }
                if (byRows) {
                    CriticalBlas.sgemm(openblas_nolapack.CblasRowMajor, ta, tb, end - start, n, k, alpha,
                            a, transA ? start : start * lda, lda, b, 0, ldb, beta, c, start * ldc, ldc);
                } else {
                    CriticalBlas.sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, end - start, k, alpha,
                            a, 0, lda, b, transB ? start * ldb : start, ldb, beta, c, start, ldc);
                }
            }
        }
    }

    /** Where block {@code part} of {@code parts} begins: an even share, rounded up to 16 (whole SIMD tiles). */
    static int blockStart(int extent, int part, int parts) {
        if (part >= parts) {
            return extent;
        }
        return (int) Math.min(extent, ((long) extent * part / parts + 15) & ~15L);
    }

    /**
     * The sum of squares of {@code x[0, n)} as OpenBLAS's {@code sdot} of x with itself: what NumPy's
     * {@code linalg.norm} squares for a float32 array, so a clipped gradient is Thinc's. The pinned and
     * the copying path call the same sdot, so they give the same bits.
     */
    static float sumOfSquares(float[] x, int n) {
        if (CriticalBlas.available()) {
            return CriticalBlas.sumOfSquares(x, 0, n);
        }
        return openblas_nolapack.cblas_sdot(n, x, 1, x, 1);
    }
}
