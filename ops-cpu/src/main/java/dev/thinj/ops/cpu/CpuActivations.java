package dev.thinj.ops.cpu;

import dev.thinj.ops.ActivationKernels;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.Arrays;

/**
 * Activations and their backward passes, softmax, maxout, argmax and dropout masks; the loops
 * themselves are in {@link ActivationMath} and {@link RowKernels}.
 */
final class CpuActivations implements ActivationKernels {
    /**
     * Relative cost of a dropout mask cell for {@link Parallel}, so that the MLP's 128 x 512 mask splits:
     * 29-36 us split, 48-54 us on one thread (KernelBenchmark.dropoutMask, the shim's kernel).
     */
    private static final int MASK_COST = 8;

    private final CpuContext ctx;
    private final Parallel parallel;

    CpuActivations(CpuContext ctx) {
        this.ctx = ctx;
        this.parallel = ctx.parallel();
    }

    /** Output storage for an elementwise kernel: the input itself when in place, else a new array. */
    private float[] target(float[] in, boolean inplace) {
        return inplace ? in : ctx.empty(in.length);
    }

    private FloatArray result(FloatArray in, float[] out, boolean inplace) {
        return inplace ? in : ctx.wrap(out, CpuContext.shapeOf(in));
    }

    @Override
    public FloatArray relu(FloatArray x, boolean inplace) {
        float[] xd = ctx.f("relu", "x", x);
        float[] y = target(xd, inplace);
        if (parallel.splits(xd.length, Parallel.CHEAP)) {
            parallel.forRange(xd.length, Parallel.CHEAP, (from, to) -> ActivationMath.relu(xd, y, from, to));
        } else {
            ActivationMath.relu(xd, y, 0, xd.length);
        }
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropRelu(FloatArray dY, FloatArray y, boolean inplace) {
        float[] dyd = ctx.f("backpropRelu", "dY", dY);
        float[] yd = ctx.f("backpropRelu", "y", y);
        Check.sameShape("backpropRelu", "dY", dY, "y", y);
        float[] dx = target(dyd, inplace);
        if (parallel.splits(dyd.length, Parallel.CHEAP)) {
            parallel.forRange(dyd.length, Parallel.CHEAP,
                    (from, to) -> CriticalKernels.backpropRelu(dyd, yd, dx, from, to));
        } else {
            CriticalKernels.backpropRelu(dyd, yd, dx, 0, dyd.length);
        }
        return result(dY, dx, inplace);
    }

    @Override
    public FloatArray sigmoid(FloatArray x, boolean inplace) {
        float[] xd = ctx.f("sigmoid", "x", x);
        float[] y = target(xd, inplace);
        if (parallel.splits(xd.length, Parallel.TRANSCENDENTAL)) {
            parallel.forRange(xd.length, Parallel.TRANSCENDENTAL,
                    (from, to) -> ActivationMath.sigmoid(xd, y, from, to));
        } else {
            ActivationMath.sigmoid(xd, y, 0, xd.length);
        }
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropSigmoid(FloatArray dY, FloatArray y, boolean inplace) {
        float[] dyd = ctx.f("backpropSigmoid", "dY", dY);
        float[] yd = ctx.f("backpropSigmoid", "y", y);
        Check.sameShape("backpropSigmoid", "dY", dY, "y", y);
        float[] dx = target(dyd, inplace);
        if (parallel.splits(dyd.length, Parallel.CHEAP)) {
            parallel.forRange(dyd.length, Parallel.CHEAP,
                    (from, to) -> ActivationMath.backpropSigmoid(dyd, yd, dx, from, to));
        } else {
            ActivationMath.backpropSigmoid(dyd, yd, dx, 0, dyd.length);
        }
        return result(dY, dx, inplace);
    }

    @Override
    public FloatArray tanh(FloatArray x, boolean inplace) {
        float[] xd = ctx.f("tanh", "x", x);
        float[] y = target(xd, inplace);
        if (parallel.splits(xd.length, Parallel.TRANSCENDENTAL)) {
            parallel.forRange(xd.length, Parallel.TRANSCENDENTAL, (from, to) -> ActivationMath.tanh(xd, y, from, to));
        } else {
            ActivationMath.tanh(xd, y, 0, xd.length);
        }
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropTanh(FloatArray dY, FloatArray y, boolean inplace) {
        float[] dyd = ctx.f("backpropTanh", "dY", dY);
        float[] yd = ctx.f("backpropTanh", "y", y);
        Check.sameShape("backpropTanh", "dY", dY, "y", y);
        float[] dx = target(dyd, inplace);
        if (parallel.splits(dyd.length, Parallel.CHEAP)) {
            parallel.forRange(dyd.length, Parallel.CHEAP,
                    (from, to) -> ActivationMath.backpropTanh(dyd, yd, dx, from, to));
        } else {
            ActivationMath.backpropTanh(dyd, yd, dx, 0, dyd.length);
        }
        return result(dY, dx, inplace);
    }

    @Override
    public FloatArray gelu(FloatArray x, boolean inplace) {
        float[] xd = ctx.f("gelu", "x", x);
        float[] y = target(xd, inplace);
        if (parallel.splits(xd.length, Parallel.TRANSCENDENTAL)) {
            parallel.forRange(xd.length, Parallel.TRANSCENDENTAL, (from, to) -> ActivationMath.gelu(xd, y, from, to));
        } else {
            ActivationMath.gelu(xd, y, 0, xd.length);
        }
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropGelu(FloatArray dY, FloatArray x, boolean inplace) {
        float[] dyd = ctx.f("backpropGelu", "dY", dY);
        float[] xd = ctx.f("backpropGelu", "x", x);
        Check.sameShape("backpropGelu", "dY", dY, "x", x);
        float[] dx = target(dyd, inplace);
        if (parallel.splits(dyd.length, Parallel.TRANSCENDENTAL)) {
            parallel.forRange(dyd.length, Parallel.TRANSCENDENTAL,
                    (from, to) -> ActivationMath.backpropGelu(dyd, xd, dx, from, to));
        } else {
            ActivationMath.backpropGelu(dyd, xd, dx, 0, dyd.length);
        }
        return result(dY, dx, inplace);
    }

    @Override
    public FloatArray swish(FloatArray x, boolean inplace) {
        float[] xd = ctx.f("swish", "x", x);
        float[] y = target(xd, inplace);
        if (parallel.splits(xd.length, Parallel.TRANSCENDENTAL)) {
            parallel.forRange(xd.length, Parallel.TRANSCENDENTAL, (from, to) -> ActivationMath.swish(xd, y, from, to));
        } else {
            ActivationMath.swish(xd, y, 0, xd.length);
        }
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropSwish(FloatArray dY, FloatArray x, FloatArray y, boolean inplace) {
        float[] dyd = ctx.f("backpropSwish", "dY", dY);
        float[] xd = ctx.f("backpropSwish", "x", x);
        float[] yd = ctx.f("backpropSwish", "y", y);
        Check.sameShape("backpropSwish", "dY", dY, "x", x);
        Check.sameShape("backpropSwish", "dY", dY, "y", y);
        float[] dx = target(dyd, inplace);
        if (parallel.splits(dyd.length, Parallel.TRANSCENDENTAL)) {
            parallel.forRange(dyd.length, Parallel.TRANSCENDENTAL,
                    (from, to) -> ActivationMath.backpropSwish(dyd, xd, yd, dx, from, to));
        } else {
            ActivationMath.backpropSwish(dyd, xd, yd, dx, 0, dyd.length);
        }
        return result(dY, dx, inplace);
    }

    @Override
    public FloatArray softmax(FloatArray x, float temperature, boolean inplace) {
        float[] xd = ctx.f("softmax", "x", x);
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("softmax: temperature must be a positive number, got " + temperature);
        }
        int n = x.dim(-1);
        int rows = n == 0 ? 0 : xd.length / n;
        float[] y = target(xd, inplace);
        if (parallel.splits(rows, n * Parallel.TRANSCENDENTAL)) {
            parallel.forRange(rows, n * Parallel.TRANSCENDENTAL,
                    (from, to) -> RowKernels.softmax(xd, y, n, temperature, from, to));
        } else {
            RowKernels.softmax(xd, y, n, temperature, 0, rows);
        }
        return result(x, y, inplace);
    }

    @Override
    public FloatArray backpropSoftmax(FloatArray y, FloatArray dY, float temperature) {
        float[] yd = ctx.f("backpropSoftmax", "y", y);
        float[] dyd = ctx.f("backpropSoftmax", "dY", dY);
        Check.sameShape("backpropSoftmax", "y", y, "dY", dY);
        if (!(temperature > 0f)) {
            throw new IllegalArgumentException("backpropSoftmax: temperature must be positive, got " + temperature);
        }
        int n = y.dim(-1);
        int rows = n == 0 ? 0 : yd.length / n;
        float[] dx = ctx.empty(yd.length);
        if (parallel.splits(rows, n)) {
            parallel.forRange(rows, n, (from, to) -> RowKernels.backpropSoftmax(yd, dyd, dx, n, temperature, from, to));
        } else {
            RowKernels.backpropSoftmax(yd, dyd, dx, n, temperature, 0, rows);
        }
        return ctx.wrap(dx, CpuContext.shapeOf(y));
    }

    @Override
    public MaxResult maxout(FloatArray x) {
        float[] xd = ctx.f("maxout", "x", x);
        Check.rank("maxout", "x", x, 3);
        int b = x.dim(0);
        int o = x.dim(1);
        int p = x.dim(2);
        if (p < 1 && b * o > 0) {
            throw new ShapeException("maxout: need at least one piece, got shape " + Shapes.format(x.shape()));
        }
        float[] best = ctx.empty(b * o);
        int[] which = new int[b * o];
        int cells = b * o;
        if (parallel.splits(cells, p)) {
            parallel.forRange(cells, p, (from, to) -> RowKernels.maxout(xd, best, which, p, from, to));
        } else {
            RowKernels.maxout(xd, best, which, p, 0, cells);
        }
        return new MaxResult(ctx.wrap(best, new int[] {b, o}), ctx.wrapInts(which, new int[] {b, o}));
    }

    @Override
    public FloatArray backpropMaxout(FloatArray dY, IntArray which, int pieces) {
        float[] dyd = ctx.f("backpropMaxout", "dY", dY);
        int[] wd = ctx.i("backpropMaxout", "which", which);
        Check.rank("backpropMaxout", "dY", dY, 2);
        Check.sameShape("backpropMaxout", "dY", dY, "which", which);
        float[] dx = ctx.zeros(Shapes.checkedSize("backpropMaxout", dY.dim(0), dY.dim(1), pieces));
        for (int g = 0; g < wd.length; g++) {
            int w = wd[g];
            if (w < 0 || w >= pieces) {
                throw new ShapeException("backpropMaxout: which has piece index " + w + " outside [0, " + pieces + ")");
            }
            dx[g * pieces + w] = dyd[g];
        }
        return ctx.wrap(dx, new int[] {dY.dim(0), dY.dim(1), pieces});
    }

    @Override
    public IntArray argmax(FloatArray x) {
        float[] xd = ctx.f("argmax", "x", x);
        if (x.rank() > 2) {
            throw new ShapeException("argmax: expected a 1-d or 2-d array, got shape " + Shapes.format(x.shape()));
        }
        int n = x.dim(-1);
        int rows = x.rank() == 1 ? 1 : x.dim(0);
        if (n == 0 && rows > 0) {
            throw new ShapeException("argmax: cannot take the argmax of empty rows, shape " + Shapes.format(x.shape()));
        }
        int[] out = new int[rows];
        if (parallel.splits(rows, n)) {
            parallel.forRange(rows, n, (from, to) -> RowKernels.argmax(xd, out, n, from, to));
        } else {
            RowKernels.argmax(xd, out, n, 0, rows);
        }
        return ctx.wrapInts(out, new int[] {rows});
    }

    @Override
    public FloatArray dropoutMask(float rate, long seed, int... shape) {
        if (Float.isNaN(rate)) {
            throw new IllegalArgumentException("dropoutMask: rate must be a number in [0, 1], got NaN");
        }
        int size = Shapes.checkedSize("dropoutMask", shape);
        // Every cell is written below unless the rate drops them all (left at zero, as Thinc).
        float[] m = rate >= 1f ? ctx.zeros(size) : ctx.empty(size);
        if (rate <= 0f) {
            Arrays.fill(m, 1f);
        } else if (rate < 1f) {  // rate >= 1 keeps the zeros, as Thinc
            float keep = (float) (1.0 / (1.0 - rate));
            // uniform(seed, i) >= rate, in integers: uniform is k / 2^24 for the draw's top 24 bits k, exactly,
            // so the test is k >= ceil(rate * 2^24) (ActivationMath.dropoutMask says how, without a branch).
            int threshold = (int) Math.ceil(rate * 0x1.0p24);
            int keepBits = Float.floatToRawIntBits(keep);
            if (parallel.splits(m.length, MASK_COST)) {
                parallel.forRange(m.length, MASK_COST,
                        (from, to) -> CriticalKernels.dropoutMask(m, seed, threshold, keepBits, from, to));
            } else {
                CriticalKernels.dropoutMask(m, seed, threshold, keepBits, 0, m.length);
            }
        }
        return ctx.wrap(m, shape.clone());
    }
}
