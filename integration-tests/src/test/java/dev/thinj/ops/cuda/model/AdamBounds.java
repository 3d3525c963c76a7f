package dev.thinj.ops.cuda.model;

import static dev.thinj.ops.cuda.model.ErrorModel.U;

/**
 * How far two float32 backends' Adam updates of one parameter can be apart when they start from the
 * same weights and moments and their gradients differ by at most a known bound per element, under the
 * {@link ErrorModel}. Thinc's order ({@code ThincOptimizer}, the {@code adam} kernels): clip the
 * gradient by its L2 norm; {@code m = b1 m + (1 - b1) g}; {@code v = b2 v + (1 - b2) g^2};
 * {@code w -= lr_t m / (sqrt(v) + eps)} with {@code lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)}.
 *
 * <p>Adam divides by {@code sqrt(v)}: where a gradient element is as small as its own uncertainty, its
 * step is uncertain up to {@code lr_t} times a bounded factor, and the bound says so rather than hide
 * it in a loose global tolerance. Per element, with {@code dg} the gradient bound:
 * <ul>
 *   <li>clip: the norms differ by {@code |dg|_2 + (gamma(n) + 2u) N}; the scale {@code min(1, c / N)}
 *       moves by at most {@code c / max(N_lo, c)^2} per unit of norm, plus {@code 4u};</li>
 *   <li>{@code dm = (1 - b1) dg' + 6u (b1 |m| + (1 - b1) |g'|)},
 *       {@code dv = (1 - b2)(2 |g'| dg' + dg'^2) + 8u (b2 v + (1 - b2) g'^2)};</li>
 *   <li>the step: {@code lr_t (dm / q_lo + |m| dq / (q q_lo)) + 8u lr_t |m| / q}, with
 *       {@code q = sqrt(v) + eps}, {@code q_lo = sqrt(max(0, v - dv)) + eps},
 *       {@code dq = sqrt(v) - sqrt(max(0, v - dv)) + 2u sqrt(v)}; and the subtraction {@code 2u |w'|}.</li>
 * </ul>
 */
final class AdamBounds {
    private AdamBounds() {
    }

    /** Adam's hyperparameters, as the tests build the optimizer. */
    record Hypers(double learnRate, double beta1, double beta2, double eps, double gradClip) {
    }

    /**
     * @param h the hyperparameters
     * @param t this update's count for the parameter (1 for the first)
     * @param w the weights before the update
     * @param g one backend's gradient (the CPU's)
     * @param dg the gradients' difference bound
     * @param m the first moments before the update (zeros for the first)
     * @param v the second moments before the update
     * @return per element, how far the two backends' updated weights can be apart
     */
    static double[] update(Hypers h, int t, float[] w, float[] g, double[] dg, float[] m, float[] v) {
        int n = g.length;
        double lrT = (float) (h.learnRate() * Math.sqrt(1 - Math.pow(h.beta2(), t)) / (1 - Math.pow(h.beta1(), t)));
        double norm = 0;
        double dNorm2 = 0;
        for (int i = 0; i < n; i++) {
            norm += (double) g[i] * g[i];
            dNorm2 += dg[i] * dg[i];
        }
        norm = Math.sqrt(norm);
        double c = h.gradClip();
        double scale = 1;
        double dScale = 0;
        if (c > 0) {
            double dN = Math.sqrt(dNorm2) + (ErrorModel.gamma(Math.max(n, 1)) + 2 * U) * norm;
            if (norm + dN > c) {
                double lo = Math.max(norm - dN, c);
                dScale = c / (lo * lo) * dN + 4 * U;
            }
            if (norm >= c && norm > 0) {
                scale = c / norm;
            }
        }
        double[] out = new double[n];
        double b1 = h.beta1();
        double b2 = h.beta2();
        for (int i = 0; i < n; i++) {
            double gi = scale * g[i];
            double dgi = dg[i] + Math.abs(g[i]) * dScale + 2 * U * Math.abs(gi);
            double mi = b1 * m[i] + (1 - b1) * gi;
            double vi = b2 * v[i] + (1 - b2) * gi * gi;
            double dm = (1 - b1) * dgi + 6 * U * (b1 * Math.abs(m[i]) + (1 - b1) * Math.abs(gi));
            double dv = (1 - b2) * (2 * Math.abs(gi) * dgi + dgi * dgi) + 8 * U * (b2 * v[i] + (1 - b2) * gi * gi);
            double root = Math.sqrt(vi);
            double rootLo = Math.sqrt(Math.max(0, vi - dv));
            double q = root + h.eps();
            double qLo = rootLo + h.eps();
            double dq = root - rootLo + 2 * U * root;
            double step = lrT * mi / q;
            double dStep = lrT * (dm / qLo + Math.abs(mi) * dq / (q * qLo)) + 8 * U * Math.abs(step);
            double updated = w[i] - step;
            out[i] = dStep + 2 * U * Math.abs(updated);
        }
        return out;
    }
}
