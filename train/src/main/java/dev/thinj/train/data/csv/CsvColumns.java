package dev.thinj.train.data.csv;

import dev.thinj.model.config.Config;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which columns of a CSV file are read and how: the {@code csv.v1} arguments other than the files.
 *
 * @param label the label column's name, or its 0-based index as text (negative counts from the
 *     end, as in Python); {@code null} for the last column
 * @param features the feature columns' names, in the order the model sees them; {@code null} for
 *     every column but the label, in file order
 * @param header whether the first line names the columns; without one, columns are named by their
 *     index, {@code "0"}, {@code "1"}, ...
 * @param delimiter the field separator
 */
public record CsvColumns(String label, List<String> features, boolean header, char delimiter) {
    /** The {@code @datasets} name whose arguments these are. */
    public static final String DATASET = "csv.v1";

    /** Copies the feature list. */
    public CsvColumns {
        features = features == null ? null : List.copyOf(features);
        if (features != null && features.isEmpty()) {
            throw new IllegalArgumentException("features is an empty list; leave it out to use every column "
                    + "but the label");
        }
    }

    /** @return every column but the last is a feature, the last is the label, with a header, commas */
    public static CsvColumns defaults() {
        return new CsvColumns(null, null, true, ',');
    }

    /**
     * @param text a delimiter as a config gives it: one character, or {@code "\t"} / {@code "tab"}
     *     for a tab (the two characters backslash-t, as an unquoted config value leaves them)
     * @return the character
     * @throws IllegalArgumentException for anything else, or a quote or line break
     */
    public static char delimiter(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("delimiter is empty; give one character, such as \",\" or \"\\t\"");
        }
        if (text.equals("\\t") || text.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (text.length() != 1) {
            throw new IllegalArgumentException("delimiter must be one character (or \"\\t\" for a tab), got \""
                    + text + "\"");
        }
        char c = text.charAt(0);
        if (c == '"' || c == '\n' || c == '\r') {
            throw new IllegalArgumentException("delimiter cannot be a quote or a line break");
        }
        return c;
    }

    /**
     * Reads the column arguments from a training config's {@code [data]} section, without resolving
     * the config (which would read the training data).
     *
     * @param config a training config
     * @return the columns when {@code [data]} calls {@code csv.v1}; empty for another dataset
     * @throws IllegalArgumentException if an argument has the wrong type
     */
    public static Optional<CsvColumns> fromConfig(Config config) {
        if (!config.has("data") || !(config.get("data") instanceof Map<?, ?> data)
                || !DATASET.equals(data.get("@datasets"))) {
            return Optional.empty();
        }
        Object label = data.get("label");
        Object features = data.get("features");
        Object header = data.get("header");
        Object delimiter = data.get("delimiter");
        return Optional.of(new CsvColumns(label == null ? null : String.valueOf(label),
                features == null ? null : stringList(features),
                header == null || bool(header),
                delimiter == null ? ',' : delimiter(String.valueOf(delimiter))));
    }

    private static List<String> stringList(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("data.features must be a list of column names, got " + value);
        }
        return list.stream().map(String::valueOf).toList();
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("data.header must be true or false, got " + value);
    }
}
