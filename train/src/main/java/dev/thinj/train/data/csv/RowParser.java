package dev.thinj.train.data.csv;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.RecordWrapper;
import java.util.ArrayList;
import java.util.List;

/**
 * FastCSV's callback for one record at a time: it parses each feature field from the parser's
 * character buffer straight into a reused float row (no String per field, no list per row), keeps
 * the label as text (classification) or a float (regression), and remembers the first bad field
 * instead of throwing, so that {@link CsvRows} can name its line and column. Before the layout is
 * known (the header, or a header-less file's first row) it keeps every field as text.
 */
final class RowParser extends AbstractBaseCsvCallbackHandler<RowParser> {
    /** The first bad field is empty. */
    static final int EMPTY = 1;
    /** The first bad field is not a finite number. */
    static final int NOT_A_NUMBER = 2;

    private boolean asText = true;
    private final List<String> text = new ArrayList<>();
    private boolean first = true;

    private int[] roles = new int[0];
    private float[] row = new float[0];
    private boolean labelAsText;
    private String labelText;
    private float labelValue;

    private int badColumn;
    private int badKind;
    private String badText;

    /**
     * Switches from keeping text to parsing rows.
     *
     * @param roles per column: its feature slot, {@link ColumnLayout#LABEL} or {@link ColumnLayout#IGNORED}
     * @param width the number of features
     * @param labelAsText whether labels are class names (else regression values)
     */
    void parseRows(int[] roles, int width, boolean labelAsText) {
        this.roles = roles.clone();
        this.row = new float[width];
        this.labelAsText = labelAsText;
        this.asText = false;
    }

    @Override
    protected void handleBegin(long startingLineNumber) {
        text.clear();
        labelText = null;
        badColumn = -1;
        badKind = 0;
        badText = null;
    }

    @Override
    protected void handleField(int index, char[] buf, int offset, int len, boolean quoted) {
        if (first) {
            first = false;
            // A byte-order mark (as Excel writes UTF-8 CSV) is not part of the first column's name.
            if (len > 0 && buf[offset] == '\uFEFF') {
                offset++;
                len--;
            }
        }
        if (asText) {
            text.add(new String(buf, offset, len));
        } else {
            field(index, buf, offset, len);
        }
    }

    /** Parses one field into the row (or the label), or records it as the record's first bad field. */
    void field(int index, char[] buf, int offset, int len) {
        if (index >= roles.length || roles[index] == ColumnLayout.IGNORED || badColumn >= 0) {
            return;
        }
        int role = roles[index];
        if (isBlank(buf, offset, len)) {
            bad(index, EMPTY, "");
            return;
        }
        if (role == ColumnLayout.LABEL && labelAsText) {
            labelText = new String(buf, offset, len).strip();
            return;
        }
        float v = FloatParser.parse(buf, offset, len);
        if (Float.isNaN(v)) {
            bad(index, NOT_A_NUMBER, new String(buf, offset, len));
        } else if (role == ColumnLayout.LABEL) {
            labelValue = v;
        } else {
            row[role] = v;
        }
    }

    /** Parses a record kept as text (a header-less file's first row) as a row. */
    void reparse(List<String> fields) {
        handleBegin(0);
        for (int i = 0; i < fields.size(); i++) {
            char[] chars = fields.get(i).toCharArray();
            field(i, chars, 0, chars.length);
        }
    }

    @Override
    protected RecordWrapper<RowParser> buildRecord() {
        return wrapRecord(this);
    }

    /** @return the fields of the last record, when keeping text */
    List<String> text() {
        return List.copyOf(text);
    }

    /** @return the 1-based line the last record started on */
    long line() {
        return getStartingLineNumber();
    }

    /** @return the number of fields of the last record */
    int fieldCount() {
        return getFieldCount();
    }

    /** @return the feature values of the last record (reused for the next) */
    float[] row() {
        return row;
    }

    String labelText() {
        return labelText;
    }

    float labelValue() {
        return labelValue;
    }

    /** @return the column of the last record's first bad field, or -1 */
    int badColumn() {
        return badColumn;
    }

    /** @return {@link #EMPTY} or {@link #NOT_A_NUMBER} */
    int badKind() {
        return badKind;
    }

    /** @return the first bad field's text */
    String badText() {
        return badText;
    }

    private void bad(int column, int kind, String value) {
        badColumn = column;
        badKind = kind;
        badText = value;
    }

    private static boolean isBlank(char[] buf, int offset, int len) {
        for (int i = offset; i < offset + len; i++) {
            if (buf[i] != ' ' && buf[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
