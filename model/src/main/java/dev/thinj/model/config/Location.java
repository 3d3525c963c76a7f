package dev.thinj.model.config;

/**
 * Where a config value came from: the file (or {@code <string>}, {@code <override>}), the line, the
 * section and the key. Any part may be unknown. It prints as {@code config.cfg:12 [optimizer] learn_rate},
 * leaving out what is unknown.
 *
 * @param source the file name, {@code <string>} for parsed text, {@code <override>} for an override,
 *     or null when unknown (a config built from a map)
 * @param line the 1-based line, or 0 when unknown
 * @param section the dotted section name, such as {@code model.*.relu1}, or null
 * @param key the key within the section, or null for the section itself
 */
public record Location(String source, int line, String section, String key) {
    /** A location that knows nothing. */
    public static final Location UNKNOWN = new Location(null, 0, null, null);

    /**
     * @param newKey a key of the same section
     * @return this location pointing at that key
     */
    public Location withKey(String newKey) {
        return new Location(source, line, section, newKey);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source);
            if (line > 0) {
                sb.append(':').append(line);
            }
        } else if (line > 0) {
            sb.append("line ").append(line);
        }
        if (section != null) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append('[').append(section).append(']');
        }
        if (key != null) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(key);
        }
        return sb.toString();
    }
}
