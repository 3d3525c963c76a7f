package dev.thinj.benchmarks.nd4j;

import java.io.IOException;
import java.util.Properties;
import java.util.TreeMap;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Prints what the ND4J side runs on, for the results file: ND4J's backend and executioner, its
 * environment (threads, BLAS vendor), the OpenBLAS and JavaCPP versions on this class path, and one
 * small product checked against its known value, which shows that the native code really runs.
 *
 * <pre>java -cp benchmarks-nd4j/target/benchmarks-nd4j.jar dev.thinj.benchmarks.nd4j.Nd4jReport</pre>
 */
public final class Nd4jReport {
    private Nd4jReport() {
    }

    /**
     * @param args ignored
     * @throws IOException if JavaCPP cannot read its own version
     */
    public static void main(String[] args) throws IOException {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        System.out.println("nd4j " + Nd4j.getBackend().getClass().getSimpleName() + ", executioner "
                + Nd4j.getExecutioner().getClass().getSimpleName());
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        StringBuilder line = new StringBuilder("nd4j environment");
        new TreeMap<>(env).forEach((k, v) -> {
            if (!String.valueOf(k).contains("memory")) {
                line.append(' ').append(k).append('=').append(v);
            }
        });
        System.out.println(line);
        System.out.println("blas" + openblas_nolapack.OPENBLAS_VERSION + "(JavaCPP " + Loader.getVersion() + "), vendor "
                + Nd4j.factory().blas().getBlasVendor() + ", " + Nd4j.factory().blas().getMaxThreads() + " threads"
                + ", OMP_WAIT_POLICY=" + System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)")
                + ", OPENBLAS_CORETYPE=" + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(auto)"));
        // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
        INDArray a = Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2}, 'c');
        INDArray b = Nd4j.create(new float[] {5, 6, 7, 8}, new long[] {2, 2}, 'c');
        INDArray c = Nd4j.gemm(a, b, Nd4j.zeros(DataType.FLOAT, 2, 2), false, false, 1.0, 0.0);
        float[] got = c.data().asFloat();
        boolean ok = got[0] == 19 && got[1] == 22 && got[2] == 43 && got[3] == 50;
        System.out.println("nd4j gemm check " + (ok ? "ok" : "WRONG: " + java.util.Arrays.toString(got)));
        if (!ok) {
            System.exit(1);
        }
    }
}
