package dev.thinj.ops.cuda.model;

/**
 * The float32 rounding model from which the CPU&harr;CUDA tolerances are derived, so that a difference
 * beyond them on a GPU means a bug rather than a different summation order.
 *
 * <p><b>The model.</b> Both backends store float32 and round every operation to nearest, with unit
 * roundoff {@code u = 2^-24}; neither uses fast math (CUDA: {@code --fmad=false}, no TF32). They differ in
 * the order and grouping of sums: OpenBLAS and cuBLAS block and split their GEMMs differently (FMA or
 * not), and reductions are sequential on the CPU and trees on the GPU. For a sum of {@code K} products
 * evaluated in any order and grouping, each backend is within {@code gamma(K) * sum |a_k b_k|} of the
 * exact value, {@code gamma(K) = K u / (1 - K u)} (Higham, <i>Accuracy and Stability of Numerical
 * Algorithms</i>, 2nd ed., Lemma 3.1 and Sec. 3.1 for any summation order); so two backends differ by at
 * most twice that. This is the deterministic bound, not the typical {@code sqrt(K)} one, so it holds
 * for every input. An elementary function ({@code exp}, {@code log}, {@code sqrt}) or a division is
 * within a few ulps on each backend (CUDA's {@code expf}: 2 ulp; Java's via double: 1); one ulp is at
 * most {@code 2u} relative.
 *
 * <p><b>Propagation.</b> Differences are carried through each layer with the magnitudes the arrays
 * actually have, computed on the host in double from the values both backends start from: an input
 * difference {@code dx} reaches {@code x W^T} as {@code |dx| |W|^T}, ReLU passes it unchanged, softmax
 * turns logit differences {@code e} into {@code p_i (e_i + max e)}; backward, a ReLU whose input lies
 * within its own difference of 0 may pass the gradient on one backend and not the other, so that
 * element's whole gradient counts as uncertain. This is first-order analysis; the comparisons use
 * {@link #SAFETY} times the bound to cover second-order terms and the use of the CPU's values where
 * the exact ones are unknown.
 */
final class ErrorModel {
    /** float32 unit roundoff. */
    static final double U = 0x1p-24;

    /** The factor between a propagated first-order bound and the tolerance a comparison uses. */
    static final double SAFETY = 2.0;

    private ErrorModel() {
    }

    /**
     * @param k terms in a sum
     * @return {@code gamma(k) = k u / (1 - k u)}: one evaluation's relative error bound on {@code sum |terms|}
     */
    static double gamma(int k) {
        double ku = k * U;
        if (ku >= 0.5) {
            throw new IllegalArgumentException("gamma(" + k + "): the bound is void for sums this long in float32");
        }
        return ku / (1 - ku);
    }

    /**
     * @param k terms in a sum
     * @return how far two evaluations of the same {@code k}-term sum in different orders can be apart,
     *     relative to {@code sum |terms|}
     */
    static double twoOrders(int k) {
        return 2 * gamma(k);
    }
}
