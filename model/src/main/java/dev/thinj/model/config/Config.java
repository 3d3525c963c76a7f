package dev.thinj.model.config;

import dev.thinj.model.serialize.AtomicFiles;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A config in Thinc's format (the "confection" format of Thinc 8 and spaCy 3), read unchanged:
 *
 * <pre>
 * [hyper_params]
 * width = 512
 *
 * [model]
 * &#64;layers = "Relu.v1"
 * nO = ${hyper_params.width}
 *
 * [optimizer]
 * &#64;optimizers = "Adam.v1"
 *
 * [optimizer.learn_rate]
 * &#64;schedules = "warmup_linear.v1"
 * initial_rate = 2e-5
 * warmup_steps = 1000
 * total_steps = 10000
 * </pre>
 *
 * <p>Sections with dotted names nest; values are JSON (text that is not JSON, such as
 * {@code Adam.v1} unquoted, is a string); {@code ${section.key}} inserts another value and
 * {@code ${section}} a whole section; {@code [model.*.name]} sections are positional arguments; a
 * block with an {@code @registry = "name.vN"} key is a call of a registered function, made by
 * {@link dev.thinj.model.registry.Registry#resolve}. The exact rules are those of Python's
 * configparser and of confection (see the package description).
 *
 * <p>A config is immutable. It holds the tree of values (interpolation done) and the text each value
 * was written with, so {@link #toString()} writes the config back with its variables, and re-reading
 * that text gives an equal config. Every value remembers where it came from ({@link #location}),
 * and every error is a {@link ConfigException} that says where.
 */
public final class Config {
    /** The largest config file read: configs are a few kilobytes, and a huge file is surely another. */
    static final long MAX_FILE_BYTES = 64L << 20;

    private final RawConfig raw;
    private final Map<String, Object> tree;
    private final Map<List<String>, Location> locations;

    private Config(RawConfig raw) {
        Interpreter.Result r = Interpreter.interpret(raw);
        this.raw = raw;
        this.tree = r.tree();
        this.locations = r.locations();
    }

    // ---- reading ------------------------------------------------------------------------------------

    /**
     * @param text config text
     * @return the config
     * @throws ConfigException for a syntax error (with its line) or a bad interpolation
     */
    public static Config parse(String text) {
        return parse(text, "<string>");
    }

    /**
     * @param text config text
     * @param source the name errors give for it, such as a file name
     * @return the config
     * @throws ConfigException naming the source, the line and what is wrong: a syntax error, a section
     *     nested too deep, or an interpolation that points nowhere, cycles or multiplies
     */
    public static Config parse(String text, String source) {
        return new Config(ConfigText.parse(text, source));
    }

    /**
     * Parses with overrides applied before interpolation, as Thinc's
     * {@code Config().from_str(text, overrides=...)}: a variable that refers to an overridden value
     * sees the override.
     *
     * @param text config text
     * @param source the name errors give for it
     * @param overrides dotted keys ({@code "training.batch_size"}) to values; see {@link #withOverrides}
     * @return the config
     */
    public static Config parse(String text, String source, Map<String, ?> overrides) {
        return parse(text, source).withOverrides(overrides);
    }

    /**
     * @param path a config file (UTF-8)
     * @return the config; errors name the file
     * @throws ConfigException if the file cannot be read or is not a valid config
     */
    public static Config read(Path path) {
        return read(path, Map.of());
    }

    /**
     * @param path a config file (UTF-8)
     * @param overrides dotted keys to values, applied before interpolation (see {@link #withOverrides})
     * @return the config
     * @throws ConfigException naming the file if it cannot be read, is not UTF-8, is over 64 MiB, or is
     *     not a valid config
     */
    public static Config read(Path path, Map<String, ?> overrides) {
        String text;
        try {
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(new Location(path.toString(), 0, null, null), "the file holds " + size
                        + " bytes, more than a config can (" + MAX_FILE_BYTES + "): is it the right file?");
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                // A byte-order mark some editors write; Python would read it as part of the first header.
                text = text.substring(1);
            }
        } catch (IOException e) {
            throw new ConfigException(new Location(path.toString(), 0, null, null), unreadable(path, e), e);
        }
        return parse(text, path.toString()).withOverrides(overrides);
    }

    /** @return why a config file could not be read, in words a user can act on */
    private static String unreadable(Path path, IOException e) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file";
        } else if (Files.isDirectory(path)) {
            why = "it is a directory, not a file";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof CharacterCodingException) {
            why = "it is not UTF-8 text (a config is text: [section] headers and key = value lines)";
        } else {
            why = e.toString();
        }
        return "cannot read the config: " + why;
    }

    /**
     * Builds a config from a tree, as Thinc's {@code Config(dict)}: each top-level value must be a
     * map (a section); nested maps are subsections.
     *
     * @param tree sections of JSON-like values: null, booleans, numbers, strings, lists and maps
     * @return the config
     * @throws ConfigException if a value cannot be written in the format (such as NaN or an object)
     */
    public static Config of(Map<String, ?> tree) {
        return fromTree(tree, null);
    }

    private static Config fromTree(Map<String, ?> tree, Config original) {
        String source = original == null ? null : original.raw.source;
        Config out = new Config(ConfigWriter.layout(tree, source, original));
        if (!Objects.equals(out.tree, normalized(tree))) {
            // A kept variable now reads differently (the value it points to changed): write values.
            out = new Config(ConfigWriter.layout(tree, source, null));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalized(Map<String, ?> tree) {
        return (Map<String, Object>) JsonValues.deepCopy(tree);
    }

    // ---- deriving -------------------------------------------------------------------------------------

    /**
     * Applies overrides as if they had been written in the text, then interpolates again, as Thinc's
     * {@code from_str(..., overrides=...)} and spaCy's {@code --section.key value} options:
     * {@code "training.batch_size" -> 64} sets key {@code batch_size} of section {@code [training]},
     * which must exist (the key need not). Variables that refer to an overridden value see the new
     * value. An override of a key that is a section ({@code "optimizer.learn_rate" -> 0.01} where
     * {@code [optimizer.learn_rate]} is a schedule block) replaces that section.
     *
     * @param overrides dotted keys to values (JSON-like: numbers, strings, booleans, null, lists, maps)
     * @return a new config
     * @throws ConfigException naming the override when its section does not exist
     */
    public Config withOverrides(Map<String, ?> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        RawConfig copy = raw.copy();
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            String dotted = e.getKey();
            int dot = dotted.lastIndexOf('.');
            Location where = new Location("<override>", 0, dot < 0 ? null : dotted.substring(0, dot),
                    dot < 0 ? dotted : dotted.substring(dot + 1));
            if (dot < 0) {
                throw new ConfigException(where, "an override names a key inside a section, as "
                        + "\"section.key\"; got " + ConfigText.quote(dotted));
            }
            String section = dotted.substring(0, dot);
            String key = dotted.substring(dot + 1);
            RawConfig.Section s = copy.section(section);
            if (s == null) {
                throw new ConfigException(where, "cannot override " + dotted + ": there is no section ["
                        + section + "]" + Suggest.didYouMean(section, copy.sectionNames()));
            }
            for (String name : copy.sectionNames()) {
                if (name.equals(dotted) || name.startsWith(dotted + ".")) {
                    copy.removeSection(name);
                }
            }
            s.values.put(key, new RawConfig.Value(ConfigWriter.encode(JsonValues.deepCopy(e.getValue()), where), where));
        }
        return new Config(copy);
    }

    /**
     * A config holding {@code newTree}, written like this one wherever a value is unchanged (so its
     * variables survive), and as plain values elsewhere. {@link dev.thinj.model.registry.Registry#fill}
     * uses it to add defaults without losing {@code ${...}} references.
     *
     * @param newTree the values
     * @return the config
     */
    public Config withValues(Map<String, ?> newTree) {
        return fromTree(newTree, this);
    }

    /**
     * @return this config with every variable replaced by its value, as Thinc's {@code interpolate()}:
     *     its text has no {@code ${...}}
     */
    public Config interpolate() {
        return of(tree);
    }

    // ---- reading values -----------------------------------------------------------------------------

    /**
     * @param dottedPath keys from the top, joined by dots, such as {@code "training.batch_size"}
     * @return a copy of the value there (maps for sections)
     * @throws ConfigException if there is no such value
     */
    public Object get(String dottedPath) {
        return get(split(dottedPath));
    }

    /**
     * @param path keys from the top (for keys that contain dots)
     * @return a copy of the value there
     * @throws ConfigException if there is no such value
     */
    public Object get(List<String> path) {
        Object node = tree;
        for (int i = 0; i < path.size(); i++) {
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(path.get(i))) {
                List<String> known = node instanceof Map<?, ?> mm ? keys(mm) : List.of();
                String at = String.join(".", path.subList(0, i));
                throw new ConfigException(location(path.subList(0, i)), "no value " + String.join(".", path)
                        + (at.isEmpty() ? "" : ": [" + at + "] has no key \"" + path.get(i) + "\"")
                        + Suggest.didYouMean(path.get(i), known));
            }
            node = m.get(path.get(i));
        }
        return JsonValues.deepCopy(node);
    }

    /**
     * @param dottedPath keys joined by dots
     * @return whether a value is there
     */
    public boolean has(String dottedPath) {
        return hasPath(split(dottedPath));
    }

    boolean hasPath(List<String> path) {
        Object node = tree;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(key)) {
                return false;
            }
            node = m.get(key);
        }
        return true;
    }

    Object valueAt(List<String> path) {
        Object node = tree;
        for (String key : path) {
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }

    RawConfig.Value rawValue(String section, String key) {
        RawConfig.Section s = raw.section(section);
        return s == null ? null : s.values.get(key);
    }

    /** @return a deep copy of the whole tree: sections as maps, in order */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toMap() {
        return (Map<String, Object>) JsonValues.deepCopy(tree);
    }

    /**
     * Where a value came from: its key's line, or for a section its header; for a value inside an
     * inline JSON object or a copied section, the nearest place that was written down.
     *
     * @param path keys from the top
     * @return the location (never null)
     */
    public Location location(List<String> path) {
        for (int n = path.size(); n > 0; n--) {
            Location l = locations.get(path.subList(0, n));
            if (l != null) {
                // Below a key (an inline object, a copied section) the key is the nearest place written
                // down; below a section header, the first key under it names what is meant.
                return n == path.size() || l.key() != null ? l : l.withKey(path.get(n));
            }
        }
        return new Location(raw.source, 0, null, null);
    }

    /**
     * @param dottedPath keys joined by dots
     * @return where that value came from
     */
    public Location location(String dottedPath) {
        return location(split(dottedPath));
    }

    /** @return the file name or {@code <string>} given when parsing, or null for a config built from a map */
    public String source() {
        return raw.source;
    }

    // ---- writing ------------------------------------------------------------------------------------

    /**
     * @return the config in Thinc's format, with its variables; parsing it gives an equal config
     */
    @Override
    public String toString() {
        return ConfigWriter.text(raw);
    }

    /**
     * Writes the config, atomically: to a temporary file beside {@code path}, then moved over it.
     *
     * @param path the file to write
     * @throws ConfigException if it cannot be written
     */
    public void write(Path path) {
        try {
            // AtomicFiles, not Files.createTempFile: the file gets the user's umask, not owner-only access.
            AtomicFiles.write(path, toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(new Location(path.toString(), 0, null, null), "cannot write the config: " + e);
        }
    }

    /** Two configs are equal when their trees are: same sections, keys and values. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Config c && tree.equals(c.tree);
    }

    @Override
    public int hashCode() {
        return tree.hashCode();
    }

    private static List<String> split(String dottedPath) {
        return dottedPath.isEmpty() ? List.of() : Arrays.asList(dottedPath.split("\\.", -1));
    }

    private static List<String> keys(Map<?, ?> m) {
        List<String> out = new ArrayList<>();
        for (Object k : m.keySet()) {
            out.add(String.valueOf(k));
        }
        return Collections.unmodifiableList(out);
    }
}
