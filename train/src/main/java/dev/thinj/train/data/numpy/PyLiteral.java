package dev.thinj.train.data.numpy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python literal of a {@code .npy} header: a dict of string keys whose values are
 * strings, {@code True}/{@code False}/{@code None}, integers, and tuples or lists of those (as
 * {@code numpy.lib.format} writes it with {@code repr}). Values come back as {@link String},
 * {@link Boolean}, {@code null}, {@link Long} and {@link List}.
 */
final class PyLiteral {
    private final String text;
    private int at;

    private PyLiteral(String text) {
        this.text = text;
    }

    /**
     * @param text the header text
     * @return its dict
     * @throws IllegalArgumentException saying what was expected where, when it is not such a dict
     */
    static Map<String, Object> dict(String text) {
        PyLiteral p = new PyLiteral(text);
        Object value = p.value();
        p.space();
        if (p.at != text.length()) {
            throw p.error("the end of the header");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("the header is not a dict: " + shorten(text));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) map;
        return m;
    }

    private Object value() {
        space();
        if (at >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{' -> {
                return map();
            }
            case '(' -> {
                return sequence(')');
            }
            case '[' -> {
                return sequence(']');
            }
            case '\'', '"' -> {
                return string(c);
            }
            default -> {
                if (c == '-' || Character.isDigit(c)) {
                    return integer();
                }
                for (String word : new String[] {"True", "False", "None"}) {
                    if (text.startsWith(word, at)) {
                        at += word.length();
                        return word.equals("None") ? null : Boolean.valueOf(word.equals("True"));
                    }
                }
                throw error("a value");
            }
        }
    }

    private Map<String, Object> map() {
        at++;
        Map<String, Object> out = new LinkedHashMap<>();
        while (true) {
            space();
            if (peek('}')) {
                at++;
                return out;
            }
            Object key = value();
            if (!(key instanceof String k)) {
                throw error("a string key");
            }
            space();
            expect(':');
            out.put(k, value());
            space();
            if (peek(',')) {
                at++;
            } else if (!peek('}')) {
                throw error("',' or '}'");
            }
        }
    }

    private List<Object> sequence(char close) {
        at++;
        List<Object> out = new ArrayList<>();
        while (true) {
            space();
            if (peek(close)) {
                at++;
                return out;
            }
            out.add(value());
            space();
            if (peek(',')) {
                at++;
            } else if (!peek(close)) {
                throw error("',' or '" + close + "'");
            }
        }
    }

    private String string(char quote) {
        int start = ++at;
        while (at < text.length() && text.charAt(at) != quote) {
            if (text.charAt(at) == '\\') {
                throw error("a string without escapes");
            }
            at++;
        }
        if (at >= text.length()) {
            throw error("the closing " + quote);
        }
        return text.substring(start, at++);
    }

    private Long integer() {
        int start = at;
        if (peek('-')) {
            at++;
        }
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
            at++;
        }
        String digits = text.substring(start, at);
        // Python 2 wrote longs with an L suffix.
        if (peek('L')) {
            at++;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("an integer below 2^63");
        }
    }

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("'" + c + "'");
        }
        at++;
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("expected " + expected + " at character " + at + " of the header "
                + shorten(text));
    }

    private static String shorten(String s) {
        String t = s.strip();
        return t.length() <= 120 ? t : t.substring(0, 120) + "...";
    }
}
