package dev.thinj.model.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes configs in Thinc's format: raw sections to text, and a tree of values to raw sections.
 *
 * <p>A value is written so that reading it back gives the same value, which takes care because the
 * format unquotes a value that is one JSON string before reading it ({@link Interpreter}): the
 * string {@code "0.2"} is written {@code "\"0.2\""} (as confection does) so that it is not read as
 * a number, and every {@code $} is doubled so that it is not read as a variable. Nested maps become
 * {@code [parent.child]} sections; maps under a {@code *} key become positional
 * {@code [parent.*.name]} sections.
 */
final class ConfigWriter {
    private static final Set<String> KEEP_QUOTED = Set.of("true", "false", "null");

    private ConfigWriter() {
    }

    /**
     * @param raw sections and raw values
     * @return the config text
     */
    static String text(RawConfig raw) {
        StringBuilder sb = new StringBuilder();
        for (RawConfig.Section s : raw.sections()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append('[').append(s.name).append("]\n");
            for (Map.Entry<String, RawConfig.Value> e : s.values.entrySet()) {
                sb.append(e.getKey()).append(" = ");
                String[] lines = e.getValue().text().split("\n", -1);
                sb.append(lines[0]).append('\n');
                // Continuation lines are indented deeper than the key, as the reader expects.
                for (int i = 1; i < lines.length; i++) {
                    sb.append(lines[i].isEmpty() ? "" : "    " + lines[i]).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /**
     * The raw text that reads back as {@code value}.
     *
     * @param value a config value (not a map holding sections: those are written as sections)
     * @param where where the value lives, for the error if it cannot be written
     * @return its raw text
     */
    static String encode(Object value, Location where) {
        try {
            if (value instanceof String s) {
                if (KEEP_QUOTED.contains(s)) {
                    return JsonValues.write(s);
                }
                // A string that is itself JSON text is quoted twice, so it is not read as that JSON.
                String inner = JsonValues.tryParse(s) == JsonValues.NOT_JSON ? s : JsonValues.write(s);
                return JsonValues.write(inner.replace("$", "$$"));
            }
            // In JSON, '$' only occurs inside strings; doubled, the reader turns it back into one.
            return JsonValues.write(value).replace("$", "$$");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where, "cannot write this value: " + e.getMessage());
        }
    }

    /**
     * Lays a tree out as raw sections. Where {@code original} holds the same value at the same place,
     * its raw text is kept, so variables such as {@code ${hyper_params.width}} survive.
     *
     * @param tree the config tree: each top-level value a map (a section)
     * @param source the source name for locations
     * @param original a config whose raw text to reuse where values are unchanged, or null
     * @return the raw sections
     */
    static RawConfig layout(Map<String, ?> tree, String source, Config original) {
        RawConfig raw = new RawConfig(source);
        for (Map.Entry<String, ?> e : tree.entrySet()) {
            String name = e.getKey();
            Location where = new Location(source, 0, name, null);
            if (!(e.getValue() instanceof Map<?, ?> section)) {
                throw new ConfigException(where, "a top-level value must be a section (a map), got "
                        + JsonValues.describe(e.getValue()));
            }
            if (!sectionSafe(name) || name.equals("DEFAULT")) {
                throw new ConfigException(where, "cannot write a section named " + ConfigText.quote(name));
            }
            section(raw, List.of(name), section, original);
        }
        return raw;
    }

    private static void section(RawConfig raw, List<String> path, Map<?, ?> map, Config original) {
        String name = String.join(".", path);
        boolean positional = path.get(path.size() - 1).equals("*");
        List<Map.Entry<String, Map<?, ?>>> children = new ArrayList<>();
        Map<String, RawConfig.Value> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (v instanceof Map<?, ?> child && sectionSafe(key)) {
                children.add(Map.entry(key, child));
                continue;
            }
            Location where = new Location(raw.source, 0, name, key);
            if (!keySafe(key)) {
                throw new ConfigException(where, "cannot write the key " + ConfigText.quote(key)
                        + ": keys may not contain '=', ':' or line breaks, start with '[', '#' or ';',"
                        + " or have spaces around them");
            }
            values.put(key, new RawConfig.Value(reuseOrEncode(path, key, v, original, where), where));
        }
        // confection writes no header for a "*" holder unless it has values of its own.
        if (!positional || !values.isEmpty() || children.isEmpty()) {
            RawConfig.Section s = raw.addSection(name, new Location(raw.source, 0, name, null));
            s.values.putAll(values);
        }
        for (Map.Entry<String, Map<?, ?>> c : children) {
            List<String> childPath = new ArrayList<>(path);
            childPath.add(c.getKey());
            section(raw, childPath, c.getValue(), original);
        }
    }

    private static String reuseOrEncode(List<String> path, String key, Object value, Config original, Location where) {
        if (original != null) {
            RawConfig.Value before = original.rawValue(String.join(".", path), key);
            List<String> full = new ArrayList<>(path);
            full.add(key);
            if (before != null && original.hasPath(full) && Objects.equals(original.valueAt(full), value)) {
                return before.text();
            }
        }
        return encode(value, where);
    }

    /** Whether a key can be a section name part: {@code [a.KEY]} must read back as that key. */
    static boolean sectionSafe(String key) {
        return !key.isEmpty() && key.equals(key.strip()) && key.indexOf('.') < 0 && key.indexOf(']') < 0
                && key.indexOf('\n') < 0 && key.indexOf('\r') < 0;
    }

    /** Whether a key can be written as {@code KEY = value} and read back unchanged. */
    static boolean keySafe(String key) {
        return !key.isEmpty() && key.equals(key.strip()) && key.indexOf('=') < 0 && key.indexOf(':') < 0
                && key.indexOf('\n') < 0 && key.indexOf('\r') < 0 && !key.startsWith("[")
                && !key.startsWith("#") && !key.startsWith(";");
    }
}
