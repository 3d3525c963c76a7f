package dev.thinj.train.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Streams a model's predictions out as CSV, one row per input row, batch after batch, in bounded
 * memory (nothing but a 64 KiB buffer is kept).
 *
 * <p>Classification: a column {@code label} with the predicted class's name (the output with the
 * highest value; a tie goes to the lowest index), and with probabilities one column {@code p_<name>}
 * per class holding the model's output for it. Regression: a column {@code prediction} (one output) or
 * {@code prediction_0 .. prediction_<k-1>}. Fields are quoted as RFC 4180 does when they hold a comma,
 * a quote or a line break; numbers are written by {@link Float#toString} (locale-independent, and read
 * back to the same float); lines end in {@code \n}.
 *
 * <p>To a file: rows go to a temporary file in the same folder, which {@link #close} forces to disk and
 * moves over the target atomically, so an existing file is replaced only by a complete one. Use it so:
 * <pre>{@code
 * try (PredictionWriter out = PredictionWriter.classification(path, names, false)) {
 *     try {
 *         for (...) out.write(outputs, rows, width);
 *     } catch (RuntimeException e) {
 *         out.abort();   // deletes the temporary file; the close that follows does nothing
 *         throw e;
 *     }
 * }
 * }</pre>
 * A failed {@link #write} (bad arguments, an I/O error) also marks the writer failed, so the close that
 * follows discards the file rather than publish part of it.
 *
 * <p>To a {@link Writer} (standard output): rows go through a buffer to it; {@link #close} flushes it
 * and leaves it open, and {@link #abort} stops without flushing (rows already passed on stay out).
 * Not thread-safe.
 */
public final class PredictionWriter implements AutoCloseable {
    private static final int BUFFER_CHARS = 1 << 16;

    private enum State { OPEN, FAILED, CLOSED }

    private final Writer out;
    private final Writer target;
    private final String name;
    private final Path path;
    private final Path temp;
    private final FileChannel channel;
    private final String[] labels;
    private final boolean probabilities;
    private final int width;
    private long rowsWritten;
    private State state = State.OPEN;

    private PredictionWriter(Path path, Writer target, String[] labels, boolean probabilities, int width,
            List<String> header) {
        this.labels = labels;
        this.probabilities = probabilities;
        this.width = width;
        this.path = path;
        if (path == null) {
            // Standard output, or the caller's writer: flushed at close, never closed.
            this.target = target != null ? target : new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            this.name = target != null ? "the output" : "standard output";
            this.temp = null;
            this.channel = null;
            this.out = new BufferedWriter(this.target, BUFFER_CHARS);
        } else {
            OutputFiles.checkTarget(path, "predictions");
            this.target = null;
            this.name = path.toString();
            try {
                this.temp = OutputFiles.createTemp(path);
            } catch (IOException e) {
                throw OutputFiles.failure(path, "predictions", e);
            }
            try {
                this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
            } catch (IOException e) {
                OutputFiles.deleteQuietly(temp);
                throw OutputFiles.failure(path, "predictions", e);
            }
            this.out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel),
                    StandardCharsets.UTF_8), BUFFER_CHARS);
        }
        try {
            for (int i = 0; i < header.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(Csv.quote(header.get(i)));
            }
            out.write('\n');
        } catch (IOException e) {
            abort();
            throw failure(e);
        }
    }

    /**
     * @param out the CSV file to write, or null for standard output (UTF-8)
     * @param classNames the class names, by output index: at least one, distinct
     * @param probabilities whether to add one column per class with the model's output for it
     * @return the writer, its header written
     * @throws IllegalArgumentException if the names are empty, null or repeat
     * @throws OutputFileException naming {@code out} if its temporary file cannot be created
     */
    public static PredictionWriter classification(Path out, List<String> classNames, boolean probabilities) {
        return classification(out, null, classNames, probabilities);
    }

    /**
     * @param out where to write the CSV (flushed at {@link #close}, not closed), e.g. standard output
     * @param classNames the class names, by output index: at least one, distinct
     * @param probabilities whether to add one column per class with the model's output for it
     * @return the writer, its header written
     * @throws IllegalArgumentException if the names are empty, null or repeat
     */
    public static PredictionWriter classification(Writer out, List<String> classNames, boolean probabilities) {
        return classification(null, Objects.requireNonNull(out, "out"), classNames, probabilities);
    }

    private static PredictionWriter classification(Path path, Writer out, List<String> classNames,
            boolean probabilities) {
        List<String> names = ClassificationReport.checkNames(classNames);
        String[] labels = names.stream().map(Csv::quote).toArray(String[]::new);
        List<String> header = new ArrayList<>();
        header.add("label");
        if (probabilities) {
            names.forEach(n -> header.add("p_" + n));
        }
        return new PredictionWriter(path, out, labels, probabilities, names.size(), header);
    }

    /**
     * @param out the CSV file to write, or null for standard output (UTF-8)
     * @param width the model's outputs per row, at least 1
     * @return the writer, its header written
     * @throws OutputFileException naming {@code out} if its temporary file cannot be created
     */
    public static PredictionWriter regression(Path out, int width) {
        return regression(out, null, width);
    }

    /**
     * @param out where to write the CSV (flushed at {@link #close}, not closed), e.g. standard output
     * @param width the model's outputs per row, at least 1
     * @return the writer, its header written
     */
    public static PredictionWriter regression(Writer out, int width) {
        return regression(null, Objects.requireNonNull(out, "out"), width);
    }

    private static PredictionWriter regression(Path path, Writer out, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("A regression model has at least one output, not " + width);
        }
        List<String> header = new ArrayList<>();
        if (width == 1) {
            header.add("prediction");
        } else {
            for (int j = 0; j < width; j++) {
                header.add("prediction_" + j);
            }
        }
        return new PredictionWriter(path, out, null, false, width, header);
    }

    /**
     * Writes one CSV row per input row.
     *
     * @param outputs the model's outputs, row-major: the first {@code rows × outputWidth} values are used
     *     (not modified)
     * @param rows how many rows
     * @param outputWidth the outputs per row: the number of classes, or the regression's width
     * @throws IllegalArgumentException if {@code outputWidth} is not what this writer was made for (the
     *     message names both), {@code outputs} is shorter than {@code rows × outputWidth}, or (classifying)
     *     an output is NaN, so that no label can be picked
     * @throws OutputFileException naming the file if writing fails
     * @throws IllegalStateException if the writer was closed or aborted
     */
    public void write(float[] outputs, int rows, int outputWidth) {
        if (state != State.OPEN) {
            throw new IllegalStateException("The prediction writer for " + name + " is "
                    + (state == State.FAILED ? "failed" : "closed"));
        }
        boolean done = false;
        try {
            check(outputs, rows, outputWidth);
            for (int r = 0; r < rows; r++) {
                writeRow(outputs, r * width);
                rowsWritten++;
            }
            done = true;
        } catch (IOException e) {
            throw failure(e);
        } finally {
            if (!done) {
                state = State.FAILED;
            }
        }
    }

    private void check(float[] outputs, int rows, int outputWidth) {
        Objects.requireNonNull(outputs, "outputs");
        if (outputWidth != width) {
            throw new IllegalArgumentException(labels != null
                    ? "The model gives " + outputWidth + " outputs per row but there are " + width + " class names"
                    : "The model gives " + outputWidth + " outputs per row but the writer was made for " + width);
        }
        if (rows < 0 || (long) rows * width > outputs.length) {
            throw new IllegalArgumentException(rows + " rows of " + width + " outputs do not fit in "
                    + outputs.length + " values");
        }
    }

    private void writeRow(float[] outputs, int offset) throws IOException {
        if (labels != null) {
            out.write(labels[argmax(outputs, offset)]);
            if (!probabilities) {
                out.write('\n');
                return;
            }
            out.write(',');
        }
        for (int j = 0; j < width; j++) {
            if (j > 0) {
                out.write(',');
            }
            out.write(Float.toString(outputs[offset + j]));
        }
        out.write('\n');
    }

    /** @return the index of the highest output of the row at {@code offset}; a tie goes to the lowest */
    private int argmax(float[] outputs, int offset) {
        int best = 0;
        for (int j = 0; j < width; j++) {
            float v = outputs[offset + j];
            if (Float.isNaN(v)) {
                throw new IllegalArgumentException("Input row " + (rowsWritten + 1) + ": the model's output " + j
                        + " is NaN, so no label can be picked (has training diverged?)");
            }
            if (v > outputs[offset + best]) {
                best = j;
            }
        }
        return best;
    }

    /** @return how many rows were written so far (the header not counted) */
    public long rows() {
        return rowsWritten;
    }

    /**
     * Finishes: to a file, forces it to disk and moves it over the target atomically; to a writer, flushes
     * it. Does nothing if already closed or aborted; after a failed {@link #write}, discards the file.
     *
     * @throws OutputFileException naming the file if it cannot be finished (nothing is then left behind)
     */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.FAILED) {
            abort();
            return;
        }
        state = State.CLOSED;
        try {
            out.flush();
            if (path == null) {
                target.flush();
                if (target instanceof PrintWriter p && p.checkError()) {
                    throw new IOException("the stream reported an error");
                }
                return;
            }
            channel.force(true);
            out.close();
            OutputFiles.commit(temp, path);
        } catch (IOException e) {
            if (path != null) {
                closeQuietly();
                OutputFiles.deleteQuietly(temp);
            }
            throw failure(e);
        }
    }

    /**
     * Abandons the output: to a file, closes and deletes the temporary file, so the target is left as it
     * was (absent, or its previous content); to a writer, stops without flushing. Does nothing if already
     * closed.
     */
    public void abort() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (path != null) {
            closeQuietly();
            OutputFiles.deleteQuietly(temp);
        }
    }

    private OutputFileException failure(IOException e) {
        return path != null ? OutputFiles.failure(path, "predictions", e)
                : new OutputFileException("Cannot write predictions to " + name + ": " + e.getMessage(), e);
    }

    /** Closes the temporary file without flushing the buffer: its content is being thrown away. */
    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // Abandoning the file anyway: the error that led here is the one to report.
        }
    }
}
