package dev.thinj.ops.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * Zero-copy SGEMM on heap arrays through a tiny JNI shim ({@code src/main/c/thinj_blas.c}) that pins
 * the arrays and calls OpenBLAS's {@code cblas_sgemm} by address. The shim is compiled with
 * {@code gcc} during the build; where it is missing or fails to load, {@link #available()} is false
 * and {@link Blas} falls back to JavaCPP's copying overloads, which give the same results.
 */
final class CriticalBlas {
    private static final String RESOURCE = "/dev/thinj/ops/cpu/linux-x86_64/libthinjblas.so";
    private static final long SGEMM;
    private static final long SDOT;
    private static final String STATUS;

    static {
        long address = 0;
        long sdot = 0;
        String status;
        try {
            if (Boolean.getBoolean("thinj.cpu.noCriticalBlas")) {
                throw new IllegalStateException("disabled by -Dthinj.cpu.noCriticalBlas");
            }
            Blas.load();
            Pointer p = Loader.addressof("cblas_sgemm");
            if (p == null || p.address() == 0) {
                throw new IllegalStateException("cblas_sgemm not found in the loaded OpenBLAS");
            }
            Pointer d = Loader.addressof("cblas_sdot");
            if (d == null || d.address() == 0) {
                throw new IllegalStateException("cblas_sdot not found in the loaded OpenBLAS");
            }
            System.load(extract().toString());
            address = p.address();
            sdot = d.address();
            status = "zero-copy JNI";
        } catch (Throwable t) {
            address = 0;
            sdot = 0;
            status = "JavaCPP array copies (" + t.getMessage() + ")";
        }
        SGEMM = address;
        SDOT = sdot;
        STATUS = status;
    }

    private CriticalBlas() {
    }

    static boolean available() {
        return SGEMM != 0;
    }

    /** @return how heap arrays reach BLAS, for {@code Ops.description()} */
    static String status() {
        return STATUS;
    }

    static void sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float[] a, int lda,
            float[] b, int ldb, float beta, float[] c, int ldc) {
        sgemm0(SGEMM, order, transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
    }

    static void sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        sgemm0(SGEMM, order, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** @return OpenBLAS's {@code sdot} of {@code x[offset, offset + n)} with itself */
    static float sumOfSquares(float[] x, int offset, int n) {
        return sumOfSquares0(SDOT, x, offset, n);
    }

    private static native float sumOfSquares0(long fn, float[] x, int offset, int n);

    private static native void sgemm0(long fn, int order, int transA, int transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    private static Path extract() throws IOException {
        try (InputStream in = CriticalBlas.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the JNI shim was not built (no gcc at build time?)");
            }
            Path dir = Files.createTempDirectory("thinj-cpu");
            Path lib = dir.resolve("libthinjblas.so");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            lib.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return lib;
        }
    }
}
