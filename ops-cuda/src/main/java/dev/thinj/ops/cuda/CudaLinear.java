package dev.thinj.ops.cuda;

import dev.thinj.ops.LinearKernels;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.cuda.device.Device.Kernel;

/**
 * Matrix products and their bias operations. Products go to the device's column-major GEMM (cuBLAS)
 * through the transpose identity; bias addition and column sums are kernels of
 * {@code native/linear.cu}.
 */
final class CudaLinear implements LinearKernels {
    private final CudaContext ctx;
    private final Kernel addBias;
    private final Kernel sumRows;
    private final Kernel sumRowsPartial;
    private final Kernel sumRowsFinish;
    private final Kernel scale;

    /** Columns per block of the column-sum kernels (THINJ_SUM_ROWS_TILE in linear.cu). */
    private static final int SUM_TILE = 32;
    /** The most partial sums a two-pass column sum keeps (doubles): 8 MiB. */
    private static final int PARTIAL_LIMIT = 1 << 20;

    CudaLinear(CudaContext ctx) {
        this.ctx = ctx;
        this.addBias = ctx.kernel("thinj_add_bias");
        this.sumRows = ctx.kernel("thinj_sum_rows");
        this.sumRowsPartial = ctx.kernel("thinj_sum_rows_partial");
        this.sumRowsFinish = ctx.kernel("thinj_sum_rows_finish");
        this.scale = ctx.kernel("thinj_scale");  // elementwise.cu: out = beta * out when k == 0
    }

    /**
     * Row-major {@code C = alpha * op(A) op(B) + beta * C}. A row-major (r, c) array read as
     * column-major is its (c, r) transpose with leading dimension c, so the row-major product is the
     * column-major {@code C^T = op(B)^T op(A)^T}: the operands swap, m and n swap, each keeps its
     * transpose flag, and the leading dimensions are the row-major row widths.
     */
    @Override
    public void gemm(FloatArray a, FloatArray b, FloatArray out, boolean transA, boolean transB, float alpha, float beta) {
        long pa = ctx.f("gemm", "a", a);
        long pb = ctx.f("gemm", "b", b);
        long pc = ctx.f("gemm", "out", out);
        int k = Check.gemm(a, b, out, transA, transB);
        int m = out.dim(0);
        int n = out.dim(1);
        if (m == 0 || n == 0) {
            return;
        }
        long size = (long) m * n;
        if (k == 0) {
            // An empty inner product is zero; BLAS implementations disagree on this corner.
            if (beta == 0f) {
                ctx.device().memset(pc, 0, 4L * size, ctx.stream());
            } else {
                ctx.launch(scale, size, ctx.args().ptr(pc).ptr(pc).f32(beta).i64(size));
            }
            return;
        }
        ctx.device().sgemm(transB, transA, n, m, k, alpha, pb, b.dim(1), pa, a.dim(1), beta, pc, n, ctx.stream());
    }

    @Override
    public void addBias(FloatArray y, FloatArray bias) {
        long py = ctx.f("addBias", "y", y);
        long pb = ctx.f("addBias", "bias", bias);
        Check.rank("addBias", "y", y, 2);
        int n = y.dim(1);
        if (bias.size() != n) {
            throw new ShapeException("addBias: bias must have " + n + " elements for y of shape " + Shapes.format(y.shape())
                    + ", got shape " + Shapes.format(bias.shape()));
        }
        ctx.launch(addBias, y.size(), ctx.args().ptr(py).ptr(pb).i32(n).i64(y.size()));
    }

    @Override
    public void sumRows(FloatArray x, FloatArray out, boolean accumulate) {
        long px = ctx.f("sumRows", "x", x);
        long po = ctx.f("sumRows", "out", out);
        Check.rank("sumRows", "x", x, 2);
        int n = x.dim(1);
        if (out.size() != n) {
            throw new ShapeException("sumRows: out must have " + n + " elements for x of shape " + Shapes.format(x.shape())
                    + ", got shape " + Shapes.format(out.shape()));
        }
        if (n == 0) {
            return;
        }
        int rows = x.dim(0);
        int tiles = (n + SUM_TILE - 1) / SUM_TILE;
        // Split the rows into chunks of at least 256 when there are enough to keep more blocks busy,
        // with the chunks' partial sums (doubles) bounded to PARTIAL_LIMIT values.
        int chunks = Math.min(ctx.reductionBlocks(rows), Math.max(1, PARTIAL_LIMIT / n));
        if (chunks <= 1) {
            // One pass: one block per tile of 32 columns over all rows (with no rows it writes zeros or keeps out).
            ctx.launchShape(sumRows, tiles, CudaContext.BLOCK,
                    ctx.args().ptr(px).ptr(po).i32(rows).i32(n).i32(accumulate ? 1 : 0));
            return;
        }
        int chunkRows = (rows + chunks - 1) / chunks;
        chunks = (rows + chunkRows - 1) / chunkRows;
        try (CudaFloatArray partial = ctx.newFloats("sumRows", 2 * chunks * n)) {  // doubles: two floats each
            ctx.launchShape(sumRowsPartial, tiles * chunks, CudaContext.BLOCK,
                    ctx.args().ptr(px).ptr(partial.address()).i32(rows).i32(n).i32(chunkRows).i32(tiles));
            ctx.launch(sumRowsFinish, n,
                    ctx.args().ptr(partial.address()).ptr(po).i32(chunks).i32(n).i32(accumulate ? 1 : 0));
        }
    }
}
