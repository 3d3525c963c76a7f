package dev.thinj.ops.cpu;

import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.LinearKernels;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.Arrays;

/**
 * Matrix products (OpenBLAS through {@link Blas}, without copies where the JNI shim is built) and
 * the bias operations that go with them.
 */
final class CpuLinear implements LinearKernels {
    private final CpuContext ctx;
    private final Parallel parallel;

    CpuLinear(CpuContext ctx) {
        this.ctx = ctx;
        this.parallel = ctx.parallel();
    }

    @Override
    public void gemm(FloatArray a, FloatArray b, FloatArray out, boolean transA, boolean transB, float alpha,
            float beta) {
        float[] ad = ctx.f("gemm", "a", a);
        float[] bd = ctx.f("gemm", "b", b);
        float[] cd = ctx.f("gemm", "out", out);
        int k = Check.gemm(a, b, out, transA, transB);
        int m = out.dim(0);
        int n = out.dim(1);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // An empty inner product is zero; BLAS implementations disagree on this corner.
            if (beta == 0f) {
                Arrays.fill(cd, 0f);
            } else {
                ctx.scale(cd, beta);
            }
            return;
        }
        Blas.sgemm(parallel, transA, transB, m, n, k, alpha, ad, bd, beta, cd);
    }

    @Override
    public void addBias(FloatArray y, FloatArray bias) {
        float[] yd = ctx.f("addBias", "y", y);
        float[] bd = ctx.f("addBias", "bias", bias);
        Check.rank("addBias", "y", y, 2);
        int n = y.dim(1);
        if (bias.size() != n) {
            throw new ShapeException("addBias: bias must have " + n + " elements for y of shape " + Shapes.format(y.shape())
                    + ", got shape " + Shapes.format(bias.shape()));
        }
        int rows = y.dim(0);
        if (parallel.splits(rows, n)) {
            parallel.forRange(rows, n, (from, to) -> CriticalKernels.addBias(yd, bd, n, from, to));
        } else {
            CriticalKernels.addBias(yd, bd, n, 0, rows);
        }
    }

    @Override
    public void sumRows(FloatArray x, FloatArray out, boolean accumulate) {
        float[] xd = ctx.f("sumRows", "x", x);
        float[] od = ctx.f("sumRows", "out", out);
        Check.rank("sumRows", "x", x, 2);
        int n = x.dim(1);
        if (out.size() != n) {
            throw new ShapeException("sumRows: out must have " + n + " elements for x of shape " + Shapes.format(x.shape())
                    + ", got shape " + Shapes.format(out.shape()));
        }
        if (!accumulate) {
            Arrays.fill(od, 0f);
        }
        CriticalKernels.addColumnSums(xd, od, n, 0, x.dim(0));
    }
}
