package dev.thinj.model.config;

/**
 * Splits config text into sections and raw values, with the rules of Python's {@code configparser}
 * as Thinc's confection configures it:
 * <ul>
 *   <li>{@code [name]} opens a section; the name is everything between the first {@code [} and the
 *       last {@code ]}.
 *   <li>{@code key = value} or {@code key: value} (the first {@code =} or {@code :} splits); keys keep
 *       their case; spaces around the delimiter are dropped.
 *   <li>A line indented deeper than its key's line continues that value (joined with newlines),
 *       so a JSON list may span lines. Blank lines inside such a value are kept, trailing ones dropped.
 *   <li>Lines whose first non-blank character is {@code #} or {@code ;} are comments. There are no
 *       inline comments: {@code x = 1  # one} is the text {@code 1  # one}, as in Thinc.
 *   <li>A repeated section or key is an error; so is a key before any section, and a section
 *       nested more than {@value #MAX_SECTION_DEPTH} deep.
 * </ul>
 */
final class ConfigText {
    /**
     * The deepest a section may nest ({@code [a.b.c]} is 3). Python's recursion limit stops Thinc near
     * 1,000; real configs nest a handful, and a limit keeps every recursive walk of the tree shallow.
     */
    static final int MAX_SECTION_DEPTH = 100;

    private ConfigText() {
    }

    /**
     * @param text the config text
     * @param source the file name for locations, or {@code <string>}
     * @return the sections and raw values
     * @throws ConfigException with the line number for a syntax error
     */
    static RawConfig parse(String text, String source) {
        RawConfig raw = new RawConfig(source);
        String[] lines = text.split("\n", -1);
        RawConfig.Section current = null;
        String key = null;
        StringBuilder value = null;
        int keyLine = 0;
        int indentLevel = 0;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i];
            String stripped = line.strip();
            boolean comment = stripped.startsWith("#") || stripped.startsWith(";");
            if (stripped.isEmpty() || comment) {
                // configparser keeps blank lines inside a multi-line value (not comment lines).
                if (!comment && key != null) {
                    value.append('\n');
                }
                continue;
            }
            int indent = indentOf(line);
            if (current != null && key != null && indent > indentLevel) {
                value.append('\n').append(stripped);
                continue;
            }
            if (key != null) {
                store(current, key, value, source, keyLine);
                key = null;
            }
            indentLevel = indent;
            String header = sectionHeader(stripped);
            if (header != null) {
                int depth = Interpreter.path(header).size();
                if (depth > MAX_SECTION_DEPTH) {
                    throw new ConfigException(new Location(source, lineNo, ConfigText.abbreviate(header), null),
                            "section nested " + depth + " deep; a config nests sections at most "
                                    + MAX_SECTION_DEPTH + " deep");
                }
                if (raw.section(header) != null) {
                    throw new ConfigException(new Location(source, lineNo, header, null),
                            "section [" + header + "] is defined twice (first on line "
                                    + raw.section(header).location.line() + ")");
                }
                current = raw.addSection(header, new Location(source, lineNo, header, null));
                continue;
            }
            if (current == null) {
                throw new ConfigException(new Location(source, lineNo, null, null),
                        "syntax error: a value outside any section: " + quote(stripped)
                                + " (start the file with a [section] header)");
            }
            int delim = delimiter(stripped);
            if (delim < 0) {
                throw new ConfigException(new Location(source, lineNo, current.name, null),
                        "syntax error: expected \"key = value\", a [section] header or a # comment, got "
                                + quote(stripped));
            }
            String k = stripped.substring(0, delim).strip();
            if (k.isEmpty()) {
                throw new ConfigException(new Location(source, lineNo, current.name, null),
                        "syntax error: a value without a key: " + quote(stripped));
            }
            if (current.values.containsKey(k)) {
                throw new ConfigException(new Location(source, lineNo, current.name, k),
                        "key is defined twice in this section (first on line "
                                + current.values.get(k).location().line() + ")");
            }
            key = k;
            keyLine = lineNo;
            value = new StringBuilder(stripped.substring(delim + 1).strip());
            // Reserve the key now, so a later duplicate is caught even before this value is stored.
            current.values.put(k, new RawConfig.Value("", new Location(source, lineNo, current.name, k)));
        }
        if (key != null) {
            store(current, key, value, source, keyLine);
        }
        return raw;
    }

    private static void store(RawConfig.Section section, String key, StringBuilder value, String source, int line) {
        String text = value.toString().stripTrailing();
        section.values.put(key, new RawConfig.Value(text, new Location(source, line, section.name, key)));
    }

    /** @return the section name if the stripped line is a {@code [header]}, else null */
    static String sectionHeader(String stripped) {
        if (!stripped.startsWith("[")) {
            return null;
        }
        // Python's SECTCRE "\[(?P<header>.+)\]" matched at the start: greedy, so up to the last ']'.
        int close = stripped.lastIndexOf(']');
        if (close < 2) {
            return null;
        }
        String name = stripped.substring(1, close);
        return name.indexOf('\n') >= 0 ? null : name;
    }

    /** @return the index of the first {@code =} or {@code :}, or -1 */
    private static int delimiter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    /** @return the text, cut to 80 characters with "..." if longer */
    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    static String quote(String s) {
        return JsonValues.write(abbreviate(s));
    }
}
