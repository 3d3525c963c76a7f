package dev.thinj.ops.cuda;

import dev.thinj.ops.NormalizationKernels;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.cuda.device.Device.Kernel;

/**
 * Layer normalisation ({@code native/normalization.cu}): one block per row for the row statistics and
 * the input gradient; the gain and bias gradients are column sums in two passes (partial sums per
 * chunk of rows in double, then the chunks added in order), deterministic without atomics.
 */
final class CudaNormalization implements NormalizationKernels {
    /** Rows a column-sum chunk covers at least, so each partial sum does enough work to pay for its slot. */
    private static final int MIN_CHUNK_ROWS = 8;

    private final CudaContext ctx;
    private final Kernel forward;
    private final Kernel backprop;
    private final Kernel paramPartials;
    private final Kernel paramFinish;

    CudaNormalization(CudaContext ctx) {
        this.ctx = ctx;
        this.forward = ctx.kernel("thinj_layer_norm");
        this.backprop = ctx.kernel("thinj_layer_norm_backprop");
        this.paramPartials = ctx.kernel("thinj_layer_norm_param_partials");
        this.paramFinish = ctx.kernel("thinj_layer_norm_param_finish");
    }

    @Override
    public LayerNormResult layerNorm(FloatArray x, FloatArray gain, FloatArray bias) {
        long px = ctx.f("layerNorm", "x", x);
        long pg = ctx.f("layerNorm", "gain", gain);
        long pb = ctx.f("layerNorm", "bias", bias);
        Check.rank("layerNorm", "x", x, 2);
        int rows = x.dim(0);
        int n = x.dim(1);
        checkVector("layerNorm", "gain", gain, n, x);
        checkVector("layerNorm", "bias", bias, n, x);
        CudaFloatArray y = ctx.newFloats("layerNorm", x.shape());
        CudaFloatArray mean = ctx.newFloats("layerNorm", rows);
        CudaFloatArray var = ctx.newFloats("layerNorm", rows);
        ctx.launchRows(forward, rows, ctx.args().ptr(px).ptr(pg).ptr(pb).ptr(y.address()).ptr(mean.address())
                .ptr(var.address()).i32(n));
        return new LayerNormResult(y, mean, var);
    }

    @Override
    public FloatArray backpropLayerNorm(FloatArray dY, FloatArray x, FloatArray gain, LayerNormResult forward,
            FloatArray dGain, FloatArray dBias) {
        long pdy = ctx.f("backpropLayerNorm", "dY", dY);
        long px = ctx.f("backpropLayerNorm", "x", x);
        long pg = ctx.f("backpropLayerNorm", "gain", gain);
        long pm = ctx.f("backpropLayerNorm", "forward.mean", forward.mean());
        long pv = ctx.f("backpropLayerNorm", "forward.variance", forward.variance());
        long pdg = ctx.f("backpropLayerNorm", "dGain", dGain);
        long pdb = ctx.f("backpropLayerNorm", "dBias", dBias);
        Check.rank("backpropLayerNorm", "x", x, 2);
        Check.sameShape("backpropLayerNorm", "dY", dY, "x", x);
        int rows = x.dim(0);
        int n = x.dim(1);
        checkVector("backpropLayerNorm", "gain", gain, n, x);
        checkVector("backpropLayerNorm", "dGain", dGain, n, x);
        checkVector("backpropLayerNorm", "dBias", dBias, n, x);
        int meanRows = forward.mean().size();
        int varRows = forward.variance().size();
        if (meanRows != rows || varRows != rows) {
            throw new ShapeException("backpropLayerNorm: forward mean/variance have " + meanRows + " rows, x has " + rows);
        }
        CudaFloatArray dX = ctx.newFloats("backpropLayerNorm", x.shape());
        ctx.launchRows(backprop, rows, ctx.args().ptr(pdy).ptr(px).ptr(pg).ptr(pm).ptr(pv).ptr(dX.address()).i32(n));
        if (rows > 0 && n > 0) {
            addParamGradients(pdy, px, pm, pv, pdg, pdb, rows, n);
        }
        return dX;
    }

    /**
     * dGain += sum(dY * Xhat, 0), dBias += sum(dY, 0). The rows split into chunks so that there are
     * enough blocks to fill the device even when the layer is narrow; the chunking depends only on the
     * shape and the device, so results are reproducible.
     */
    private void addParamGradients(long pdy, long px, long pm, long pv, long pdg, long pdb, int rows, int n) {
        int tiles = (n + CudaContext.BLOCK - 1) / CudaContext.BLOCK;
        int wanted = Math.max(1, ctx.reductionBlocks((long) rows * n) / tiles);
        int chunks = Math.max(1, Math.min(wanted, (rows + MIN_CHUNK_ROWS - 1) / MIN_CHUNK_ROWS));
        int chunkRows = (rows + chunks - 1) / chunks;
        chunks = (rows + chunkRows - 1) / chunkRows;  // no empty trailing chunk
        // Two doubles (gain and bias terms) per column and chunk, held as pairs of floats.
        try (CudaFloatArray partial = ctx.newFloats("backpropLayerNorm", Shapes.checkedSize("backpropLayerNorm",
                4, chunks, n))) {
            ctx.launchShape(paramPartials, tiles * chunks, CudaContext.BLOCK, ctx.args().ptr(pdy).ptr(px).ptr(pm).ptr(pv)
                    .i32(rows).i32(n).i32(tiles).i32(chunkRows).i32(chunks).ptr(partial.address()));
            ctx.launch(paramFinish, n, ctx.args().ptr(partial.address()).i32(n).i32(chunks).ptr(pdg).ptr(pdb));
        }
    }

    private static void checkVector(String kernel, String name, FloatArray v, int n, FloatArray x) {
        if (v.size() != n) {
            throw new ShapeException(kernel + ": '" + name + "' must have " + n + " elements for x of shape "
                    + Shapes.format(x.shape()) + ", got shape " + Shapes.format(v.shape()));
        }
    }
}
