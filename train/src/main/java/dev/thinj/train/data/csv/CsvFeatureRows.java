package dev.thinj.train.data.csv;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.FeatureRows;
import dev.thinj.train.data.Rows;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A CSV file's feature rows streamed for {@code thinj predict}, one FastCSV record at a time, so a
 * file of any size is read in the memory of the caller's buffer.
 *
 * <p>Which columns are the features follows the training config's {@code csv.v1} arguments, so the
 * model sees the columns it was trained on:
 * <ul>
 *   <li>with {@code features} listed, those columns by name (in any order in the file);</li>
 *   <li>else every column but the label: a label named in the header is skipped when present; a
 *       label given by position (or the default, the last column) is taken to be present unless
 *       the model's width says the file has no column to spare.</li>
 * </ul>
 * Without {@code csv.v1} settings (a model trained on another dataset), every column is a feature,
 * the delimiter is a tab for {@code .tsv} files and a comma otherwise, and a first line that is
 * not all numbers is the header.
 */
public final class CsvFeatureRows implements FeatureRows {
    private final CsvRows rows;
    private final int width;

    private CsvFeatureRows(CsvRows rows, int width) {
        this.rows = rows;
        this.width = width;
    }

    /**
     * @param file the file, gzipped or not
     * @param columns the training config's {@code csv.v1} column arguments, or empty
     * @param modelWidth the model's input width, or 0 if unknown
     * @return the rows, open before the first
     * @throws DataException if the file is missing, empty, or lacks a feature column
     */
    public static CsvFeatureRows open(Path file, Optional<CsvColumns> columns, int modelWidth) {
        CsvColumns spec = columns.orElse(null);
        char delimiter = spec != null ? spec.delimiter() : defaultDelimiter(file);
        CsvRows rows = CsvRows.open(file, delimiter);
        try {
            List<String> first = rows.first();
            boolean header = spec != null ? spec.header() : !allNumbers(first);
            List<String> names = header ? first : CsvRows.indexNames(first.size());
            ColumnLayout layout = layout(spec, names, modelWidth, rows.where());
            rows.use(layout, false, !header);
            return new CsvFeatureRows(rows, layout.width());
        } catch (RuntimeException e) {
            rows.close();
            throw e;
        }
    }

    private static ColumnLayout layout(CsvColumns spec, List<String> names, int modelWidth, String where) {
        if (spec == null) {
            return allColumns(names, -1);
        }
        if (spec.features() != null) {
            // The label's column, if the file has one, is simply not among the features.
            return ColumnLayout.select(names, spec.features(), where);
        }
        boolean labelNamed = spec.header() && spec.label() != null && names.contains(spec.label());
        boolean labelByPosition = spec.label() == null || spec.label().strip().matches("-?\\d{1,9}");
        if (labelNamed || (labelByPosition && hasLabelColumn(names.size(), modelWidth, where))) {
            return ColumnLayout.forTraining(spec, names, where).withoutLabel();
        }
        return allColumns(names, -1);
    }

    /** @return whether a file of {@code columns} columns includes the label column, by the model's width */
    private static boolean hasLabelColumn(int columns, int modelWidth, String where) {
        if (modelWidth <= 0 || columns == modelWidth + 1) {
            return true;
        }
        if (columns == modelWidth) {
            return false;
        }
        throw new DataException(where + ": " + columns + " columns, but the model takes " + modelWidth
                + " features (" + (modelWidth + 1) + " columns with the label)");
    }

    private static ColumnLayout allColumns(List<String> names, int label) {
        int[] features = new int[names.size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = i;
        }
        return new ColumnLayout(List.copyOf(names), features, label);
    }

    private static boolean allNumbers(List<String> fields) {
        for (String f : fields) {
            char[] c = f.toCharArray();
            if (Float.isNaN(FloatParser.parse(c, 0, c.length))) {
                return false;
            }
        }
        return true;
    }

    private static char defaultDelimiter(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        return name.endsWith(".tsv") || name.endsWith(".tsv.gz") ? '\t' : ',';
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public String source() {
        return rows.source();
    }

    @Override
    public int read(float[] buffer, int maxRows) {
        Rows.checkBuffer(buffer, maxRows, width);
        int n = 0;
        while (n < maxRows && rows.next()) {
            System.arraycopy(rows.row(), 0, buffer, n * width, width);
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        rows.close();
    }
}
