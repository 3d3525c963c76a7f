package dev.thinj.train.data.numpy;

/**
 * A {@code .npy} array read whole, converted to float32 in C (row-major) order: {@link #rows()}
 * rows of {@link #width()} values, every axis after the first flattened.
 *
 * @param source the file (or {@code archive.npz[key]}), for messages
 * @param header its header (the dtype as stored, the shape)
 * @param values the elements, C order
 */
public record NpyArray(String source, NpyHeader header, float[] values) {
    /** @return the number of rows: the first axis */
    public int rows() {
        return (int) header.rows();
    }

    /** @return the values per row */
    public int width() {
        return (int) header.width();
    }

    /** @return the number of axes */
    public int rank() {
        return header.shape().length;
    }

    /** @return e.g. {@code train_X.npy (100, 28, 28) uint8} */
    public String describe() {
        return source + " " + header.shapeText() + " " + header.dtype().name();
    }
}
