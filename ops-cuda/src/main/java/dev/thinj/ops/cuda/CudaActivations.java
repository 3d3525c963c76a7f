package dev.thinj.ops.cuda;

import dev.thinj.ops.ActivationKernels;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.MaxResult;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.cuda.device.Device.Kernel;

/**
 * Activations, their backward passes, softmax, maxout, argmax and dropout masks
 * ({@code native/activations.cu}), with the CPU backend's formulas. Elementwise kernels take an
 * output pointer that is the input's own when {@code inplace}; softmax and argmax give each row one
 * block, or one thread when rows are narrow.
 */
final class CudaActivations implements ActivationKernels {
    private final CudaContext ctx;
    private final Kernel relu;
    private final Kernel backpropRelu;
    private final Kernel sigmoid;
    private final Kernel backpropSigmoid;
    private final Kernel tanh;
    private final Kernel backpropTanh;
    private final Kernel gelu;
    private final Kernel backpropGelu;
    private final Kernel swish;
    private final Kernel backpropSwish;
    private final Kernel softmax;
    private final Kernel softmaxNarrow;
    private final Kernel backpropSoftmax;
    private final Kernel backpropSoftmaxNarrow;
    private final Kernel maxout;
    private final Kernel backpropMaxout;
    private final Kernel argmax;
    private final Kernel argmaxNarrow;
    private final Kernel dropoutMask;
    private final Kernel fill;

    /**
     * Rows up to this many columns get one thread each instead of one block: a block per row would
     * leave most of its 256 threads idle and pay eight barrier steps per reduction.
     */
    static final int NARROW_ROW = 32;

    CudaActivations(CudaContext ctx) {
        this.ctx = ctx;
        this.relu = ctx.kernel("thinj_relu");
        this.backpropRelu = ctx.kernel("thinj_backprop_relu");
        this.sigmoid = ctx.kernel("thinj_sigmoid");
        this.backpropSigmoid = ctx.kernel("thinj_backprop_sigmoid");
        this.tanh = ctx.kernel("thinj_tanh");
        this.backpropTanh = ctx.kernel("thinj_backprop_tanh");
        this.gelu = ctx.kernel("thinj_gelu");
        this.backpropGelu = ctx.kernel("thinj_backprop_gelu");
        this.swish = ctx.kernel("thinj_swish");
        this.backpropSwish = ctx.kernel("thinj_backprop_swish");
        this.softmax = ctx.kernel("thinj_softmax");
        this.softmaxNarrow = ctx.kernel("thinj_softmax_narrow");
        this.backpropSoftmax = ctx.kernel("thinj_backprop_softmax");
        this.backpropSoftmaxNarrow = ctx.kernel("thinj_backprop_softmax_narrow");
        this.maxout = ctx.kernel("thinj_maxout");
        this.backpropMaxout = ctx.kernel("thinj_backprop_maxout");
        this.argmax = ctx.kernel("thinj_argmax");
        this.argmaxNarrow = ctx.kernel("thinj_argmax_narrow");
        this.dropoutMask = ctx.kernel("thinj_dropout_mask");
        this.fill = ctx.kernel("thinj_fill");  // arrays.cu: the all-ones mask
    }

    // ---- elementwise ---------------------------------------------------------------------------

    @Override
    public FloatArray relu(FloatArray x, boolean inplace) {
        return forward("relu", relu, x, inplace);
    }

    @Override
    public FloatArray backpropRelu(FloatArray dY, FloatArray y, boolean inplace) {
        return backward("backpropRelu", backpropRelu, dY, "y", y, inplace);
    }

    @Override
    public FloatArray sigmoid(FloatArray x, boolean inplace) {
        return forward("sigmoid", sigmoid, x, inplace);
    }

    @Override
    public FloatArray backpropSigmoid(FloatArray dY, FloatArray y, boolean inplace) {
        return backward("backpropSigmoid", backpropSigmoid, dY, "y", y, inplace);
    }

    @Override
    public FloatArray tanh(FloatArray x, boolean inplace) {
        return forward("tanh", tanh, x, inplace);
    }

    @Override
    public FloatArray backpropTanh(FloatArray dY, FloatArray y, boolean inplace) {
        return backward("backpropTanh", backpropTanh, dY, "y", y, inplace);
    }

    @Override
    public FloatArray gelu(FloatArray x, boolean inplace) {
        return forward("gelu", gelu, x, inplace);
    }

    @Override
    public FloatArray backpropGelu(FloatArray dY, FloatArray x, boolean inplace) {
        return backward("backpropGelu", backpropGelu, dY, "x", x, inplace);
    }

    @Override
    public FloatArray swish(FloatArray x, boolean inplace) {
        return forward("swish", swish, x, inplace);
    }

    @Override
    public FloatArray backpropSwish(FloatArray dY, FloatArray x, FloatArray y, boolean inplace) {
        long pdy = ctx.f("backpropSwish", "dY", dY);
        long px = ctx.f("backpropSwish", "x", x);
        long py = ctx.f("backpropSwish", "y", y);
        Check.sameShape("backpropSwish", "dY", dY, "x", x);
        Check.sameShape("backpropSwish", "dY", dY, "y", y);
        FloatArray dX = target("backpropSwish", dY, inplace);
        long n = dY.size();
        ctx.launch(backpropSwish, n, ctx.args().ptr(pdy).ptr(px).ptr(py).ptr(((CudaFloatArray) dX).address()).i64(n));
        return dX;
    }

    // ---- softmax -------------------------------------------------------------------------------

    @Override
    public FloatArray softmax(FloatArray x, float temperature, boolean inplace) {
        long px = ctx.f("softmax", "x", x);
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("softmax: temperature must be a positive number, got " + temperature);
        }
        int n = x.dim(-1);
        int rows = n == 0 ? 0 : x.size() / n;
        FloatArray y = target("softmax", x, inplace);
        // As the CPU: inputs are multiplied by 1 / temperature, and not touched at temperature 1.
        float invT = 1f / temperature;
        int scale = temperature != 1f ? 1 : 0;
        long py = ((CudaFloatArray) y).address();
        if (n <= NARROW_ROW) {
            ctx.launch(softmaxNarrow, rows, ctx.args().ptr(px).ptr(py).i32(n).f32(invT).i32(scale).i64(rows));
        } else {
            ctx.launchRows(softmax, rows, ctx.args().ptr(px).ptr(py).i32(n).f32(invT).i32(scale));
        }
        return y;
    }

    @Override
    public FloatArray backpropSoftmax(FloatArray y, FloatArray dY, float temperature) {
        long py = ctx.f("backpropSoftmax", "y", y);
        long pdy = ctx.f("backpropSoftmax", "dY", dY);
        Check.sameShape("backpropSoftmax", "y", y, "dY", dY);
        if (!(temperature > 0f)) {
            throw new IllegalArgumentException("backpropSoftmax: temperature must be positive, got " + temperature);
        }
        int n = y.dim(-1);
        int rows = n == 0 ? 0 : y.size() / n;
        CudaFloatArray dX = ctx.newFloats("backpropSoftmax", y.shape());
        float invT = 1f / temperature;
        if (n <= NARROW_ROW) {
            ctx.launch(backpropSoftmaxNarrow, rows,
                    ctx.args().ptr(py).ptr(pdy).ptr(dX.address()).i32(n).f32(invT).i64(rows));
        } else {
            ctx.launchRows(backpropSoftmax, rows, ctx.args().ptr(py).ptr(pdy).ptr(dX.address()).i32(n).f32(invT));
        }
        return dX;
    }

    // ---- maxout and argmax ---------------------------------------------------------------------

    @Override
    public MaxResult maxout(FloatArray x) {
        long px = ctx.f("maxout", "x", x);
        Check.rank("maxout", "x", x, 3);
        int b = x.dim(0);
        int o = x.dim(1);
        int p = x.dim(2);
        if (p < 1 && b * o > 0) {
            throw new ShapeException("maxout: need at least one piece, got shape " + Shapes.format(x.shape()));
        }
        CudaFloatArray best = ctx.newFloats("maxout", b, o);
        // `which` is computed on the device: its host values are unknown until someone reads them.
        CudaIntArray which = ctx.newInts("maxout", null, b, o);
        long groups = (long) b * o;
        ctx.launch(maxout, groups, ctx.args().ptr(px).ptr(best.address()).ptr(which.address()).i32(p).i64(groups));
        return new MaxResult(best, which);
    }

    @Override
    public FloatArray backpropMaxout(FloatArray dY, IntArray which, int pieces) {
        long pdy = ctx.f("backpropMaxout", "dY", dY);
        CudaIntArray w = ctx.i("backpropMaxout", "which", which);
        Check.rank("backpropMaxout", "dY", dY, 2);
        Check.sameShape("backpropMaxout", "dY", dY, "which", which);
        Shapes.checkedSize("backpropMaxout", dY.dim(0), dY.dim(1), pieces);
        int[] v = w.knownHostValues();
        if (v != null) {
            // Host-made indices are checked here, synchronously, as the CPU backend does. A `which` that
            // maxout made on the device is checked by the kernel (no download, no synchronisation).
            for (int g = 0; g < v.length; g++) {
                if (v[g] < 0 || v[g] >= pieces) {
                    throw new ShapeException("backpropMaxout: which has piece index " + v[g] + " outside [0, " + pieces
                            + ")");
                }
            }
        }
        CudaFloatArray dX = ctx.zeros("backpropMaxout", dY.dim(0), dY.dim(1), pieces);
        long groups = dY.size();
        ctx.launch(backpropMaxout, groups, ctx.args().ptr(pdy).ptr(w.address()).ptr(dX.address()).i32(pieces)
                .i64(groups).ptr(ctx.faultFlag()));
        return dX;
    }

    @Override
    public IntArray argmax(FloatArray x) {
        long px = ctx.f("argmax", "x", x);
        if (x.rank() > 2) {
            throw new ShapeException("argmax: expected a 1-d or 2-d array, got shape " + Shapes.format(x.shape()));
        }
        int n = x.dim(-1);
        int rows = x.rank() == 1 ? 1 : x.dim(0);
        if (n == 0 && rows > 0) {
            throw new ShapeException("argmax: cannot take the argmax of empty rows, shape " + Shapes.format(x.shape()));
        }
        CudaIntArray out = ctx.newInts("argmax", null, rows);
        if (n <= NARROW_ROW) {
            ctx.launch(argmaxNarrow, rows, ctx.args().ptr(px).ptr(out.address()).i32(n).i64(rows));
        } else {
            ctx.launchRows(argmax, rows, ctx.args().ptr(px).ptr(out.address()).i32(n));
        }
        return out;
    }

    // ---- dropout -------------------------------------------------------------------------------

    @Override
    public FloatArray dropoutMask(float rate, long seed, int... shape) {
        if (Float.isNaN(rate)) {
            throw new IllegalArgumentException("dropoutMask: rate must be a number in [0, 1], got NaN");
        }
        if (rate >= 1f) {
            return ctx.zeros("dropoutMask", shape);  // drops everything, as Thinc
        }
        CudaFloatArray m = ctx.newFloats("dropoutMask", shape);
        long n = m.size();
        if (rate <= 0f) {
            ctx.launch(fill, n, ctx.args().ptr(m.address()).f32(1f).i64(n));
        } else {
            // The scale is computed in double and rounded once, exactly as the CPU backend.
            float keep = (float) (1.0 / (1.0 - rate));
            ctx.launch(dropoutMask, n, ctx.args().ptr(m.address()).i64(seed).f32(rate).f32(keep).i64(n));
        }
        return m;
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** The output of an elementwise kernel: the first argument itself when in place, else a new array. */
    private FloatArray target(String kernel, FloatArray first, boolean inplace) {
        return inplace ? first : ctx.newFloats(kernel, first.shape());
    }

    private FloatArray forward(String name, Kernel kernel, FloatArray x, boolean inplace) {
        long px = ctx.f(name, "x", x);
        FloatArray y = target(name, x, inplace);
        long n = x.size();
        ctx.launch(kernel, n, ctx.args().ptr(px).ptr(((CudaFloatArray) y).address()).i64(n));
        return y;
    }

    /** {@code dX = f(dY, other)} for the backward passes that read one forward array. */
    private FloatArray backward(String name, Kernel kernel, FloatArray dY, String otherName, FloatArray other,
            boolean inplace) {
        long pdy = ctx.f(name, "dY", dY);
        long po = ctx.f(name, otherName, other);
        Check.sameShape(name, "dY", dY, otherName, other);
        FloatArray dX = target(name, dY, inplace);
        long n = dY.size();
        ctx.launch(kernel, n, ctx.args().ptr(pdy).ptr(po).ptr(((CudaFloatArray) dX).address()).i64(n));
        return dX;
    }
}
