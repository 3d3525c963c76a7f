package dev.thinj.ops.cuda.model;

import static dev.thinj.ops.cuda.model.ErrorModel.U;

import java.util.List;

/**
 * Output tolerances for a wide MLP's predictions under the probabilistic rounding model, where the
 * worst-case bounds of {@link MlpBounds} compound over three layers of hundreds of terms into
 * tolerances too wide to catch a bug (they assume every error in every sum has the worst sign).
 *
 * <p><b>The model</b> (Higham and Mary, <i>A New Approach to Probabilistic Rounding Error Analysis</i>,
 * SIAM J. Sci. Comput. 41(5), 2019): the relative errors of the elementary operations are independent
 * and mean zero. To first order, every output error is then a fixed linear combination of them, and
 * by Hoeffding's inequality it exceeds {@code lambda} times the root sum of squares of the terms' bounds
 * with probability at most {@code 2 exp(-lambda^2 / 2)}: below {@code 3e-14} for {@link #LAMBDA} 8,
 * per probability checked. A {@code K}-term affine output's own rounding errors are bounded, in that
 * root-sum-square sense, by {@code sqrt(K + 2) u (sum |x w| + |b|)} on each backend (its partial sums
 * are at most that magnitude); they reach the logits through the layers' weights and ReLU masks
 * ({@code W_L D_{L-1} W_{L-1} ...}, a ReLU that may flip counted as passing); the two backends' errors
 * are independent, which adds {@code sqrt 2}. Softmax then turns logit tolerances {@code e} into
 * {@code p_i (e_i + max e)} plus its own rounding, as in {@link MlpBounds}.
 */
final class ProbabilisticBounds {
    /** Tolerances are this many root-sum-square scales (Hoeffding: exceeded with probability < 3e-14). */
    static final double LAMBDA = 8.0;

    private ProbabilisticBounds() {
    }

    /**
     * @param layers the model's layers
     * @param x the images, {@code rows x nI} row-major
     * @param rows images
     * @return the exact probabilities and, per probability, how far two backends' values may be apart
     *     ({@link MlpBounds.Forward#passes()} is empty)
     */
    static MlpBounds.Forward forward(List<DenseLayers.Layer> layers, float[] x, int rows) {
        // The worst-case pass gives the exact values and, for the ReLU masks, which units may flip.
        MlpBounds.Forward worst = MlpBounds.forward(layers, x, rows);
        int count = layers.size();
        int n = worst.classes();
        double[] dP = new double[rows * n];
        double fixed = (11 + 2 * n) * U;
        for (int r = 0; r < rows; r++) {
            // Each layer's per-output rounding scale on one backend.
            double[][] scale = new double[count][];
            boolean[][] passes = new boolean[count][];
            for (int l = 0; l < count; l++) {
                DenseLayers.Layer layer = layers.get(l);
                MlpBounds.LayerPass pass = worst.passes().get(l);
                int nI = layer.nI();
                int nO = layer.nO();
                scale[l] = new double[nO];
                passes[l] = new boolean[nO];
                double factor = Math.sqrt(nI + 2.0) * U;
                for (int j = 0; j < nO; j++) {
                    double mag = Math.abs(layer.b()[j]);
                    for (int k = 0; k < nI; k++) {
                        mag += Math.abs(pass.in()[r * nI + k] * layer.w()[j * nI + k]);
                    }
                    scale[l][j] = factor * mag;
                    double a = pass.a()[r * nO + j];
                    double da = pass.dA()[r * nO + j];
                    passes[l][j] = a > 0 || Math.abs(a) <= 2 * da;  // a ReLU that may flip counts as passing
                }
            }
            // Coefficients from each layer's outputs to the logits, last layer first; the sum of squares.
            double[] var = new double[n];
            double[][] coef = new double[n][n];
            for (int m = 0; m < n; m++) {
                coef[m][m] = 1;
                var[m] = scale[count - 1][m] * scale[count - 1][m];
            }
            for (int l = count - 1; l >= 1; l--) {
                DenseLayers.Layer layer = layers.get(l);
                int nI = layer.nI();
                int nO = layer.nO();
                double[][] next = new double[n][nI];
                for (int m = 0; m < n; m++) {
                    double[] c = coef[m];
                    double[] out = next[m];
                    for (int j = 0; j < nO; j++) {
                        double cj = c[j];
                        if (cj == 0) {
                            continue;
                        }
                        int wo = j * nI;
                        for (int k = 0; k < nI; k++) {
                            out[k] += cj * layer.w()[wo + k];
                        }
                    }
                    for (int k = 0; k < nI; k++) {
                        if (!passes[l - 1][k]) {
                            out[k] = 0;
                        } else {
                            double t = out[k] * scale[l - 1][k];
                            var[m] += t * t;
                        }
                    }
                }
                coef = next;
            }
            double[] e = new double[n];
            double worstE = 0;
            int o = r * n;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, worst.passes().get(count - 1).a()[o + j]);
            }
            for (int m = 0; m < n; m++) {
                // Two backends, independent: sqrt 2; the shift by the row's maximum rounds once on each.
                e[m] = LAMBDA * Math.sqrt(2 * var[m]) + 2 * U * Math.abs(worst.passes().get(count - 1).a()[o + m] - max);
                worstE = Math.max(worstE, e[m]);
            }
            for (int m = 0; m < n; m++) {
                dP[o + m] = worst.p()[o + m] * 1.01 * (e[m] + worstE + fixed);
            }
        }
        return new MlpBounds.Forward(List.of(), worst.p(), dP, rows, n);
    }
}
