package dev.thinj.train;

import dev.thinj.model.Model;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.train.data.FeatureRows;
import dev.thinj.train.eval.PredictionWriter;

/**
 * A model's predictions over many rows, computed a chunk at a time so that evaluating a large split
 * holds one chunk's activations, not the whole split's. Prediction mode: no dropout.
 */
public final class Predictions {
    /** Rows per {@code predict} call: large enough for GEMM to run at full speed. */
    static final int CHUNK = 4096;

    private Predictions() {
    }

    /**
     * @param model a classifier
     * @param x the rows, on the model's backend
     * @return the highest-scoring class of each row (ties: the lowest index)
     */
    public static int[] classes(Model<FloatArray, FloatArray> model, RowChunks x) {
        Ops ops = model.ops();
        int[] out = new int[x.rows()];
        int start = 0;
        for (FloatArray rows : x.chunks()) {
            try (ArrayScope chunk = ops.scope()) {
                int[] best = ops.argmax(model.predict(rows)).toIntArray();
                System.arraycopy(best, 0, out, start, best.length);
            }
            start += rows.dim(0);
        }
        return out;
    }

    /**
     * @param model any model with a 2-D output
     * @param x the rows, on the model's backend
     * @return the outputs, row-major ({@code rows x width})
     */
    public static float[] values(Model<FloatArray, FloatArray> model, RowChunks x) {
        Ops ops = model.ops();
        int n = x.rows();
        float[] out = null;
        int start = 0;
        for (FloatArray rows : x.chunks()) {
            int count = rows.dim(0);
            try (ArrayScope chunk = ops.scope()) {
                FloatArray y = model.predict(rows);
                int width = y.size() / Math.max(1, count);
                if (out == null) {
                    out = new float[Math.multiplyExact(n, width)];
                }
                float[] part = y.toFloatArray();
                System.arraycopy(part, 0, out, start * width, part.length);
            }
            start += count;
        }
        return out == null ? new float[0] : out;
    }

    /**
     * Predicts a file's rows in chunks and hands each chunk's outputs to the writer, so memory stays
     * bounded by one chunk whatever the file's size.
     *
     * @param model the model
     * @param rows the input rows (their width checked by the caller)
     * @param writer receives the outputs, a chunk at a time
     * @param limit the most rows to predict
     * @return the rows predicted
     */
    public static long stream(Model<FloatArray, FloatArray> model, FeatureRows rows, PredictionWriter writer,
            long limit) {
        Ops ops = model.ops();
        int width = rows.width();
        float[] buffer = new float[Math.multiplyExact(CHUNK, Math.max(1, width))];
        long done = 0;
        while (done < limit) {
            int n = rows.read(buffer, (int) Math.min(CHUNK, limit - done));
            if (n == 0) {
                break;
            }
            try (ArrayScope chunk = ops.scope()) {
                float[] rowsRead = n == CHUNK ? buffer : java.util.Arrays.copyOf(buffer, n * width);
                FloatArray y = model.predict(ops.asArray(rowsRead, n, width));
                writer.write(y.toFloatArray(), n, y.size() / n);
            }
            done += n;
        }
        return done;
    }
}
