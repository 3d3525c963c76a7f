package dev.thinj.ops;

/**
 * Activation functions and their backward passes, with Thinc's definitions
 * ({@code thinc/backends/ops.py}). With {@code inplace} the first argument is overwritten and
 * returned; otherwise it is not modified and a new array is returned.
 */
public interface ActivationKernels {
    /**
     * {@code Y = X * (X > 0)}.
     *
     * @param x inputs (modified only if {@code inplace})
     * @param inplace overwrite {@code x}
     * @return the outputs
     */
    FloatArray relu(FloatArray x, boolean inplace);

    /**
     * {@code dX = dY * (Y > 0)}.
     *
     * @param dY gradient of the outputs (modified only if {@code inplace})
     * @param y the forward outputs (not modified)
     * @param inplace overwrite {@code dY}
     * @return the gradient of the inputs
     */
    FloatArray backpropRelu(FloatArray dY, FloatArray y, boolean inplace);

    /**
     * {@code Y = 1 / (1 + exp(-clip(X, -20, 20)))} (Thinc clips for stability).
     *
     * @param x inputs (modified only if {@code inplace})
     * @param inplace overwrite {@code x}
     * @return the outputs
     */
    FloatArray sigmoid(FloatArray x, boolean inplace);

    /**
     * {@code dX = dY * Y * (1 - Y)}.
     *
     * @param dY gradient of the outputs (modified only if {@code inplace})
     * @param y the forward outputs (not modified)
     * @param inplace overwrite {@code dY}
     * @return the gradient of the inputs
     */
    FloatArray backpropSigmoid(FloatArray dY, FloatArray y, boolean inplace);

    /**
     * @param x inputs (modified only if {@code inplace})
     * @param inplace overwrite {@code x}
     * @return {@code tanh(X)}
     */
    FloatArray tanh(FloatArray x, boolean inplace);

    /**
     * {@code dX = dY * (1 - Y^2)} (Thinc's {@code dtanh} times dY).
     *
     * @param dY gradient of the outputs (modified only if {@code inplace})
     * @param y the forward outputs (not modified)
     * @param inplace overwrite {@code dY}
     * @return the gradient of the inputs
     */
    FloatArray backpropTanh(FloatArray dY, FloatArray y, boolean inplace);

    /**
     * Thinc's exact GELU {@code X * Phi(X)}, with Phi computed from Thinc's erf approximation
     * (Abramowitz and Stegun 7.1.26) so that values match Thinc's to float precision.
     *
     * @param x inputs (modified only if {@code inplace})
     * @param inplace overwrite {@code x}
     * @return the outputs
     */
    FloatArray gelu(FloatArray x, boolean inplace);

    /**
     * {@code dX = dY * (Phi(X) + X * pdf(X))}.
     *
     * @param dY gradient of the outputs (modified only if {@code inplace})
     * @param x the forward inputs (not modified)
     * @param inplace overwrite {@code dY}
     * @return the gradient of the inputs
     */
    FloatArray backpropGelu(FloatArray dY, FloatArray x, boolean inplace);

    /**
     * {@code Y = X * sigmoid(X)}.
     *
     * @param x inputs (modified only if {@code inplace})
     * @param inplace overwrite {@code x}
     * @return the outputs
     */
    FloatArray swish(FloatArray x, boolean inplace);

    /**
     * {@code dX = dY * (Y + sigmoid(X) * (1 - Y))}.
     *
     * @param dY gradient of the outputs (modified only if {@code inplace})
     * @param x the forward inputs (not modified)
     * @param y the forward outputs (not modified)
     * @param inplace overwrite {@code dY}
     * @return the gradient of the inputs
     */
    FloatArray backpropSwish(FloatArray dY, FloatArray x, FloatArray y, boolean inplace);

    /**
     * Softmax over the last axis of {@code X / temperature}, shifted by the row maximum.
     *
     * @param x inputs of rank 1 or more (modified only if {@code inplace})
     * @param temperature divides the inputs first; 1 leaves them as they are
     * @param inplace overwrite {@code x}
     * @return the outputs, each row summing to 1
     */
    FloatArray softmax(FloatArray x, float temperature, boolean inplace);

    /**
     * @param x inputs (not modified)
     * @return a new array, softmax over the last axis at temperature 1
     */
    default FloatArray softmax(FloatArray x) {
        return softmax(x, 1f, false);
    }

    /**
     * {@code dX = (Y * dY' - Y * sum(Y * dY', last axis))} with {@code dY' = dY / temperature}.
     *
     * @param y the forward outputs (not modified)
     * @param dY gradient of the outputs (not modified)
     * @param temperature the forward temperature
     * @return a new array, the gradient of the inputs
     */
    FloatArray backpropSoftmax(FloatArray y, FloatArray dY, float temperature);

    /**
     * Maxout over the last axis of a (batch, nO, nP) array.
     *
     * @param x 3-d inputs (not modified)
     * @return the (batch, nO) maxima and the (batch, nO) index of each among the nP pieces
     */
    MaxResult maxout(FloatArray x);

    /**
     * Routes each output gradient back to the piece that won.
     *
     * @param dY (batch, nO) gradient (not modified)
     * @param which (batch, nO) winning piece indices (not modified)
     * @param pieces nP
     * @return a new (batch, nO, nP) gradient, zero except at the winners
     */
    FloatArray backpropMaxout(FloatArray dY, IntArray which, int pieces);

    /**
     * Index of the largest value along the last axis (the first one on ties, as NumPy).
     *
     * @param x rank 1 or 2 (not modified)
     * @return for a 2-d array, one index per row; for a 1-d array, a one-element array
     */
    IntArray argmax(FloatArray x);

    /**
     * A dropout mask as Thinc makes it: each element is {@code 1 / (1 - rate)} where a uniform draw
     * is {@code >= rate}, else 0; all ones when {@code rate <= 0}, all zeros when {@code rate >= 1}.
     * The draws come from a counter-based generator (SplitMix64 of {@code seed} and the element
     * index), so every backend makes the same mask for the same seed and shape.
     *
     * @param rate the fraction to drop, in [0, 1]
     * @param seed the generator's key; callers draw a fresh one per call
     * @param shape the mask's shape
     * @return a new mask
     */
    FloatArray dropoutMask(float rate, long seed, int... shape);
}
