package dev.thinj.train.data.csv;

import dev.thinj.train.data.DataException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The columns of one CSV file resolved against a {@link CsvColumns} spec: which file column feeds
 * each feature, and which holds the label.
 *
 * @param names the file's column names (its header, or {@code "0"}, {@code "1"}, ... without one)
 * @param featureColumns the file column of each feature, in feature order
 * @param labelColumn the file column of the label, or -1 when the file has none
 */
record ColumnLayout(List<String> names, int[] featureColumns, int labelColumn) {
    /** A column that is read as a label, in {@link #roles()}. */
    static final int LABEL = -1;
    /** A column that is skipped, in {@link #roles()}. */
    static final int IGNORED = -2;

    /** @return this layout with the label column skipped rather than read (predict's input) */
    ColumnLayout withoutLabel() {
        return new ColumnLayout(names, featureColumns, -1);
    }

    /** @return the number of columns every row must have */
    int columnCount() {
        return names.size();
    }

    /** @return the number of features per row */
    int width() {
        return featureColumns.length;
    }

    /** @return the label column's name, or null */
    String labelName() {
        return labelColumn < 0 ? null : names.get(labelColumn);
    }

    /** @return the feature columns' names, in feature order */
    List<String> featureNames() {
        List<String> out = new ArrayList<>(featureColumns.length);
        for (int c : featureColumns) {
            out.add(names.get(c));
        }
        return out;
    }

    /** @return per file column: its feature slot (0 or more), {@link #LABEL} or {@link #IGNORED} */
    int[] roles() {
        int[] roles = new int[names.size()];
        java.util.Arrays.fill(roles, IGNORED);
        if (labelColumn >= 0) {
            roles[labelColumn] = LABEL;
        }
        for (int k = 0; k < featureColumns.length; k++) {
            roles[featureColumns[k]] = k;
        }
        return roles;
    }

    /**
     * @param spec the columns to read
     * @param names the training file's column names
     * @param where the file and the line of its header (or first row), for messages
     * @return the layout of the training file, which has a label column
     * @throws DataException if a named column is missing or ambiguous, or no feature is left
     */
    static ColumnLayout forTraining(CsvColumns spec, List<String> names, String where) {
        int label = spec.label() == null ? names.size() - 1 : column(names, spec.label(), "label", where);
        int[] features;
        if (spec.features() == null) {
            features = new int[names.size() - 1];
            for (int c = 0, k = 0; c < names.size(); c++) {
                if (c != label) {
                    features[k++] = c;
                }
            }
        } else {
            features = select(names, spec.features(), where).featureColumns();
            for (int k = 0; k < features.length; k++) {
                if (features[k] == label) {
                    throw new DataException(where + ": column \"" + spec.features().get(k)
                            + "\" is the label; it cannot be a feature too");
                }
            }
        }
        if (features.length == 0) {
            throw new DataException(where + ": no feature columns: there is only the label column \""
                    + names.get(label) + "\"");
        }
        return new ColumnLayout(List.copyOf(names), features, label);
    }

    /**
     * @param names a file's column names
     * @param features the feature columns' names
     * @param where the file and the line of its header, for messages
     * @return the layout reading those columns, and no label
     * @throws DataException if a column is missing or ambiguous, or listed twice
     */
    static ColumnLayout select(List<String> names, List<String> features, String where) {
        int[] columns = new int[features.size()];
        Set<Integer> seen = new HashSet<>();
        for (int k = 0; k < columns.length; k++) {
            columns[k] = byName(names, features.get(k), "feature", where);
            if (!seen.add(columns[k])) {
                throw new DataException(where + ": feature column \"" + features.get(k) + "\" is listed twice in features");
            }
        }
        return new ColumnLayout(List.copyOf(names), columns, -1);
    }

    /**
     * Finds the training layout's columns in another file by name (a test file, or an input to
     * predict), so that its columns may come in another order.
     *
     * @param names the other file's column names
     * @param where the other file and the line of its header (or first row), for messages
     * @param trainSource the training file, for messages
     * @param needLabel whether the label column must be there (a test file) or may be absent
     * @return the other file's layout
     * @throws DataException if a feature column (or a needed label column) is missing
     */
    ColumnLayout match(List<String> names, String where, String trainSource, boolean needLabel) {
        int[] features = new int[featureColumns.length];
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < features.length; k++) {
            String name = this.names.get(featureColumns[k]);
            features[k] = names.indexOf(name);
            if (features[k] < 0) {
                missing.add(name);
            } else if (names.lastIndexOf(name) != features[k]) {
                throw new DataException(where + ": names column \"" + name + "\" twice");
            }
        }
        if (!missing.isEmpty()) {
            throw new DataException(where + ": lacks feature column" + (missing.size() == 1 ? " " : "s ")
                    + quoted(missing) + " of " + trainSource + " (its columns: " + quoted(names) + ")");
        }
        int label = labelColumn < 0 ? -1 : names.indexOf(labelName());
        if (label < 0 && needLabel) {
            throw new DataException(where + ": lacks the label column \"" + labelName() + "\" of " + trainSource
                    + " (its columns: " + quoted(names) + ")");
        }
        return new ColumnLayout(List.copyOf(names), features, label);
    }

    /** @return the column a label argument names: a column name first, else an index */
    private static int column(List<String> names, String spec, String what, String where) {
        if (names.contains(spec)) {
            return byName(names, spec, what, where);
        }
        if (spec.strip().matches("-?\\d{1,9}")) {
            int i = Integer.parseInt(spec.strip());
            int n = names.size();
            if (i >= -n && i < n) {
                return i < 0 ? n + i : i;
            }
            throw new DataException(where + ": " + what + " column index " + i + " is out of range: there are "
                    + n + " columns (0.." + (n - 1) + ")");
        }
        return byName(names, spec, what, where);
    }

    private static int byName(List<String> names, String name, String what, String where) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new DataException(where + ": no " + what + " column \"" + name + "\" (the columns: "
                    + quoted(names) + ")");
        }
        if (names.lastIndexOf(name) != i) {
            throw new DataException(where + ": names the " + what + " column \"" + name
                    + "\" twice (columns " + i + " and " + names.lastIndexOf(name) + ")");
        }
        return i;
    }

    /** @return names quoted and joined, the first 20 and a count of the rest */
    static String quoted(List<String> names) {
        StringBuilder b = new StringBuilder();
        int shown = Math.min(20, names.size());
        for (int i = 0; i < shown; i++) {
            b.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append('"');
        }
        if (names.size() > shown) {
            b.append(", ... (").append(names.size() - shown).append(" more)");
        }
        return b.toString();
    }
}
