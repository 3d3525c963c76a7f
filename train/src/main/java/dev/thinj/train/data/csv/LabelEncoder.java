package dev.thinj.train.data.csv;

import dev.thinj.train.data.DataException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns label strings into class indices. While a file is read, each distinct label gets a
 * provisional code in order of first appearance (and the line it first appeared on, for messages);
 * {@link #classes()} then orders the labels so that the classes do not depend on the row order:
 * numerically when every label is a number ({@code "2"} before {@code "10"}), else by String order.
 */
public final class LabelEncoder {
    /** The most classes a dataset may have: more means the labels are surely regression values. */
    public static final int MAX_CLASSES = 65_536;

    private final Map<String, Integer> codes = new HashMap<>();
    private final List<String> labels = new ArrayList<>();
    private long[] firstLines = new long[16];

    /** An encoder that has seen no label yet. */
    public LabelEncoder() {
    }

    /**
     * @param label a label as written
     * @param line the line it is on
     * @param source the file, for the message when there are too many classes
     * @param column the label column's name, for that message
     * @return its provisional code
     * @throws DataException beyond {@link #MAX_CLASSES} distinct labels
     */
    int code(String label, long line, String source, String column) {
        Integer code = codes.get(label);
        if (code != null) {
            return code;
        }
        int c = labels.size();
        if (c == MAX_CLASSES) {
            throw new DataException(source + ":" + line + ": column \"" + column + "\": more than " + MAX_CLASSES + " distinct labels; if they are "
                    + "numbers to predict, set task = \"regress\"");
        }
        codes.put(label, c);
        labels.add(label);
        if (c == firstLines.length) {
            firstLines = Arrays.copyOf(firstLines, c * 2);
        }
        firstLines[c] = line;
        return c;
    }

    /** @return the distinct labels, in order of first appearance (the provisional codes' order) */
    List<String> labels() {
        return List.copyOf(labels);
    }

    /** @return the labels in class order: numeric when every label is a number, else String order */
    public List<String> classes() {
        return sorted(labels);
    }

    /**
     * @param classes the class names, in class order (a superset of this encoder's labels)
     * @param source the file these labels came from, for the message
     * @param column the label column's name, for the message
     * @param classesSource where the classes came from, for the message
     * @return the class index of each provisional code
     * @throws DataException naming the first line of a label that is not a class
     */
    int[] remap(List<String> classes, String source, String column, String classesSource) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        int[] out = new int[labels.size()];
        for (int c = 0; c < out.length; c++) {
            Integer i = index.get(labels.get(c));
            if (i == null) {
                throw new DataException(source + ":" + firstLines[c] + ": column \"" + column + "\": label \""
                        + labels.get(c) + "\" never occurs in " + classesSource + ", so no model trained on it can "
                        + "predict it (its classes: " + ColumnLayout.quoted(classes) + ")");
            }
            out[c] = i;
        }
        return out;
    }

    /**
     * @param labels distinct labels
     * @return them in class order: by numeric value when every one is a decimal number (ties, such
     *     as {@code "1"} and {@code "1.0"}, by String order), else by String order
     */
    public static List<String> sorted(List<String> labels) {
        List<String> out = new ArrayList<>(labels);
        Map<String, BigDecimal> numbers = new HashMap<>();
        for (String l : labels) {
            BigDecimal n = number(l);
            if (n == null) {
                out.sort(Comparator.naturalOrder());
                return List.copyOf(out);
            }
            numbers.put(l, n);
        }
        out.sort(Comparator.comparing((String l) -> numbers.get(l)).thenComparing(Comparator.naturalOrder()));
        return List.copyOf(out);
    }

    private static BigDecimal number(String label) {
        try {
            return new BigDecimal(label.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
