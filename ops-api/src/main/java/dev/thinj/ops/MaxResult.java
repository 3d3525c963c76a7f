package dev.thinj.ops;

/**
 * Maxima with the position each came from: the output of {@link ActivationKernels#maxout} and
 * {@link ReductionKernels#reduceMax}.
 *
 * @param max the maxima
 * @param which for each maximum, the index it came from (the piece, or the row in its sequence)
 */
public record MaxResult(FloatArray max, IntArray which) implements AutoCloseable {
    @Override
    public void close() {
        max.close();
        which.close();
    }
}
