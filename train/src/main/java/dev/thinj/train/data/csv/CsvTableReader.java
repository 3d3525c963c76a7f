package dev.thinj.train.data.csv;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.GrowingFloats;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a whole CSV file into a {@link CsvTable}: features parsed straight into one growing float
 * array, labels into codes or floats, so memory is the data itself plus the growth margin.
 */
final class CsvTableReader {
    private CsvTableReader() {
    }

    /**
     * Reads a training file: its layout comes from the spec.
     *
     * @param file the file, gzipped or not
     * @param spec the columns to read
     * @param classify whether labels are class names (else regression values)
     * @return the table
     * @throws DataException for a bad file, naming its line and column
     */
    static CsvTable readTraining(Path file, CsvColumns spec, boolean classify) {
        try (CsvRows rows = CsvRows.open(file, spec.delimiter())) {
            List<String> first = rows.first();
            List<String> names = spec.header() ? first : CsvRows.indexNames(first.size());
            ColumnLayout layout = ColumnLayout.forTraining(spec, names, rows.where());
            return read(rows, layout, !spec.header(), classify);
        }
    }

    /**
     * Reads a test file: its columns are found by the training file's names.
     *
     * @param file the file, gzipped or not
     * @param spec the columns to read (for the header and delimiter)
     * @param train the training file's layout
     * @param trainSource the training file, for messages
     * @param classify whether labels are class names
     * @return the table
     * @throws DataException for a bad file, or one lacking a training column
     */
    static CsvTable readTest(Path file, CsvColumns spec, ColumnLayout train, String trainSource, boolean classify) {
        try (CsvRows rows = CsvRows.open(file, spec.delimiter())) {
            List<String> first = rows.first();
            List<String> names = spec.header() ? first : CsvRows.indexNames(first.size());
            if (!spec.header() && names.size() != train.columnCount()) {
                throw new DataException(rows.where() + ": " + names.size() + " columns, but " + trainSource + " has "
                        + train.columnCount() + " (without a header, columns are matched by position)");
            }
            ColumnLayout layout = train.match(names, rows.where(), trainSource, true);
            return read(rows, layout, !spec.header(), classify);
        }
    }

    private static CsvTable read(CsvRows rows, ColumnLayout layout, boolean firstIsRow, boolean classify) {
        rows.use(layout, classify, firstIsRow);
        String source = rows.source();
        String labelColumn = layout.labelName();
        int width = layout.width();
        GrowingFloats features = new GrowingFloats(1 << 16);
        LabelEncoder encoder = classify ? new LabelEncoder() : null;
        int[] codes = classify ? new int[1024] : null;
        GrowingFloats targets = classify ? null : new GrowingFloats(1024);
        int count = 0;
        while (rows.next()) {
            features.append(rows.row(), 0, width, source);
            if (classify) {
                if (count == codes.length) {
                    codes = Arrays.copyOf(codes, (int) Math.min((long) count * 2, Integer.MAX_VALUE - 16));
                }
                codes[count] = encoder.code(rows.labelText(), rows.line(), source, labelColumn);
            } else {
                targets.add(rows.labelValue(), source);
            }
            count++;
        }
        if (count == 0) {
            throw new DataException(source + ": no data rows" + (firstIsRow ? "" : " after the header (line "
                    + rows.line() + ")"));
        }
        return new CsvTable(source, layout, count, features.toArray(), classify ? Arrays.copyOf(codes, count) : null,
                encoder, classify ? null : targets.toArray());
    }
}
