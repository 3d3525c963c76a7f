package dev.thinj.ops.conformance;

import java.util.Arrays;

/**
 * Float64 references for per-sequence reductions ({@link dev.thinj.ops.ReductionKernels}), written from the kernels' Javadoc and Thinc 8.1.7. Plain loops, checkable
 * by eye; nothing modifies its arguments (an in-place kernel's reference returns the new values).
 */
public final class ReductionReference {
    private ReductionReference() {
    }


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
    public static ActivationReference.Max reduceMax(HostArray x, int[] lengths) {
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
        return new ActivationReference.Max(new HostArray(max, new int[] {lengths.length, n}), which);
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
}
