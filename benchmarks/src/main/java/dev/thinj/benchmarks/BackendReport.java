package dev.thinj.benchmarks;

import dev.thinj.ops.BackendInfo;
import dev.thinj.ops.Ops;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Prints what the thinj benchmarks run on, for the results file: one line per backend found
 * ({@code backend NAME available|unavailable: description or reason}) and the OpenBLAS library the CPU
 * backend loads (its version, the JavaCPP that loads it, the vendor JavaCPP reports and the thread count). {@code nd4j-race.sh} runs it once
 * before the benchmarks and passes {@code -p backend=...} for every available backend.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.thinj.benchmarks.BackendReport</pre>
 */
public final class BackendReport {
    private BackendReport() {
    }

    /**
     * @param args ignored
     * @throws java.io.IOException if JavaCPP cannot read its own version
     */
    public static void main(String[] args) throws java.io.IOException {
        for (BackendInfo info : Ops.backends()) {
            if (info.available()) {
                System.out.println("backend " + info.name() + " available: " + Ops.get(info.name()).description());
            } else {
                System.out.println("backend " + info.name() + " unavailable: " + info.reason());
            }
        }
        // The CPU backend loads the same class (a no-op if it already has).
        Loader.load(openblas_nolapack.class);
        System.out.println("blas" + openblas_nolapack.OPENBLAS_VERSION + "(JavaCPP " + Loader.getVersion() + "), vendor "
                + vendorName(openblas_nolapack.blas_get_vendor()) + ", " + openblas_nolapack.blas_get_num_threads()
                + " threads");
    }

    /**
     * @param code JavaCPP's {@code blas_get_vendor()}
     * @return its name
     */
    static String vendorName(int code) {
        return switch (code) {
            case 1 -> "CUBLAS";
            case 2 -> "OpenBLAS";
            case 3 -> "MKL";
            default -> "unknown (" + code + ")";
        };
    }
}
