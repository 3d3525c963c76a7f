package dev.thinj.ops.cuda.model;

import static dev.thinj.ops.cuda.model.ErrorModel.U;
import static dev.thinj.ops.cuda.model.ErrorModel.twoOrders;

import java.util.ArrayList;
import java.util.List;

/**
 * How far two float32 backends' results for a ReLU&hellip;softmax MLP (see {@link DenseLayers}) can be
 * apart, per element, under the {@link ErrorModel}: a reference forward and backward pass in double
 * from the values both backends start from (the same parameters, the same batch), carrying the
 * magnitudes each sum has and the differences each step may add.
 *
 * <p>Forward, for an affine layer over {@code K} inputs: {@code dA = |dX| |W|^T + 2 gamma(K + 2)
 * (|X| |W|^T + |b|)} (the bias is one more term, the add at most one more rounding); ReLU passes
 * {@code dA} on; softmax over {@code n} classes gives {@code dP_i = p_i ((e_i + max e) + (11 + 2n) u)},
 * {@code e_j = dA_j + 2u |A_j - max A|} (exp within 2 ulp on CUDA and 1 in Java, the sum, the division
 * or reciprocal).
 *
 * <p>Backward from {@code CategoricalCrossentropy} ({@code d = (P - T) / B}, loss {@code sum d^2}): a
 * weight gradient over the batch's {@code B} rows differs by {@code sum_r (|dd| |X| + |d| |dX|) +
 * 2 gamma(B) sum_r |d| |X|}, a bias gradient by {@code sum_r |dd| + 2 gamma(B) sum_r |d|}, an input
 * gradient over {@code n} outputs by {@code |dd| |W| + 2 gamma(n) |d| |W|}; through a ReLU the mask
 * is certain where {@code |A| > 2 dA} (both backends see the same sign), else that element's gradient
 * counts whole.
 */
final class MlpBounds {
    private MlpBounds() {
    }

    /** One layer's reference values and bounds, rows x width, row-major. */
    record LayerPass(double[] in, double[] dIn, double[] a, double[] dA, int rows, int nI, int nO) {
    }

    /**
     * The forward pass.
     *
     * @param passes per layer, its input, pre-activation and their bounds
     * @param p the output probabilities, {@code rows x classes}
     * @param dP their bounds
     */
    record Forward(List<LayerPass> passes, double[] p, double[] dP, int rows, int classes) {
    }

    /**
     * @param layers the model's layers
     * @param x the batch, {@code rows x nI} row-major (the same floats on both backends)
     * @param rows rows in {@code x}
     * @return reference values and bounds of every layer
     */
    static Forward forward(List<DenseLayers.Layer> layers, float[] x, int rows) {
        int width = layers.get(0).nI();
        if (x.length != rows * width) {
            throw new IllegalArgumentException("x holds " + x.length + " values, not " + rows + " x " + width);
        }
        double[] in = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            in[i] = x[i];
        }
        double[] dIn = new double[x.length];
        List<LayerPass> passes = new ArrayList<>();
        double[] p = null;
        double[] dP = null;
        for (DenseLayers.Layer l : layers) {
            int nI = l.nI();
            int nO = l.nO();
            double[] a = new double[rows * nO];
            double[] dA = new double[rows * nO];
            double rel = twoOrders(nI + 2);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < nO; j++) {
                    double sum = l.b()[j];
                    double mag = Math.abs(l.b()[j]);
                    double carried = 0;
                    int wo = j * nI;
                    int xo = r * nI;
                    for (int k = 0; k < nI; k++) {
                        double w = l.w()[wo + k];
                        double v = in[xo + k];
                        sum += v * w;
                        mag += Math.abs(v * w);
                        carried += dIn[xo + k] * Math.abs(w);
                    }
                    a[r * nO + j] = sum;
                    dA[r * nO + j] = carried + rel * mag;
                }
            }
            passes.add(new LayerPass(in, dIn, a, dA, rows, nI, nO));
            if (l.softmax()) {
                p = new double[rows * nO];
                dP = new double[rows * nO];
                softmax(a, dA, rows, nO, p, dP);
            } else {
                double[] y = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    y[i] = Math.max(a[i], 0);
                }
                in = y;
                dIn = dA;  // ReLU is 1-Lipschitz
            }
        }
        return new Forward(passes, p, dP, rows, layers.get(layers.size() - 1).nO());
    }

    private static void softmax(double[] a, double[] dA, int rows, int n, double[] p, double[] dP) {
        double fixed = (11 + 2 * n) * U;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, a[o + j]);
            }
            double sum = 0;
            double worst = 0;
            double[] e = new double[n];
            for (int j = 0; j < n; j++) {
                sum += Math.exp(a[o + j] - max);
                e[j] = dA[o + j] + 2 * U * Math.abs(a[o + j] - max);
                worst = Math.max(worst, e[j]);
            }
            for (int j = 0; j < n; j++) {
                double pj = Math.exp(a[o + j] - max) / sum;
                p[o + j] = pj;
                // exp(x) - 1 <= 1.01 x for the x this bound is meant for (well under 1e-2).
                dP[o + j] = pj * 1.01 * (e[j] + worst + fixed);
            }
        }
    }

    /**
     * A training step's bounds: the loss and every parameter gradient.
     *
     * @param loss the loss's reference value
     * @param dLoss its bound
     * @param dW per layer, the weight gradient's bounds ({@code nO x nI})
     * @param db per layer, the bias gradient's bounds
     * @param gradW per layer, the weight gradient's reference values
     * @param gradB per layer, the bias gradient's reference values
     * @param magW per layer, {@code sum_r |d| |X|}: the magnitude each weight gradient sums
     * @param magB per layer, {@code sum_r |d|}
     */
    record Step(double loss, double dLoss, List<double[]> dW, List<double[]> db, List<double[]> gradW,
            List<double[]> gradB, List<double[]> magW, List<double[]> magB) {
    }

    /**
     * @param layers the model's layers
     * @param fwd their forward pass on the batch
     * @param labels the batch's classes
     * @return the bounds of one {@code beginUpdate}, {@code CategoricalCrossentropy} (normalised, one-hot)
     *     and backprop
     */
    static Step backward(List<DenseLayers.Layer> layers, Forward fwd, int[] labels) {
        int rows = fwd.rows();
        int n = fwd.classes();
        if (labels.length != rows) {
            throw new IllegalArgumentException(labels.length + " labels for " + rows + " rows");
        }
        double[] d = new double[rows * n];
        double[] dd = new double[rows * n];
        double loss = 0;
        double dLoss = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                int i = r * n + j;
                double g = (fwd.p()[i] - (labels[r] == j ? 1 : 0)) / rows;
                d[i] = g;
                dd[i] = fwd.dP()[i] / rows + 4 * U * Math.abs(g);
                loss += g * g;
                dLoss += 2 * Math.abs(g) * dd[i] + dd[i] * dd[i];
            }
        }
        dLoss += (twoOrders(rows * n) + 4 * U) * loss;  // the squares and their sum

        int count = layers.size();
        List<double[]> dW = new ArrayList<>();
        List<double[]> db = new ArrayList<>();
        List<double[]> gW = new ArrayList<>();
        List<double[]> gB = new ArrayList<>();
        List<double[]> mW = new ArrayList<>();
        List<double[]> mB = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            dW.add(null);
            db.add(null);
            gW.add(null);
            gB.add(null);
            mW.add(null);
            mB.add(null);
        }
        double[] grad = d;
        double[] dGrad = dd;
        for (int li = count - 1; li >= 0; li--) {
            DenseLayers.Layer l = layers.get(li);
            LayerPass pass = fwd.passes().get(li);
            int nI = l.nI();
            int nO = l.nO();
            double relB = twoOrders(rows);
            double[] w = new double[nO * nI];
            double[] wBound = new double[nO * nI];
            double[] b = new double[nO];
            double[] bBound = new double[nO];
            double[] wMag = new double[nO * nI];
            double[] bMag = new double[nO];
            for (int j = 0; j < nO; j++) {
                double sum = 0;
                double mag = 0;
                double carried = 0;
                for (int r = 0; r < rows; r++) {
                    double g = grad[r * nO + j];
                    sum += g;
                    mag += Math.abs(g);
                    carried += dGrad[r * nO + j];
                }
                b[j] = sum;
                bMag[j] = mag;
                bBound[j] = carried + relB * mag;
                for (int k = 0; k < nI; k++) {
                    double s = 0;
                    double m = 0;
                    double c = 0;
                    for (int r = 0; r < rows; r++) {
                        double g = grad[r * nO + j];
                        double dg = dGrad[r * nO + j];
                        double x = pass.in()[r * nI + k];
                        double dx = pass.dIn()[r * nI + k];
                        s += g * x;
                        m += Math.abs(g * x);
                        c += dg * Math.abs(x) + Math.abs(g) * dx + dg * dx;
                    }
                    w[j * nI + k] = s;
                    wMag[j * nI + k] = m;
                    wBound[j * nI + k] = c + relB * m;
                }
            }
            gW.set(li, w);
            gB.set(li, b);
            dW.set(li, wBound);
            db.set(li, bBound);
            mW.set(li, wMag);
            mB.set(li, bMag);
            if (li == 0) {
                break;
            }
            // The input gradient, then the previous layer's ReLU.
            LayerPass prev = fwd.passes().get(li - 1);
            double relO = twoOrders(nO);
            double[] next = new double[rows * nI];
            double[] dNext = new double[rows * nI];
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < nI; k++) {
                    double s = 0;
                    double m = 0;
                    double c = 0;
                    for (int j = 0; j < nO; j++) {
                        double g = grad[r * nO + j];
                        double wv = Math.abs(l.w()[j * nI + k]);
                        s += g * l.w()[j * nI + k];
                        m += Math.abs(g) * wv;
                        c += dGrad[r * nO + j] * wv;
                    }
                    double dx = c + relO * m;
                    int i = r * nI + k;
                    double a = prev.a()[i];
                    double da = prev.dA()[i];
                    boolean uncertain = da > 0 && Math.abs(a) <= 2 * da;
                    if (uncertain) {
                        next[i] = a > 0 ? s : 0;
                        dNext[i] = Math.abs(s) + dx;  // one backend may pass it, the other not
                    } else if (a > 0) {
                        next[i] = s;
                        dNext[i] = dx;
                    } else {
                        next[i] = 0;
                        dNext[i] = 0;  // zero on both: the mask is certain
                    }
                }
            }
            grad = next;
            dGrad = dNext;
        }
        return new Step(loss, dLoss, dW, db, gW, gB, mW, mB);
    }
}
