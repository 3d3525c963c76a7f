package dev.thinj.ops;

/**
 * The optimizers' arithmetic, each one kernel so a GPU backend runs an update without a host
 * round trip. Learning rates arrive already scheduled and bias-corrected by the caller, as in Thinc.
 */
public interface OptimizerKernels {
    /**
     * Thinc's fused Adam step:
     * {@code m1 = b1*m1 + (1-b1)*g; m2 = b2*m2 + (1-b2)*g^2; w -= lr * m1 / (modRate*sqrt(m2) + eps); g = 0}.
     *
     * @param weights modified
     * @param gradient modified: zeroed
     * @param mom1 first moment (modified)
     * @param mom2 second moment (modified)
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps added to the denominator
     * @param learnRate the step, bias correction already applied
     * @param modRate scales {@code sqrt(m2)}; 1 in plain Adam
     */
    void adam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1, float beta2,
            float eps, float learnRate, float modRate);

    /**
     * One parameter's whole Adam update as Thinc's optimizer makes it, in one pass over memory:
     * {@link #adam}; then, when {@code weightDecay != 0}, {@code w += weightDecay * w} (Thinc's L2 as
     * weight decay: {@code weightDecay = -learn_rate * L2}, what {@code axpy(weightDecay, w, w)} does);
     * then, when {@code averages} is given, {@code ema -= averagesRate * (ema - w)}
     * ({@link #updateAverages} with {@code averagesRate = } {@link #averagesRate}). Gives the same
     * floats as those kernels called one after another; it reads the weights once instead of three
     * times and runs one kernel instead of three.
     *
     * @param weights modified
     * @param gradient modified: zeroed
     * @param mom1 first moment (modified)
     * @param mom2 second moment (modified)
     * @param averages the running average of the weights (modified), or null for none
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps added to the denominator
     * @param learnRate the step, bias correction already applied
     * @param modRate scales {@code sqrt(m2)}; 1 in plain Adam
     * @param weightDecay the factor of the decay step; 0 for none
     * @param averagesRate {@code 1 - decay} of the averages, from {@link #averagesRate}; ignored
     *     without averages
     */
    void adamUpdate(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, FloatArray averages,
            float beta1, float beta2, float eps, float learnRate, float modRate, float weightDecay, float averagesRate);

    /**
     * The step {@link #updateAverages} takes toward the weights, {@code 1 - min((1 + t) / (10 + t),
     * maxDecay)}, in double and then rounded once, so every backend and {@link #adamUpdate} agree.
     *
     * @param t the optimizer's step count for the parameter
     * @param maxDecay the cap on the decay, 0.9999 in Thinc
     * @return {@code 1 - decay} as a float
     */
    static float averagesRate(int t, double maxDecay) {
        return (float) (1.0 - Math.min((1.0 + t) / (10.0 + t), maxDecay));
    }

    /**
     * Thinc's RAdam step (its port of the PyTorch implementation):
     * {@code m2 = b2*m2 + (1-b2)*g^2; m1 = b1*m1 + (1-b1)*g}; then, when the variance is
     * {@code rectified}, {@code w -= stepSize * m1 / (sqrt(m2) + eps)}, else {@code w -= stepSize * m1};
     * finally {@code g = 0}. The caller computes {@code stepSize} (rectification term times the
     * learning rate) and whether the variance is tractable.
     *
     * @param weights modified
     * @param gradient modified: zeroed
     * @param mom1 first moment (modified)
     * @param mom2 second moment (modified)
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps added to the denominator
     * @param stepSize the step, learning rate included
     * @param rectified use the adaptive denominator (Thinc: {@code N_sma >= 5})
     */
    void radam(FloatArray weights, FloatArray gradient, FloatArray mom1, FloatArray mom2, float beta1, float beta2,
            float eps, float stepSize, boolean rectified);

    /**
     * Plain SGD: {@code w -= learnRate * g; g = 0}.
     *
     * @param weights modified
     * @param gradient modified: zeroed
     * @param learnRate the step
     */
    void sgd(FloatArray weights, FloatArray gradient, float learnRate);

    /**
     * Thinc's parameter averaging: {@code decay = min((1 + t) / (10 + t), maxDecay)},
     * {@code ema -= (1 - decay) * (ema - weights)}.
     *
     * @param ema the running average (modified)
     * @param weights the current weights (not modified)
     * @param t the optimizer's step count for this parameter
     * @param maxDecay the cap on the decay, 0.9999 in Thinc (a double: as a float it would be 0.99989998)
     */
    void updateAverages(FloatArray ema, FloatArray weights, int t, double maxDecay);

    /**
     * Rescales {@code gradient} to L2 norm {@code threshold} when its norm is {@code >= threshold}, as
     * Thinc's {@code clip_gradient}.
     *
     * @param gradient modified
     * @param threshold the largest norm kept as it is
     * @throws NumericException if the norm is NaN (an asynchronous backend may report it at its next
     *     synchronisation)
     */
    void clipGradient(FloatArray gradient, float threshold);
}
