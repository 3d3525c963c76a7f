package dev.thinj.train;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A split's rows on a backend, cut once into {@link Predictions#CHUNK}-row arrays: an evaluation
 * every epoch then predicts straight from them instead of copying each chunk out of one large array
 * again (the full Fashion-MNIST test set: ~5 ms of copies per epoch). Holds the same memory as one
 * array of all the rows. Closing it closes the chunks.
 */
public final class RowChunks implements AutoCloseable {
    private final List<FloatArray> chunks;
    private final int rows;

    private RowChunks(List<FloatArray> chunks, int rows) {
        this.chunks = chunks;
        this.rows = rows;
    }

    /**
     * Copies host rows onto a backend, a chunk at a time.
     *
     * @param ops the backend the model runs on
     * @param values the rows, row-major ({@code rows x width} values)
     * @param rows how many rows
     * @param width values per row (at least 1)
     * @return the rows, in chunks of {@link Predictions#CHUNK} (the last one shorter)
     * @throws ShapeException if {@code values} does not hold {@code rows x width} values
     */
    public static RowChunks of(Ops ops, float[] values, int rows, int width) {
        if (rows < 0 || width < 1 || (long) rows * width != values.length) {
            throw new ShapeException("RowChunks: " + values.length + " values are not " + rows + " rows of " + width);
        }
        List<FloatArray> chunks = new ArrayList<>();
        try {
            for (int start = 0; start < rows; start += Predictions.CHUNK) {
                int n = Math.min(Predictions.CHUNK, rows - start);
                float[] part = new float[n * width];
                System.arraycopy(values, start * width, part, 0, part.length);
                chunks.add(ops.asArray(part, n, width));
            }
        } catch (RuntimeException | Error e) {
            chunks.forEach(FloatArray::close);
            throw e;
        }
        return new RowChunks(List.copyOf(chunks), rows);
    }

    /** @return the chunks, in row order; each {@code n x width} */
    public List<FloatArray> chunks() {
        return chunks;
    }

    /** @return the rows in all chunks together */
    public int rows() {
        return rows;
    }

    @Override
    public void close() {
        chunks.forEach(FloatArray::close);  // twice is harmless: a scope may have closed them already
    }
}
