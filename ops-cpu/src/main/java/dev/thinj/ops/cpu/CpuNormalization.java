package dev.thinj.ops.cpu;

import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.NormalizationKernels;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;

/**
 * Thinc's layer normalisation, forward and backward ({@link RowKernels}).
 */
final class CpuNormalization implements NormalizationKernels {
    private final CpuContext ctx;
    private final Parallel parallel;

    CpuNormalization(CpuContext ctx) {
        this.ctx = ctx;
        this.parallel = ctx.parallel();
    }

    @Override
    public LayerNormResult layerNorm(FloatArray x, FloatArray gain, FloatArray bias) {
        float[] xd = ctx.f("layerNorm", "x", x);
        float[] gd = ctx.f("layerNorm", "gain", gain);
        float[] bd = ctx.f("layerNorm", "bias", bias);
        Check.rank("layerNorm", "x", x, 2);
        int rows = x.dim(0);
        int n = x.dim(1);
        checkVector("layerNorm", "gain", gain, n, x);
        checkVector("layerNorm", "bias", bias, n, x);
        float[] y = ctx.empty(xd.length);
        float[] mean = new float[rows];
        float[] var = new float[rows];
        if (parallel.splits(rows, n * 3)) {
            parallel.forRange(rows, n * 3, (from, to) -> RowKernels.layerNorm(xd, gd, bd, y, mean, var, n, from, to));
        } else {
            RowKernels.layerNorm(xd, gd, bd, y, mean, var, n, 0, rows);
        }
        return new LayerNormResult(ctx.wrap(y, CpuContext.shapeOf(x)), ctx.wrap(mean, new int[] {rows}), ctx.wrap(var, new int[] {rows}));
    }

    @Override
    public FloatArray backpropLayerNorm(FloatArray dY, FloatArray x, FloatArray gain, LayerNormResult forward,
            FloatArray dGain, FloatArray dBias) {
        float[] dyd = ctx.f("backpropLayerNorm", "dY", dY);
        float[] xd = ctx.f("backpropLayerNorm", "x", x);
        float[] gd = ctx.f("backpropLayerNorm", "gain", gain);
        float[] md = ctx.f("backpropLayerNorm", "forward.mean", forward.mean());
        float[] vd = ctx.f("backpropLayerNorm", "forward.variance", forward.variance());
        float[] dgd = ctx.f("backpropLayerNorm", "dGain", dGain);
        float[] dbd = ctx.f("backpropLayerNorm", "dBias", dBias);
        Check.rank("backpropLayerNorm", "x", x, 2);
        Check.sameShape("backpropLayerNorm", "dY", dY, "x", x);
        int rows = x.dim(0);
        int n = x.dim(1);
        checkVector("backpropLayerNorm", "gain", gain, n, x);
        checkVector("backpropLayerNorm", "dGain", dGain, n, x);
        checkVector("backpropLayerNorm", "dBias", dBias, n, x);
        if (md.length != rows || vd.length != rows) {
            throw new ShapeException("backpropLayerNorm: forward mean/variance have " + md.length + " rows, x has " + rows);
        }
        float[] dx = ctx.zeros(xd.length);
        RowKernels.backpropLayerNorm(dyd, xd, gd, md, vd, dx, dgd, dbd, n, 0, rows);
        return ctx.wrap(dx, CpuContext.shapeOf(x));
    }

    private static void checkVector(String kernel, String name, FloatArray v, int n, FloatArray x) {
        if (v.size() != n) {
            throw new ShapeException(kernel + ": '" + name + "' must have " + n + " elements for x of shape "
                    + Shapes.format(x.shape()) + ", got shape " + Shapes.format(v.shape()));
        }
    }
}
