package dev.thinj.model.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config as written: sections in order, each with its keys and their raw value text, before
 * interpolation and JSON parsing. A {@link Config} keeps it beside the parsed tree, so that writing
 * the config back keeps {@code ${...}} variables and overrides can be interpolated like file text.
 */
final class RawConfig {
    /** One raw value: its text as written (continuation lines joined by newlines) and where. */
    record Value(String text, Location location) {
    }

    /** One section: its dotted name, where its header is, and its keys in order. */
    static final class Section {
        final String name;
        final Location location;
        final Map<String, Value> values = new LinkedHashMap<>();

        Section(String name, Location location) {
            this.name = name;
            this.location = location;
        }
    }

    final String source;
    private final Map<String, Section> sections = new LinkedHashMap<>();

    RawConfig(String source) {
        this.source = source;
    }

    Section section(String name) {
        return sections.get(name);
    }

    Section addSection(String name, Location location) {
        Section s = new Section(name, location);
        sections.put(name, s);
        return s;
    }

    void removeSection(String name) {
        sections.remove(name);
    }

    Collection<Section> sections() {
        return sections.values();
    }

    List<String> sectionNames() {
        return new ArrayList<>(sections.keySet());
    }

    RawConfig copy() {
        RawConfig out = new RawConfig(source);
        for (Section s : sections.values()) {
            out.addSection(s.name, s.location).values.putAll(s.values);
        }
        return out;
    }
}
