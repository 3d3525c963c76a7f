package dev.thinj.train.data.csv;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import dev.thinj.train.data.DataException;
import dev.thinj.train.data.DataFiles;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One CSV file read record by record with FastCSV (gzipped or not, UTF-8): first its header (or
 * first row) as text, then, once {@link #use} has given the layout, each row parsed into floats.
 * Every bad row (ragged, an empty field, a value that is not a number) and every broken file is a
 * {@link DataException} naming the file, the 1-based line and the column. Blank lines are skipped.
 */
final class CsvRows implements AutoCloseable {
    private final String source;
    private final CsvReader<RowParser> reader;
    private final CloseableIterator<RowParser> records;
    private final RowParser parser = new RowParser();
    private ColumnLayout layout;
    private List<String> pending;
    private String firstRecord = "the header";
    private long line;

    private CsvRows(Path file, char delimiter) {
        this.source = file.toString();
        InputStreamReader text = new InputStreamReader(DataFiles.open(file), StandardCharsets.UTF_8);
        // Ragged rows are checked here, with a message that names the line and the column.
        this.reader = CsvReader.builder().fieldSeparator(delimiter).ignoreDifferentFieldCount(true)
                .skipEmptyLines(true).build(parser, text);
        this.records = reader.iterator();
    }

    /**
     * @param file a CSV file, gzipped or not
     * @param delimiter the field separator
     * @return the file, open before its first record
     * @throws DataException if the file cannot be opened
     */
    static CsvRows open(Path file, char delimiter) {
        return new CsvRows(file, delimiter);
    }

    /** @return the file's name, for messages */
    String source() {
        return source;
    }

    /**
     * @return the first record's fields as text (the header, or a header-less file's first row),
     *     without surrounding white space (as in {@code "a, b, label"})
     * @throws DataException if the file has no record at all
     */
    List<String> first() {
        if (!advance()) {
            throw new DataException(source + ": empty file (no header or rows)");
        }
        return parser.text().stream().map(String::strip).toList();
    }

    /** @return the line the first record (or the last row read) started on */
    long line() {
        return line;
    }

    /** @return {@code source:line}, for messages */
    String where() {
        return source + ":" + line;
    }

    /**
     * Parses the rows from now on with this layout.
     *
     * @param layout the file's columns
     * @param labelAsText whether labels are class names (else regression values)
     * @param firstIsRow whether the record {@link #first()} returned is a row rather than a header,
     *     so that the next {@link #next()} returns it
     */
    void use(ColumnLayout layout, boolean labelAsText, boolean firstIsRow) {
        this.layout = layout;
        parser.parseRows(layout.roles(), layout.width(), labelAsText);
        pending = firstIsRow ? parser.text() : null;
        firstRecord = firstIsRow ? "the first row" : "the header";
    }

    /**
     * Reads the next row.
     *
     * @return false at the end of the file
     * @throws DataException for a bad row or an unreadable file
     */
    boolean next() {
        long rowLine;
        if (pending != null) {
            parser.reparse(pending);
            pending = null;
            rowLine = line;
        } else {
            if (!advance()) {
                return false;
            }
            rowLine = line;
        }
        check(rowLine);
        return true;
    }

    /** @return the features of the row last read (reused by the next) */
    float[] row() {
        return parser.row();
    }

    /** @return the label of the row last read, as written (classification), or null without one */
    String labelText() {
        return parser.labelText();
    }

    /** @return the label of the row last read, as a number (regression) */
    float labelValue() {
        return parser.labelValue();
    }

    private boolean advance() {
        try {
            if (!records.hasNext()) {
                return false;
            }
            records.next();
        } catch (UncheckedIOException | CsvParseException e) {
            // FastCSV wraps the cause (a broken gzip stream, a field beyond its size limit).
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new DataException(source + ": unreadable after line " + line + ": " + cause.getMessage(), e);
        } catch (NoSuchElementException e) {
            return false;
        }
        line = parser.line();
        return true;
    }

    private void check(long rowLine) {
        int n = parser.fieldCount();
        int expected = layout.columnCount();
        if (n != expected) {
            String which = n < expected
                    ? "no value for column \"" + layout.names().get(n) + "\""
                    : "a value past the last column \"" + layout.names().get(expected - 1) + "\"";
            throw new DataException(source + ":" + rowLine + ": " + n + " field" + (n == 1 ? "" : "s") + " where "
                    + firstRecord + " has " + expected + " (" + which + ")");
        }
        int bad = parser.badColumn();
        if (bad >= 0) {
            String column = "column \"" + layout.names().get(bad) + "\"";
            throw new DataException(source + ":" + rowLine + ": " + column + ": "
                    + (parser.badKind() == RowParser.EMPTY ? "missing value"
                            : "\"" + shorten(parser.badText()) + "\" is not a number"
                                    + (bad == layout.labelColumn() ? " (a regression target must be one)" : "")));
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** @return the names of the first record's columns as their indexes, for a file without header */
    static List<String> indexNames(int columns) {
        List<String> names = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new DataException(source + ": cannot close: " + e.getMessage(), e);
        }
    }
}
