package dev.thinj.ops;

/**
 * Thinc's sequence reductions: a (total, n) array holds sequences laid end to end, and
 * {@code lengths} says how many rows each has; each sequence reduces to one row.
 */
public interface ReductionKernels {
    /**
     * @param x (sum of lengths, n) (not modified)
     * @param lengths 1-d, each {@code >= 0} (not modified)
     * @return a new (lengths, n) array of per-sequence sums (zero for an empty sequence)
     */
    FloatArray reduceSum(FloatArray x, IntArray lengths);

    /**
     * @param dY (lengths, n) (not modified)
     * @param lengths 1-d (not modified)
     * @return a new (sum of lengths, n) array, each row a copy of its sequence's gradient
     */
    FloatArray backpropReduceSum(FloatArray dY, IntArray lengths);

    /**
     * @param x (sum of lengths, n) (not modified)
     * @param lengths 1-d, each {@code >= 0} (not modified)
     * @return a new (lengths, n) array of per-sequence means (zero for an empty sequence)
     */
    FloatArray reduceMean(FloatArray x, IntArray lengths);

    /**
     * @param dY (lengths, n) (not modified)
     * @param lengths 1-d (not modified)
     * @return a new (sum of lengths, n) array, each row its sequence's gradient divided by its length
     */
    FloatArray backpropReduceMean(FloatArray dY, IntArray lengths);

    /**
     * @param x (sum of lengths, n) (not modified)
     * @param lengths 1-d, each {@code > 0} (not modified)
     * @return per-sequence maxima and, for each, the row within the sequence that held it
     */
    MaxResult reduceMax(FloatArray x, IntArray lengths);

    /**
     * @param dY (lengths, n) (not modified)
     * @param which the row index within each sequence from {@link #reduceMax} (not modified)
     * @param lengths 1-d (not modified)
     * @return a new (sum of lengths, n) gradient, zero except at the maxima
     */
    FloatArray backpropReduceMax(FloatArray dY, IntArray which, IntArray lengths);
}
