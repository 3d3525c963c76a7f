package dev.thinj.ops.conformance;


/**
 * Float64 references for optimizer updates ({@link dev.thinj.ops.OptimizerKernels}), written from the kernels' Javadoc and Thinc 8.1.7. Plain loops, checkable
 * by eye; nothing modifies its arguments (an in-place kernel's reference returns the new values).
 */
public final class OptimizerReference {
    private OptimizerReference() {
    }


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
        return ElementwiseReference.axpy(-lr, g, w);
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
        double norm = Math.sqrt(ElementwiseReference.sumOfSquares(g));
        return norm >= threshold ? ElementwiseReference.scale(g, threshold / norm) : g.copy();
    }
}
