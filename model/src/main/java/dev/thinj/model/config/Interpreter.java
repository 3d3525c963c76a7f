package dev.thinj.model.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns raw sections into the config tree, as confection does: {@code [a.b]} nests {@code b} inside
 * {@code a} (the parent must exist, except for {@code *} parts), values are interpolated and then
 * read as JSON (text that is not JSON stays a string), and {@code ${section}} references are replaced
 * by a copy of that section.
 *
 * <p>Interpolation follows confection's {@code CustomInterpolation} exactly, because it works on the
 * value text rather than on parsed values: a value that is one JSON string is unquoted first
 * ({@code "en"} becomes {@code en}; {@code "0.2"} therefore becomes the number 0.2, as in Thinc),
 * {@code ${sec.key}} and {@code ${sec:key}} insert the referenced value's text (interpolated in
 * turn, at most 10 deep), {@code ${key}} refers to a key of the same section, {@code $$} is a dollar
 * sign, and any other {@code $} is an error. A reference to a whole section inserts the section when
 * it is the whole value or a list item, and is an error inside a string.
 */
final class Interpreter {
    /** The interpreted tree and where each node came from. */
    record Result(Map<String, Object> tree, Map<List<String>, Location> locations) {
    }

    private static final int MAX_DEPTH = 10;
    /**
     * The most {@code ${...}} references one config may expand, counting a reference each time it is
     * reached. References may multiply (a value holding ten references to a value holding ten ...),
     * which Python would follow until memory ran out; real configs expand a few dozen.
     */
    static final int MAX_EXPANSIONS = 10_000;
    /** The longest a value may grow by interpolation, in characters. */
    static final int MAX_VALUE_CHARS = 1 << 22;
    /** The most values and sections whole-section references may copy into one config. */
    static final int MAX_COPIED_NODES = 100_000;
    private static final Set<String> KEEP_QUOTED = Set.of("true", "false", "null");
    private static final Pattern KEY = Pattern.compile("\\$\\{([^}]+)}");
    /** Marks a whole-section reference until every section is read; cannot occur in config text. */
    private static final String SECTION_MARK = "\u0000section:";

    private final RawConfig raw;
    private final Map<String, Object> tree = new LinkedHashMap<>();
    private final Map<List<String>, Location> locations = new HashMap<>();
    private final Map<String, String> prepared = new HashMap<>();
    private int expansions;
    private int copiedNodes;

    private Interpreter(RawConfig raw) {
        this.raw = raw;
    }

    static Result interpret(RawConfig raw) {
        return new Interpreter(raw).run();
    }

    private Result run() {
        RawConfig.Section defaults = raw.section("DEFAULT");
        if (defaults != null && !defaults.values.isEmpty()) {
            String key = defaults.values.keySet().iterator().next();
            throw new ConfigException(defaults.values.get(key).location(),
                    "values in [DEFAULT] would be copied into every section, which Thinc's format forbids;"
                            + " put them in a named section");
        }
        List<RawConfig.Section> sections = new ArrayList<>(raw.sections());
        sections.removeIf(s -> s.name.equals("DEFAULT"));
        // Parents before children, as confection does; a stable sort keeps file order otherwise.
        sections.sort(Comparator.comparingInt(s -> path(s.name).size()));
        for (RawConfig.Section s : sections) {
            // A section's values go in before any deeper section, so [a.x] after "x = 1" in [a] conflicts.
            Map<String, Object> node = sectionNode(s);
            for (Map.Entry<String, RawConfig.Value> e : s.values.entrySet()) {
                List<String> p = new ArrayList<>(path(s.name));
                p.add(e.getKey());
                locations.put(p, e.getValue().location());
                node.put(e.getKey(), value(s, e.getKey(), e.getValue()));
            }
        }
        replaceSectionRefs(tree, new ArrayDeque<>());
        return new Result(tree, locations);
    }

    static List<String> path(String sectionName) {
        return Arrays.asList(sectionName.split("\\.", -1));
    }

    private Map<String, Object> sectionNode(RawConfig.Section s) {
        List<String> parts = path(s.name);
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.size() - 1; i++) {
            String part = parts.get(i);
            Object child = node.get(part);
            if (child == null && !node.containsKey(part)) {
                if (!part.equals("*")) {
                    String parent = String.join(".", parts.subList(0, i + 1));
                    throw new ConfigException(s.location, "section [" + s.name + "] is inside [" + parent
                            + "], which is not defined" + Suggest.didYouMean(parent, raw.sectionNames()));
                }
                child = new LinkedHashMap<String, Object>();
                node.put(part, child);
                locations.putIfAbsent(List.copyOf(parts.subList(0, i + 1)), s.location);
            }
            node = asSection(child, s, parts.subList(0, i + 1));
        }
        String last = parts.get(parts.size() - 1);
        Object existing = node.get(last);
        if (existing == null && !node.containsKey(last)) {
            existing = new LinkedHashMap<String, Object>();
            node.put(last, existing);
        }
        locations.put(List.copyOf(parts), s.location);
        return asSection(existing, s, parts);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asSection(Object node, RawConfig.Section s, List<String> at) {
        if (node instanceof Map<?, ?>) {
            return (Map<String, Object>) node;
        }
        String owner = String.join(".", at.subList(0, at.size() - 1));
        throw new ConfigException(s.location, "section [" + s.name + "] conflicts with the value "
                + at.get(at.size() - 1) + " = " + JsonValues.describe(node)
                + (owner.isEmpty() ? "" : " in [" + owner + "]") + ": a key is either a value or a section");
    }

    // ---- one value ------------------------------------------------------------------------------

    private Object value(RawConfig.Section s, String key, RawConfig.Value v) {
        int[] refs = {0};
        String text = interpolate(s.name, key, prepared(s, key), 1, v.location(), refs);
        Object value = JsonValues.tryParse(text);
        if (value == JsonValues.NOT_JSON) {
            value = text;
        }
        if (refs[0] > 0 && countMarks(value) != refs[0]) {
            throw new ConfigException(v.location(), "a whole section is referenced inside a string: "
                    + ConfigText.quote(v.text()) + ". A section reference must be the whole value or a list"
                    + " item; to use one value of the section, reference ${section.key}");
        }
        return value;
    }

    /** The value text after confection's {@code before_read}: one JSON string is unquoted. */
    private String prepared(RawConfig.Section s, String key) {
        return prepared.computeIfAbsent(s.name + "\u0000" + key, k -> {
            String text = s.values.get(key).text();
            Object json = JsonValues.tryParse(text);
            if (json instanceof String str && !KEEP_QUOTED.contains(str)) {
                return str;
            }
            return text;
        });
    }

    private String interpolate(String section, String key, String rest, int depth, Location where, int[] refs) {
        if (depth > MAX_DEPTH) {
            throw new ConfigException(where, "interpolation nested more than " + MAX_DEPTH
                    + " deep while reading [" + section + "] " + key + ": do the references form a cycle?");
        }
        StringBuilder out = new StringBuilder();
        while (!rest.isEmpty()) {
            int p = rest.indexOf('$');
            if (p < 0) {
                out.append(rest);
                break;
            }
            out.append(rest, 0, p);
            rest = rest.substring(p);
            char c = rest.length() > 1 ? rest.charAt(1) : 0;
            if (c == '$') {
                out.append('$');
                rest = rest.substring(2);
            } else if (c == '{') {
                Matcher m = KEY.matcher(rest);
                if (!m.lookingAt()) {
                    throw new ConfigException(where, "bad variable reference " + ConfigText.quote(rest)
                            + ": write ${section.key}, or $$ for a dollar sign");
                }
                String variable = m.group(1);
                rest = rest.substring(m.end());
                if (++expansions > MAX_EXPANSIONS) {
                    throw new ConfigException(where, "references expand more than " + MAX_EXPANSIONS
                            + " times while reading [" + section + "] " + key
                            + ": do values reference values that reference others many times over?");
                }
                out.append(reference(section, key, variable, depth, where, refs));
                if (out.length() > MAX_VALUE_CHARS) {
                    throw new ConfigException(where, "interpolation makes [" + section + "] " + key
                            + " longer than " + MAX_VALUE_CHARS + " characters: do the references multiply?");
                }
            } else {
                throw new ConfigException(where, "'$' must be followed by '$' or '{', found "
                        + ConfigText.quote(rest) + " (write $$ for a dollar sign)");
            }
        }
        return out.toString();
    }

    private String reference(String section, String key, String variable, int depth, Location where, int[] refs) {
        String dotted = variable.replace(':', '.');
        int dot = dotted.lastIndexOf('.');
        RawConfig.Section target;
        String option;
        if (dot < 0) {
            // ${name}: a key of the same section, else a top-level section.
            target = raw.section(section);
            option = dotted;
            if (target == null || !target.values.containsKey(option)) {
                return sectionRef(dotted, variable, where, refs);
            }
        } else {
            target = raw.section(dotted.substring(0, dot));
            option = dotted.substring(dot + 1);
            if (target == null || !target.values.containsKey(option)) {
                return sectionRef(dotted, variable, where, refs);
            }
        }
        String text = prepared(target, option);
        if (text.indexOf('$') >= 0) {
            return interpolate(target.name, option, text, depth + 1, where, refs);
        }
        return text;
    }

    private String sectionRef(String name, String variable, Location where, int[] refs) {
        if (raw.section(name) == null || name.equals("DEFAULT")) {
            throw new ConfigException(where, pointsNowhere(name, variable));
        }
        refs[0]++;
        // A JSON string, so that the reference also works as a list item.
        return JsonValues.write(SECTION_MARK + name);
    }

    private String pointsNowhere(String name, String variable) {
        int dot = name.lastIndexOf('.');
        StringBuilder sb = new StringBuilder("${" + variable + "} points nowhere: ");
        if (dot < 0) {
            sb.append("there is no key \"").append(name).append("\" in this section and no section [")
                    .append(name).append(']').append(Suggest.didYouMean(name, raw.sectionNames()));
            return sb.toString();
        }
        String sect = name.substring(0, dot);
        String option = name.substring(dot + 1);
        RawConfig.Section s = raw.section(sect);
        if (s == null) {
            sb.append("there is no section [").append(sect).append(']')
                    .append(Suggest.didYouMean(sect, raw.sectionNames()));
        } else {
            List<String> candidates = new ArrayList<>(s.values.keySet());
            sb.append("[").append(sect).append("] has no key \"").append(option).append("\" and there is no section [")
                    .append(name).append(']').append(Suggest.didYouMean(option, candidates));
        }
        return sb.toString();
    }

    // ---- whole-section references -------------------------------------------------------------------

    private static int countMarks(Object value) {
        if (value instanceof String s) {
            return s.startsWith(SECTION_MARK) ? 1 : 0;
        }
        int n = 0;
        if (value instanceof List<?> l) {
            for (Object v : l) {
                n += countMarks(v);
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                n += countMarks(v);
            }
        }
        return n;
    }

    /** @return the values and sections in a tree, counting no further than {@code limit} */
    private static int countNodes(Object value, int limit) {
        int n = 1;
        if (value instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                if (n > limit) {
                    break;
                }
                n += countNodes(v, limit - n);
            }
        } else if (value instanceof List<?> l) {
            for (Object v : l) {
                if (n > limit) {
                    break;
                }
                n += countNodes(v, limit - n);
            }
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private Object replaceSectionRefs(Object value, Deque<String> expanding) {
        if (value instanceof String s && s.startsWith(SECTION_MARK)) {
            String name = s.substring(SECTION_MARK.length());
            if (expanding.contains(name)) {
                throw new ConfigException(raw.section(name).location, "section [" + name
                        + "] contains a reference to itself (through " + String.join(" -> ", expanding) + ")");
            }
            Object target = tree;
            for (String part : path(name)) {
                target = ((Map<String, Object>) target).get(part);
            }
            copiedNodes += countNodes(target, MAX_COPIED_NODES - copiedNodes + 1);
            if (copiedNodes > MAX_COPIED_NODES) {
                throw new ConfigException(raw.section(name).location, "references to section [" + name
                        + "] and others copy more than " + MAX_COPIED_NODES
                        + " values: do sections reference sections that reference others many times over?");
            }
            expanding.push(name);
            Object copy = replaceSectionRefs(JsonValues.deepCopy(target), expanding);
            expanding.pop();
            return copy;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                e.setValue(replaceSectionRefs(e.getValue(), expanding));
            }
        } else if (value instanceof List<?> l) {
            List<Object> list = (List<Object>) l;
            for (int i = 0; i < list.size(); i++) {
                list.set(i, replaceSectionRefs(list.get(i), expanding));
            }
        }
        return value;
    }
}
