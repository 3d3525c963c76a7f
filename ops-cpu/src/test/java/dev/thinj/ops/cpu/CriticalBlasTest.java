package dev.thinj.ops.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The zero-copy shim must give exactly what JavaCPP's copying call gives, for every transpose. */
class CriticalBlasTest {
    /** Where gcc was missing at build time the shim is absent by design and the copying path is used. */
    private static void assumeShimBuilt() {
        Assumptions.assumeTrue(CriticalBlasTest.class.getResource("/dev/thinj/ops/cpu/linux-x86_64/libthinjblas.so") != null,
                "the JNI shim was not built here (no gcc at build time)");
    }

    @Test
    void aBuiltShimLoads() {
        assumeShimBuilt();
        Blas.load();
        assertThat(CriticalBlas.available()).as(CriticalBlas.status()).isTrue();
    }

    @Test
    void matchesTheCopyingPathBitForBit() {
        assumeShimBuilt();
        Blas.load();
        Random r = new Random(3);
        int[][] shapes = {{1, 1, 1}, {7, 5, 13}, {33, 65, 17}, {128, 10, 512}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                float[] a = random(r, m * k);
                float[] b = random(r, k * n);
                float[] c0 = random(r, m * n);
                float[] viaShim = c0.clone();
                float[] viaCopy = c0.clone();
                int lda = ta ? m : k;
                int ldb = tb ? k : n;
                int ota = ta ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
                int otb = tb ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
                CriticalBlas.sgemm(openblas_nolapack.CblasRowMajor, ota, otb, m, n, k, 0.5f, a, lda, b, ldb, 1f, viaShim, n);
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ota, otb, m, n, k, 0.5f, a, lda, b, ldb, 1f,
                        viaCopy, n);
                assertThat(viaShim).as("m=%d n=%d k=%d transA=%s transB=%s", m, n, k, ta, tb).containsExactly(viaCopy);
                assertThat(viaShim).isNotEqualTo(c0);
            }
        }
    }

    @Test
    void sumOfSquaresIsTheCopyingSdotToTheBitAndCloseToExact() {
        assumeShimBuilt();
        Blas.load();
        Random r = new Random(5);
        // Lengths around OpenBLAS's vector blocks, and one large enough for sdot to use its threads.
        for (int n : new int[] {0, 1, 7, 16, 33, 1000, 65_537, 401_408}) {
            float[] x = random(r, n + 3);
            for (int offset : new int[] {0, 3}) {
                float[] copy = java.util.Arrays.copyOfRange(x, offset, offset + n);
                float viaShim = CriticalBlas.sumOfSquares(x, offset, n);
                float viaCopy = n == 0 ? 0f : openblas_nolapack.cblas_sdot(n, copy, 1, copy, 1);
                assertThat(Float.floatToRawIntBits(viaShim)).as("n=%d offset=%d: %s vs %s", n, offset, viaShim, viaCopy)
                        .isEqualTo(Float.floatToRawIntBits(viaCopy));
                double exact = 0;
                for (float v : copy) {
                    exact += (double) v * v;
                }
                assertThat((double) viaShim).as("n=%d offset=%d", n, offset).isCloseTo(exact, org.assertj.core.data.Offset
                        .offset(1e-5 * Math.max(1, exact)));
            }
        }
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }
}
