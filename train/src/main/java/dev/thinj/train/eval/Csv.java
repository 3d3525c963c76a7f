package dev.thinj.train.eval;

/** CSV fields as RFC 4180 writes them. */
final class Csv {
    private Csv() {
    }

    /**
     * @param field a field's text
     * @return the field, in double quotes (inner quotes doubled) if it holds a comma, a quote or a
     *     line break, else unchanged
     */
    static String quote(String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + field.replace("\"", "\"\"") + '"';
            }
        }
        return field;
    }
}
