package dev.thinj.train.data;

import dev.thinj.model.config.Config;
import dev.thinj.train.data.csv.CsvColumns;
import dev.thinj.train.data.csv.CsvFeatureRows;
import dev.thinj.train.data.numpy.NpyFeatureRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Feature rows streamed from a file in bounded memory, for {@code thinj predict}: the caller asks
 * for up to {@code maxRows} rows at a time and gets them row-major in its own buffer. Call order:
 * {@link #open} (or an implementation's own), then {@link #read} until it returns 0, then
 * {@link #close}. Errors while streaming are {@link DataException}s naming the file, line (or row)
 * and column.
 */
public interface FeatureRows extends AutoCloseable {
    /** What {@link #open} accepts, for messages. */
    String KINDS = "a CSV/TSV file (.csv, .tsv or .txt, optionally .gz), a NumPy .npy array, or an IDX image file";

    /** @return the number of features in every row */
    int width();

    /** @return the file read, for messages */
    String source();

    /**
     * Reads the next rows.
     *
     * @param buffer where to put them, row-major from index 0 (at least {@code maxRows * width()}
     *     values; modified)
     * @param maxRows the most rows to read, at least 1
     * @return the number of rows read, 0 at the end of the file
     * @throws DataException for a bad row or an unreadable file
     * @throws IllegalArgumentException if the buffer is too small or {@code maxRows} below 1
     */
    int read(float[] buffer, int maxRows);

    /** Closes the file. */
    @Override
    void close();

    /**
     * Opens an input file of any kind {@code thinj predict} accepts, by its contents and name: the
     * NumPy magic means {@code .npy}; the IDX image magic (gzipped or not) an IDX file; a name
     * ending in {@code .csv}, {@code .tsv} or {@code .txt} (optionally {@code .gz}) a CSV file.
     * A CSV file's columns follow the training config's {@code csv.v1} arguments: the same feature
     * columns (by header name), the label column skipped if present; without {@code csv.v1} every
     * column is a feature and a first line that is not all numbers is taken as the header.
     *
     * @param input the file
     * @param trainingConfig the config the model was trained with (its {@code [data]} section is
     *     read as written, not resolved), or null
     * @return the rows, open
     * @throws DataException if the file is missing, of no accepted kind, or malformed
     */
    static FeatureRows open(Path input, Config trainingConfig) {
        return open(input, trainingConfig, 0);
    }

    /**
     * As {@link #open(Path, Config)}, knowing the model's input width: a CSV file whose label column
     * is given by position (or left to default, the last column) may then come with or without it,
     * and a file of another width is refused here, before any row is read.
     *
     * @param input the file
     * @param trainingConfig the config the model was trained with, or null
     * @param modelWidth the model's input width, or 0 if unknown
     * @return the rows, open
     * @throws DataException if the file is missing, of no accepted kind, malformed, or of another width
     */
    static FeatureRows open(Path input, Config trainingConfig, int modelWidth) {
        return open(input, trainingConfig, modelWidth, List.of());
    }

    /**
     * As {@link #open(Path, Config, int)}, knowing the names of the features the model was trained
     * on: a CSV file with a header then gives them by name, in any column order, with other columns
     * ignored.
     *
     * @param input the file
     * @param trainingConfig the config the model was trained with, or null
     * @param modelWidth the model's input width, or 0 if unknown
     * @param featureNames the training features' names in row order, or empty
     * @return the rows, open
     * @throws DataException if the file is missing, of no accepted kind, malformed, of another width,
     *     or a CSV whose header lacks one of the names
     */
    static FeatureRows open(Path input, Config trainingConfig, int modelWidth, List<String> featureNames) {
        byte[] head = DataFiles.head(input, 8);
        FeatureRows rows;
        if (head.length >= 6 && Arrays.equals(Arrays.copyOf(head, 6), "\u0093NUMPY".getBytes(StandardCharsets.ISO_8859_1))) {
            rows = NpyFeatureRows.open(input);
        } else if (head.length >= 4 && (head[0] | head[1]) == 0 && head[2] == 8 && head[3] == 3) {
            rows = IdxFeatureRows.open(input);
        } else if (head.length >= 4 && (head[0] | head[1]) == 0 && head[2] == 8 && head[3] == 1) {
            throw new DataException(input + ": an IDX label file; predict reads the images (IDX magic 2051)");
        } else if (isText(input)) {
            Optional<CsvColumns> columns;
            try {
                columns = trainingConfig == null ? Optional.empty() : CsvColumns.fromConfig(trainingConfig);
            } catch (IllegalArgumentException e) {
                throw new DataException(trainingConfig.source() + ": " + e.getMessage(), e);
            }
            if (!featureNames.isEmpty() && columns.map(CsvColumns::header).orElse(true)) {
                CsvColumns spec = columns.orElse(CsvColumns.defaults());
                columns = Optional.of(new CsvColumns(spec.label(), featureNames, true, spec.delimiter()));
            }
            rows = CsvFeatureRows.open(input, columns, modelWidth);
        } else {
            throw new DataException(input + ": not a file predict reads (expected " + KINDS + ")");
        }
        if (modelWidth > 0 && rows.width() != modelWidth) {
            rows.close();
            throw new DataException(input + ": " + rows.width() + (rows.width() == 1 ? " feature" : " features")
                    + " per row, but the model takes "
                    + modelWidth);
        }
        return rows;
    }

    private static boolean isText(Path input) {
        String name = input.getFileName() == null ? "" : input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        return name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt");
    }
}
