package dev.thinj.train.data;

/** The argument checks every {@link FeatureRows#read} makes. */
public final class Rows {
    private Rows() {
    }

    /**
     * @param buffer the caller's buffer
     * @param maxRows the rows asked for
     * @param width the features per row
     * @throws IllegalArgumentException if {@code maxRows} is below 1 or the buffer holds fewer than
     *     {@code maxRows * width} values
     */
    public static void checkBuffer(float[] buffer, int maxRows, int width) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
        }
        if (buffer.length < (long) maxRows * width) {
            throw new IllegalArgumentException("a buffer of " + buffer.length + " floats cannot hold " + maxRows
                    + " rows of " + width);
        }
    }
}
