package dev.thinj.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Config values as JSON, read and written with Jackson. A value is one of: {@code null},
 * {@link Boolean}, {@link Long} (or {@link BigInteger} beyond 64 bits), {@link Double},
 * {@link String}, {@link List} and {@link Map} (string keys, insertion-ordered), nested freely.
 *
 * <p>Reading is as lenient as the ujson parser Thinc's confection uses: leading zeros ({@code 007}),
 * a trailing decimal point ({@code 1.}) and raw control characters inside strings are accepted;
 * {@code NaN}, single quotes and trailing tokens are not.
 */
public final class JsonValues {
    /** Returned by {@link #tryParse} for text that is not JSON. */
    static final Object NOT_JSON = new Object();

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonValues() {
    }

    /**
     * @param text a config value's text
     * @return the JSON value it holds, or {@link #NOT_JSON}
     */
    static Object tryParse(String text) {
        if (text.isBlank()) {
            return NOT_JSON;
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? NOT_JSON : fromNode(node);
        } catch (JsonProcessingException e) {
            return NOT_JSON;
        }
    }

    /**
     * Parses JSON text, such as a registered function's default value.
     *
     * @param text JSON
     * @return the value
     * @throws IllegalArgumentException if the text is not JSON
     */
    public static Object parse(String text) {
        Object v = tryParse(text);
        if (v == NOT_JSON) {
            throw new IllegalArgumentException("not JSON: " + text);
        }
        return v;
    }

    private static Object fromNode(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return node.longValue();
            }
            return node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            for (JsonNode n : node) {
                out.add(fromNode(n));
            }
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), fromNode(e.getValue()));
        }
        return out;
    }

    /**
     * Writes a value as compact JSON ({@code [1,2]}, {@code {"a":1}}), as Thinc does.
     *
     * @param value a config value
     * @return its JSON text
     * @throws IllegalArgumentException for NaN, infinities, or objects that are not config values
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    private static void write(Object value, StringBuilder sb) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            sb.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d + "; a config cannot hold it");
            }
            sb.append(d);
        } else if (value instanceof CharSequence s) {
            try {
                sb.append(MAPPER.writeValueAsString(s.toString()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a string as JSON", e);
            }
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(list.get(i), sb);
            }
            sb.append(']');
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(String.valueOf(e.getKey()), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else {
            throw new IllegalArgumentException("a " + value.getClass().getSimpleName()
                    + " is not a config value (a config holds JSON values: numbers, strings, booleans, null,"
                    + " lists and sections)");
        }
    }

    /**
     * @param value a config value
     * @return a deep copy (maps and lists copied, leaves shared: they are immutable)
     */
    public static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), deepCopy(e.getValue()));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object v : list) {
                out.add(deepCopy(v));
            }
            return out;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }

    /**
     * Describes a value for an error message: strings quoted, short JSON for the rest, the class
     * name for objects that are not config values (the results of registered functions).
     *
     * @param value anything
     * @return a short description
     */
    public static String describe(Object value) {
        if (value instanceof Map<?, ?> m) {
            return "a section " + abbreviate(safeJson(m));
        }
        if (value instanceof List<?> l) {
            return "a list " + abbreviate(safeJson(l));
        }
        if (value == null || value instanceof Boolean || value instanceof Number || value instanceof String) {
            return abbreviate(safeJson(value));
        }
        String name = value.getClass().getSimpleName();
        return (startsWithVowel(name) ? "an " : "a ") + (name.isEmpty() ? value.getClass().getName() : name);
    }

    private static String safeJson(Object value) {
        try {
            return write(value);
        } catch (IllegalArgumentException e) {
            return String.valueOf(value);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    static boolean startsWithVowel(String s) {
        return !s.isEmpty() && "AEIOUaeiou".indexOf(s.charAt(0)) >= 0;
    }
}
