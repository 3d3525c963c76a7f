package dev.thinj.ops.conformance;

import dev.thinj.ops.CounterRandom;
import dev.thinj.ops.Shapes;
import java.util.Arrays;
import java.util.List;

/**
 * Float64 reference implementations of every kernel of {@link dev.thinj.ops.Ops}, written from the
 * kernels' Javadoc and Thinc 8.1.7 ({@code thinc/backends/ops.py}, {@code thinc/loss.py},
 * {@code thinc/layers/layernorm.py}, {@code thinc/util.py}). They favour plain loops over speed so
 * each can be checked by eye. Nothing here modifies its arguments: kernels that work in place have
 * a reference that returns the new values.
 */
public final class Reference {
    /** Thinc clips sigmoid inputs to this magnitude. */
    static final double SIGMOID_CLIP = 20.0;
    /** Thinc's layer-norm variance epsilon. */
    static final double LAYER_NORM_EPS = 1e-8;
    /** Thinc's cosine-distance offset added to guesses and truths. */
    static final double COSINE_OFFSET = 1e-8;

    private Reference() {
    }

    // ---- arrays --------------------------------------------------------------------------------

    /**
     * @param shape dimensions
     * @param value the fill value
     * @return a new array of {@code value}
     */
    public static HostArray fill(int[] shape, double value) {
        double[] d = new double[Shapes.size(shape)];
        Arrays.fill(d, value);
        return new HostArray(d, shape.clone());
    }

    /**
     * @param src host values
     * @param offset where to start reading
     * @param shape the destination's shape
     * @return {@code src[offset, offset + size)} in that shape
     */
    public static HostArray copyFromHost(float[] src, int offset, int[] shape) {
        return HostArray.of(Arrays.copyOfRange(src, offset, offset + Shapes.size(shape)), shape);
    }

    /**
     * @param x rank 1 or more
     * @param start first row
     * @param end row after the last
     * @return rows {@code [start, end)} of the first dimension
     */
    public static HostArray sliceRows(HostArray x, int start, int end) {
        int rowSize = rowSize(x);
        int[] shape = x.shape().clone();
        shape[0] = end - start;
        return new HostArray(Arrays.copyOfRange(x.data(), start * rowSize, end * rowSize), shape);
    }

    /**
     * @param x rank 1 or more
     * @param rows row indices
     * @return {@code x[rows]}
     */
    public static HostArray gatherRows(HostArray x, int[] rows) {
        int rowSize = rowSize(x);
        int[] shape = x.shape().clone();
        shape[0] = rows.length;
        double[] out = new double[rows.length * rowSize];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x.data(), rows[i] * rowSize, out, i * rowSize, rowSize);
        }
        return new HostArray(out, shape);
    }

    /**
     * @param parts 2-d arrays with equal row counts
     * @return NumPy's {@code hstack(parts)}
     */
    public static HostArray concatColumns(List<HostArray> parts) {
        int rows = parts.get(0).dim(0);
        int cols = 0;
        for (HostArray p : parts) {
            cols += p.dim(1);
        }
        double[] out = new double[rows * cols];
        int offset = 0;
        for (HostArray p : parts) {
            int w = p.dim(1);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < w; c++) {
                    out[r * cols + offset + c] = p.at(r, c);
                }
            }
            offset += w;
        }
        return new HostArray(out, new int[] {rows, cols});
    }

    /**
     * @param x 2-d
     * @param start first column
     * @param end column after the last
     * @return {@code x[:, start:end]}
     */
    public static HostArray sliceColumns(HostArray x, int start, int end) {
        int rows = x.dim(0);
        int w = end - start;
        double[] out = new double[rows * w];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < w; c++) {
                out[r * w + c] = x.at(r, start + c);
            }
        }
        return new HostArray(out, new int[] {rows, w});
    }

    // ---- linear --------------------------------------------------------------------------------

    /**
     * {@code alpha * op(a) @ op(b) + beta * out}; with {@code beta == 0} the old {@code out} is
     * ignored entirely, even where it holds NaN, as BLAS does.
     *
     * @param a 2-d
     * @param b 2-d
     * @param out 2-d of the result's shape, or {@code null} when {@code beta == 0}
     * @param transA transpose {@code a}
     * @param transB transpose {@code b}
     * @param alpha scale of the product
     * @param beta scale of {@code out}
     * @return the new values of {@code out}
     */
    public static HostArray gemm(HostArray a, HostArray b, HostArray out, boolean transA, boolean transB,
            double alpha, double beta) {
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int n = transB ? b.dim(0) : b.dim(1);
        double[] r = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a.at(p, i) : a.at(i, p);
                    double bv = transB ? b.at(j, p) : b.at(p, j);
                    s += av * bv;
                }
                r[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * out.data()[i * n + j]);
            }
        }
        return new HostArray(r, new int[] {m, n});
    }

    /**
     * @param x (batch, nI)
     * @param w (nO, nI)
     * @param b (nO)
     * @return {@code x @ w.T + b}
     */
    public static HostArray affine(HostArray x, HostArray w, HostArray b) {
        return addBias(gemm(x, w, null, false, true, 1, 0), b);
    }

    /**
     * @param y 2-d
     * @param bias 1-d of {@code y.dim(1)}
     * @return {@code y + bias} on every row
     */
    public static HostArray addBias(HostArray y, HostArray bias) {
        double[] r = y.data().clone();
        int n = y.dim(1);
        for (int i = 0; i < r.length; i++) {
            r[i] += bias.data()[i % n];
        }
        return new HostArray(r, y.shape().clone());
    }

    /**
     * @param x 2-d
     * @return the column sums, {@code x.sum(axis=0)}
     */
    public static HostArray sumRows(HostArray x) {
        int rows = x.dim(0);
        int n = x.dim(1);
        double[] r = new double[n];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                r[j] += x.at(i, j);
            }
        }
        return new HostArray(r, new int[] {n});
    }

    // ---- elementwise ---------------------------------------------------------------------------

    /** The binary elementwise operations. */
    public enum Binary {
        /** {@code a + b} */
        ADD,
        /** {@code a - b} */
        SUB,
        /** {@code a * b} */
        MUL;

        double apply(double a, double b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
            };
        }
    }

    /**
     * @param op the operation
     * @param a any shape
     * @param b the same number of elements
     * @return {@code a op b} in {@code a}'s shape
     */
    public static HostArray binary(Binary op, HostArray a, HostArray b) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = op.apply(a.data()[i], b.data()[i]);
        }
        return new HostArray(r, a.shape().clone());
    }

    /**
     * @param a any shape
     * @param factor the scale
     * @return {@code a * factor}
     */
    public static HostArray scale(HostArray a, double factor) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.data()[i] * factor;
        }
        return new HostArray(r, a.shape().clone());
    }

    /**
     * @param alpha scale of {@code x}
     * @param x any shape
     * @param y the same number of elements
     * @return {@code y + alpha * x} in {@code y}'s shape
     */
    public static HostArray axpy(double alpha, HostArray x, HostArray y) {
        double[] r = new double[y.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = y.data()[i] + alpha * x.data()[i];
        }
        return new HostArray(r, y.shape().clone());
    }

    /**
     * @param x any shape
     * @return the sum of all elements (0 when empty)
     */
    public static double sum(HostArray x) {
        double s = 0;
        for (double v : x.data()) {
            s += v;
        }
        return s;
    }

    /**
     * @param x any shape
     * @return the sum of squares of all elements
     */
    public static double sumOfSquares(HostArray x) {
        double s = 0;
        for (double v : x.data()) {
            s += v * v;
        }
        return s;
    }

    // ---- activations ---------------------------------------------------------------------------

    /** The activations computed element by element from one input. */
    public enum Unary {
        /** {@code x * (x > 0)} */
        RELU,
        /** {@code 1 / (1 + exp(-clip(x, -20, 20)))} */
        SIGMOID,
        /** {@code tanh(x)} */
        TANH,
        /** {@code x * Phi(x)} with Thinc's erf */
        GELU,
        /** {@code x * sigmoid(x)} */
        SWISH;

        double apply(double x) {
            return switch (this) {
                case RELU -> x > 0 ? x : 0;
                case SIGMOID -> sigmoid(x);
                case TANH -> Math.tanh(x);
                case GELU -> x * gaussianCdf(x);
                case SWISH -> x * sigmoid(x);
            };
        }
    }

    /**
     * @param f the activation
     * @param x any shape
     * @return {@code f(x)} elementwise
     */
    public static HostArray activation(Unary f, HostArray x) {
        double[] r = new double[x.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.apply(x.data()[i]);
        }
        return new HostArray(r, x.shape().clone());
    }

    /**
     * @param dY gradient of the outputs
     * @param y relu's outputs
     * @return {@code dY * (y > 0)}
     */
    public static HostArray backpropRelu(HostArray dY, HostArray y) {
        double[] r = new double[dY.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = y.data()[i] > 0 ? dY.data()[i] : 0;
        }
        return new HostArray(r, dY.shape().clone());
    }

    /**
     * @param dY gradient of the outputs
     * @param y sigmoid's outputs
     * @return {@code dY * y * (1 - y)}
     */
    public static HostArray backpropSigmoid(HostArray dY, HostArray y) {
        double[] r = new double[dY.size()];
        for (int i = 0; i < r.length; i++) {
            double v = y.data()[i];
            r[i] = dY.data()[i] * v * (1 - v);
        }
        return new HostArray(r, dY.shape().clone());
    }

    /**
     * @param dY gradient of the outputs
     * @param y tanh's outputs
     * @return {@code dY * (1 - y^2)}
     */
    public static HostArray backpropTanh(HostArray dY, HostArray y) {
        double[] r = new double[dY.size()];
        for (int i = 0; i < r.length; i++) {
            double v = y.data()[i];
            r[i] = dY.data()[i] * (1 - v * v);
        }
        return new HostArray(r, dY.shape().clone());
    }

    /**
     * @param dY gradient of the outputs
     * @param x gelu's inputs
     * @return {@code dY * (Phi(x) + x * pdf(x))}
     */
    public static HostArray backpropGelu(HostArray dY, HostArray x) {
        double[] r = new double[dY.size()];
        for (int i = 0; i < r.length; i++) {
            double v = x.data()[i];
            r[i] = dY.data()[i] * (gaussianCdf(v) + v * gaussianPdf(v));
        }
        return new HostArray(r, dY.shape().clone());
    }

    /**
     * @param dY gradient of the outputs
     * @param x swish's inputs
     * @param y swish's outputs
     * @return {@code dY * (y + sigmoid(x) * (1 - y))}
     */
    public static HostArray backpropSwish(HostArray dY, HostArray x, HostArray y) {
        double[] r = new double[dY.size()];
        for (int i = 0; i < r.length; i++) {
            double yv = y.data()[i];
            r[i] = dY.data()[i] * (yv + sigmoid(x.data()[i]) * (1 - yv));
        }
        return new HostArray(r, dY.shape().clone());
    }

    /**
     * @param x rank 1 or more
     * @param temperature divides the inputs first
     * @return softmax over the last axis of {@code x / temperature}
     */
    public static HostArray softmax(HostArray x, double temperature) {
        int n = x.lastDim();
        int rows = x.outerSize();
        double[] r = new double[x.size()];
        for (int row = 0; row < rows; row++) {
            int o = row * n;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, x.data()[o + j] / temperature);
            }
            double total = 0;
            for (int j = 0; j < n; j++) {
                r[o + j] = Math.exp(x.data()[o + j] / temperature - max);
                total += r[o + j];
            }
            for (int j = 0; j < n; j++) {
                r[o + j] /= total;
            }
        }
        return new HostArray(r, x.shape().clone());
    }

    /**
     * @param y softmax's outputs
     * @param dY gradient of the outputs
     * @param temperature the forward temperature
     * @return {@code y * dY' - y * sum(y * dY', last axis)} with {@code dY' = dY / temperature}
     */
    public static HostArray backpropSoftmax(HostArray y, HostArray dY, double temperature) {
        int n = y.lastDim();
        int rows = y.outerSize();
        double[] r = new double[y.size()];
        for (int row = 0; row < rows; row++) {
            int o = row * n;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += y.data()[o + j] * dY.data()[o + j] / temperature;
            }
            for (int j = 0; j < n; j++) {
                r[o + j] = y.data()[o + j] * dY.data()[o + j] / temperature - y.data()[o + j] * dot;
            }
        }
        return new HostArray(r, y.shape().clone());
    }

    /**
     * Maxima with where they came from.
     *
     * @param max the maxima
     * @param which the index of each, the first one on ties
     */
    public record Max(HostArray max, int[] which) {
    }

    /**
     * @param x (batch, nO, nP)
     * @return the maxima over the last axis and the first piece holding each
     */
    public static Max maxout(HostArray x) {
        int pieces = x.dim(2);
        int outs = x.dim(0) * x.dim(1);
        double[] max = new double[outs];
        int[] which = new int[outs];
        for (int o = 0; o < outs; o++) {
            int best = 0;
            for (int p = 1; p < pieces; p++) {
                if (x.data()[o * pieces + p] > x.data()[o * pieces + best]) {
                    best = p;
                }
            }
            which[o] = best;
            max[o] = x.data()[o * pieces + best];
        }
        return new Max(new HostArray(max, new int[] {x.dim(0), x.dim(1)}), which);
    }

    /**
     * @param dY (batch, nO)
     * @param which (batch, nO) winning pieces, row-major
     * @param pieces nP
     * @return (batch, nO, nP), {@code dY} at the winners and zero elsewhere
     */
    public static HostArray backpropMaxout(HostArray dY, int[] which, int pieces) {
        double[] r = new double[dY.size() * pieces];
        for (int o = 0; o < dY.size(); o++) {
            r[o * pieces + which[o]] = dY.data()[o];
        }
        return new HostArray(r, new int[] {dY.dim(0), dY.dim(1), pieces});
    }

    /**
     * @param x rank 1 or 2
     * @return per row the index of the first maximum (one index for a 1-d array)
     */
    public static int[] argmax(HostArray x) {
        int n = x.lastDim();
        int rows = x.rank() == 1 ? 1 : x.dim(0);
        int[] r = new int[rows];
        for (int row = 0; row < rows; row++) {
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (x.data()[row * n + j] > x.data()[row * n + best]) {
                    best = j;
                }
            }
            r[row] = best;
        }
        return r;
    }

    /**
     * Thinc's {@code get_dropout_mask} with the counter-based generator: element {@code i} keeps
     * ({@code 1 / (1 - rate)}) when {@code CounterRandom.uniform(seed, i) >= rate}.
     *
     * @param rate the drop rate as the kernel receives it
     * @param seed the generator key
     * @param shape the mask's shape
     * @return the mask
     */
    public static HostArray dropoutMask(float rate, long seed, int... shape) {
        int n = Shapes.size(shape);
        if (rate <= 0) {
            return fill(shape, 1);
        }
        if (rate >= 1) {
            return fill(shape, 0);
        }
        double keep = 1.0 / (1.0 - rate);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = CounterRandom.uniform(seed, i) >= rate ? keep : 0;
        }
        return new HostArray(r, shape.clone());
    }

    // ---- normalisation -------------------------------------------------------------------------

    /**
     * The forward pass of layer normalisation.
     *
     * @param output {@code Xhat * G + b}
     * @param mean per-row mean
     * @param variance per-row population variance plus 1e-8
     */
    public record LayerNorm(HostArray output, HostArray mean, HostArray variance) {
    }

    /**
     * @param x (batch, n)
     * @param gain (n)
     * @param bias (n)
     * @return Thinc's LayerNorm forward
     */
    public static LayerNorm layerNorm(HostArray x, HostArray gain, HostArray bias) {
        int rows = x.dim(0);
        int n = x.dim(1);
        double[] out = new double[x.size()];
        double[] mean = new double[rows];
        double[] var = new double[rows];
        for (int i = 0; i < rows; i++) {
            double mu = 0;
            for (int j = 0; j < n; j++) {
                mu += x.at(i, j);
            }
            mu /= n;
            double v = 0;
            for (int j = 0; j < n; j++) {
                double d = x.at(i, j) - mu;
                v += d * d;
            }
            v = v / n + LAYER_NORM_EPS;
            mean[i] = mu;
            var[i] = v;
            for (int j = 0; j < n; j++) {
                double xhat = (x.at(i, j) - mu) / Math.sqrt(v);
                out[i * n + j] = xhat * gain.data()[j] + bias.data()[j];
            }
        }
        return new LayerNorm(new HostArray(out, x.shape().clone()), new HostArray(mean, new int[] {rows}),
                new HostArray(var, new int[] {rows}));
    }

    /**
     * The backward pass of layer normalisation.
     *
     * @param dX gradient of the inputs
     * @param dGain the gain gradient after accumulation
     * @param dBias the bias gradient after accumulation
     */
    public record LayerNormGrads(HostArray dX, HostArray dGain, HostArray dBias) {
    }

    /**
     * Thinc's LayerNorm backward, using the forward's mean and variance as given.
     *
     * @param dY (batch, n)
     * @param x the forward inputs
     * @param gain G
     * @param mean the forward's per-row mean
     * @param variance the forward's per-row variance, epsilon included
     * @param dGain the gain gradient before (accumulated into a copy)
     * @param dBias the bias gradient before (accumulated into a copy)
     * @return dX and the accumulated gradients
     */
    public static LayerNormGrads backpropLayerNorm(HostArray dY, HostArray x, HostArray gain, HostArray mean,
            HostArray variance, HostArray dGain, HostArray dBias) {
        int rows = x.dim(0);
        int n = x.dim(1);
        double[] dx = new double[x.size()];
        double[] dg = dGain.data().clone();
        double[] db = dBias.data().clone();
        for (int i = 0; i < rows; i++) {
            double mu = mean.data()[i];
            double v = variance.data()[i];
            double sumDy = 0;
            double sumDyDist = 0;
            for (int j = 0; j < n; j++) {
                double dy = dY.at(i, j);
                double dist = x.at(i, j) - mu;
                dg[j] += dy * dist / Math.sqrt(v);
                db[j] += dy;
                double dyG = dy * gain.data()[j];
                sumDy += dyG;
                sumDyDist += dyG * dist;
            }
            for (int j = 0; j < n; j++) {
                double dyG = dY.at(i, j) * gain.data()[j];
                double dist = x.at(i, j) - mu;
                dx[i * n + j] = (n * dyG - sumDy - dist / v * sumDyDist) / (n * Math.sqrt(v));
            }
        }
        return new LayerNormGrads(new HostArray(dx, x.shape().clone()), new HostArray(dg, dGain.shape().clone()),
                new HostArray(db, dBias.shape().clone()));
    }

    // ---- sequence reductions -------------------------------------------------------------------

    /**
     * @param x (sum of lengths, n)
     * @param lengths rows per sequence
     * @return per-sequence sums (zero for an empty sequence)
     */
    public static HostArray reduceSum(HostArray x, int[] lengths) {
        return reduceSumOrMean(x, lengths, false);
    }

    /**
     * @param x (sum of lengths, n)
     * @param lengths rows per sequence
     * @return per-sequence means (zero for an empty sequence)
     */
    public static HostArray reduceMean(HostArray x, int[] lengths) {
        return reduceSumOrMean(x, lengths, true);
    }

    private static HostArray reduceSumOrMean(HostArray x, int[] lengths, boolean mean) {
        int n = x.dim(1);
        double[] r = new double[lengths.length * n];
        int start = 0;
        for (int s = 0; s < lengths.length; s++) {
            for (int row = start; row < start + lengths[s]; row++) {
                for (int j = 0; j < n; j++) {
                    r[s * n + j] += x.at(row, j);
                }
            }
            if (mean && lengths[s] > 0) {
                for (int j = 0; j < n; j++) {
                    r[s * n + j] /= lengths[s];
                }
            }
            start += lengths[s];
        }
        return new HostArray(r, new int[] {lengths.length, n});
    }

    /**
     * @param dY (sequences, n)
     * @param lengths rows per sequence
     * @return (sum of lengths, n), each row its sequence's gradient
     */
    public static HostArray backpropReduceSum(HostArray dY, int[] lengths) {
        return spread(dY, lengths, false);
    }

    /**
     * @param dY (sequences, n)
     * @param lengths rows per sequence
     * @return (sum of lengths, n), each row its sequence's gradient over its length
     */
    public static HostArray backpropReduceMean(HostArray dY, int[] lengths) {
        return spread(dY, lengths, true);
    }

    private static HostArray spread(HostArray dY, int[] lengths, boolean mean) {
        int n = dY.dim(1);
        int total = Arrays.stream(lengths).sum();
        double[] r = new double[total * n];
        int row = 0;
        for (int s = 0; s < lengths.length; s++) {
            for (int k = 0; k < lengths[s]; k++, row++) {
                for (int j = 0; j < n; j++) {
                    r[row * n + j] = mean ? dY.at(s, j) / lengths[s] : dY.at(s, j);
                }
            }
        }
        return new HostArray(r, new int[] {total, n});
    }

    /**
     * @param x (sum of lengths, n)
     * @param lengths rows per sequence, each positive
     * @return per-sequence column maxima and the first row within the sequence holding each
     */
    public static Max reduceMax(HostArray x, int[] lengths) {
        int n = x.dim(1);
        double[] max = new double[lengths.length * n];
        int[] which = new int[lengths.length * n];
        int start = 0;
        for (int s = 0; s < lengths.length; s++) {
            for (int j = 0; j < n; j++) {
                int best = 0;
                for (int k = 1; k < lengths[s]; k++) {
                    if (x.at(start + k, j) > x.at(start + best, j)) {
                        best = k;
                    }
                }
                which[s * n + j] = best;
                max[s * n + j] = x.at(start + best, j);
            }
            start += lengths[s];
        }
        return new Max(new HostArray(max, new int[] {lengths.length, n}), which);
    }

    /**
     * @param dY (sequences, n)
     * @param which (sequences, n) row within each sequence, row-major
     * @param lengths rows per sequence
     * @return (sum of lengths, n), {@code dY} at the maxima and zero elsewhere
     */
    public static HostArray backpropReduceMax(HostArray dY, int[] which, int[] lengths) {
        int n = dY.dim(1);
        int total = Arrays.stream(lengths).sum();
        double[] r = new double[total * n];
        int start = 0;
        for (int s = 0; s < lengths.length; s++) {
            for (int j = 0; j < n; j++) {
                r[(start + which[s * n + j]) * n + j] = dY.at(s, j);
            }
            start += lengths[s];
        }
        return new HostArray(r, new int[] {total, n});
    }

    // ---- optimizers ----------------------------------------------------------------------------

    /**
     * The four arrays Adam updates.
     *
     * @param weights after the step
     * @param gradient after the step (zeros)
     * @param mom1 first moment after the step
     * @param mom2 second moment after the step
     */
    public record AdamState(HostArray weights, HostArray gradient, HostArray mom1, HostArray mom2) {
    }

    /**
     * Thinc's {@code Ops.adam} followed by the gradient reset that thinj fuses into the kernel.
     *
     * @param w weights
     * @param g gradient
     * @param m1 first moment
     * @param m2 second moment
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps added to the denominator
     * @param lr the learning rate
     * @param modRate scales {@code sqrt(m2)}
     * @return the arrays after one step
     */
    public static AdamState adam(HostArray w, HostArray g, HostArray m1, HostArray m2, double beta1, double beta2,
            double eps, double lr, double modRate) {
        int n = w.size();
        double[] nw = new double[n];
        double[] n1 = new double[n];
        double[] n2 = new double[n];
        for (int i = 0; i < n; i++) {
            double gi = g.data()[i];
            n1[i] = beta1 * m1.data()[i] + (1 - beta1) * gi;
            n2[i] = beta2 * m2.data()[i] + (1 - beta2) * gi * gi;
            nw[i] = w.data()[i] - lr * n1[i] / (modRate * Math.sqrt(n2[i]) + eps);
        }
        int[] s = w.shape();
        return new AdamState(new HostArray(nw, s.clone()), HostArray.zeros(g.shape()), new HostArray(n1, s.clone()),
                new HostArray(n2, s.clone()));
    }

    /**
     * Thinc's RAdam arithmetic for one step, with the gradient reset thinj fuses into the kernel.
     *
     * @param w weights
     * @param g gradient
     * @param m1 first moment
     * @param m2 second moment
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps added to the denominator
     * @param stepSize the step, learning rate included
     * @param rectified whether to divide by {@code sqrt(m2) + eps}
     * @return the arrays after one step
     */
    public static AdamState radam(HostArray w, HostArray g, HostArray m1, HostArray m2, double beta1, double beta2,
            double eps, double stepSize, boolean rectified) {
        int n = w.size();
        double[] nw = new double[n];
        double[] n1 = new double[n];
        double[] n2 = new double[n];
        for (int i = 0; i < n; i++) {
            double gi = g.data()[i];
            n2[i] = beta2 * m2.data()[i] + (1 - beta2) * gi * gi;
            n1[i] = beta1 * m1.data()[i] + (1 - beta1) * gi;
            nw[i] = w.data()[i] - stepSize * (rectified ? n1[i] / (Math.sqrt(n2[i]) + eps) : n1[i]);
        }
        int[] s = w.shape();
        return new AdamState(new HostArray(nw, s.clone()), HostArray.zeros(g.shape()), new HostArray(n1, s.clone()),
                new HostArray(n2, s.clone()));
    }

    /**
     * @param w weights
     * @param g gradient
     * @param lr the learning rate
     * @return {@code w - lr * g}
     */
    public static HostArray sgd(HostArray w, HostArray g, double lr) {
        return axpy(-lr, g, w);
    }

    /**
     * @param ema the running average
     * @param w the current weights
     * @param t the step count
     * @param maxDecay the decay cap
     * @return {@code ema - (1 - decay) * (ema - w)} with {@code decay = min((1 + t) / (10 + t), maxDecay)}
     */
    public static HostArray updateAverages(HostArray ema, HostArray w, int t, double maxDecay) {
        double decay = Math.min((1.0 + t) / (10.0 + t), maxDecay);
        double[] r = new double[ema.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = ema.data()[i] - (1 - decay) * (ema.data()[i] - w.data()[i]);
        }
        return new HostArray(r, ema.shape().clone());
    }

    /**
     * @param g the gradient
     * @param threshold the largest norm kept
     * @return {@code g * threshold / norm(g)} when {@code norm(g) >= threshold}, else {@code g}
     */
    public static HostArray clipGradient(HostArray g, double threshold) {
        double norm = Math.sqrt(sumOfSquares(g));
        return norm >= threshold ? scale(g, threshold / norm) : g.copy();
    }

    // ---- losses --------------------------------------------------------------------------------

    /**
     * Thinc's {@code to_categorical}.
     *
     * @param labels class indices
     * @param nClasses the number of classes
     * @param smoothing label smoothing
     * @return (labels, nClasses)
     */
    public static HostArray oneHot(int[] labels, int nClasses, double smoothing) {
        double off = smoothing == 0 ? 0 : smoothing / (nClasses - 1);
        double[] r = new double[labels.length * nClasses];
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < nClasses; c++) {
                r[i * nClasses + c] = c == labels[i] ? 1 - smoothing : off;
            }
        }
        return new HostArray(r, new int[] {labels.length, nClasses});
    }

    /**
     * @param guesses any shape
     * @param truths same shape
     * @param mask same shape, or {@code null} for ones
     * @param scale the factor
     * @return {@code (guesses - truths) * mask * scale}
     */
    public static HostArray scaledDifference(HostArray guesses, HostArray truths, HostArray mask, double scale) {
        double[] r = new double[guesses.size()];
        for (int i = 0; i < r.length; i++) {
            double m = mask == null ? 1 : mask.data()[i];
            r[i] = (guesses.data()[i] - truths.data()[i]) * m * scale;
        }
        return new HostArray(r, guesses.shape().clone());
    }

    /**
     * @param x any shape
     * @param low inclusive bound
     * @param high inclusive bound
     * @return whether every element is in {@code [low, high]}
     */
    public static boolean allInRange(HostArray x, double low, double high) {
        for (double v : x.data()) {
            if (!(v >= low && v <= high)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Thinc's {@code CosineDistance} gradient and loss.
     *
     * @param gradient {@code -d cos / d guesses * scale}
     * @param loss {@code sum |cos - 1| * scale}
     */
    public record Cosine(HostArray gradient, double loss) {
    }

    /**
     * @param guesses (batch, n)
     * @param truths (batch, n)
     * @param ignoreZeros give rows whose truth is all zeros no gradient and no loss
     * @param scale the factor
     * @return the gradient and the loss
     */
    public static Cosine cosineDistance(HostArray guesses, HostArray truths, boolean ignoreZeros, double scale) {
        int rows = guesses.dim(0);
        int n = guesses.dim(1);
        double[] grad = new double[guesses.size()];
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            double truthAbs = 0;
            double yhSq = 0;
            double ySq = 0;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                truthAbs += Math.abs(truths.at(i, j));
                double yh = guesses.at(i, j) + COSINE_OFFSET;
                double y = truths.at(i, j) + COSINE_OFFSET;
                yhSq += yh * yh;
                ySq += y * y;
                dot += yh * y;
            }
            if (ignoreZeros && truthAbs == 0) {
                continue;
            }
            double normYh = Math.sqrt(yhSq);
            double normY = Math.sqrt(ySq);
            double cosine = dot / (normYh * normY);
            for (int j = 0; j < n; j++) {
                double yh = guesses.at(i, j) + COSINE_OFFSET;
                double y = truths.at(i, j) + COSINE_OFFSET;
                double dYh = y / (normYh * normY) - cosine * yh / (normYh * normYh);
                grad[i * n + j] = -dYh * scale;
            }
            loss += Math.abs(cosine - 1) * scale;
        }
        return new Cosine(new HostArray(grad, guesses.shape().clone()), loss);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /**
     * @param x rank 1 or more
     * @return the number of elements in one row of the first dimension
     */
    static int rowSize(HostArray x) {
        int n = 1;
        for (int i = 1; i < x.rank(); i++) {
            n *= x.shape()[i];
        }
        return n;
    }

    /** Thinc's clipped logistic function. */
    static double sigmoid(double x) {
        double c = Math.max(-SIGMOID_CLIP, Math.min(SIGMOID_CLIP, x));
        return 1.0 / (1.0 + Math.exp(-c));
    }

    /**
     * Thinc's erf: Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), which the GELU
     * kernels are specified to use instead of the exact function.
     */
    static double erf(double x) {
        double sign = Math.signum(x);
        double a = Math.abs(x);
        double t = 1.0 / (1.0 + 0.3275911 * a);
        double poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
        return sign * (1.0 - poly * Math.exp(-a * a));
    }

    /** The standard normal CDF, {@code 0.5 * (1 + erf(x / sqrt 2))}, with Thinc's erf. */
    static double gaussianCdf(double x) {
        return 0.5 * (1.0 + erf(x / Math.sqrt(2.0)));
    }

    /** The standard normal density. */
    static double gaussianPdf(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2.0 * Math.PI);
    }
}
