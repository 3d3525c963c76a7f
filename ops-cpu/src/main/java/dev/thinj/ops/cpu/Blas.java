package dev.thinj.ops.cpu;

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
     * @param threads the thread count OpenBLAS should use for one call
     */
    static void setThreads(int threads) {
        openblas_nolapack.blas_set_num_threads(threads);
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
