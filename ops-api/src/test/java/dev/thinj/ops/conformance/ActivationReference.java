package dev.thinj.ops.conformance;

import dev.thinj.ops.CounterRandom;
import dev.thinj.ops.Shapes;

/**
 * Float64 references for activations, softmax, maxout, argmax and dropout masks ({@link dev.thinj.ops.ActivationKernels}), written from the kernels' Javadoc and Thinc 8.1.7. Plain loops, checkable
 * by eye; nothing modifies its arguments (an in-place kernel's reference returns the new values).
 */
public final class ActivationReference {
    /** Thinc clips sigmoid inputs to this magnitude. */
    static final double SIGMOID_CLIP = 20.0;

    private ActivationReference() {
    }


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
            return ArrayReference.fill(shape, 1);
        }
        if (rate >= 1) {
            return ArrayReference.fill(shape, 0);
        }
        double keep = 1.0 / (1.0 - rate);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = CounterRandom.uniform(seed, i) >= rate ? keep : 0;
        }
        return new HostArray(r, shape.clone());
    }

    // ---- the scalar functions above use ------------------------------------------------------

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
