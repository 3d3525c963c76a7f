package dev.thinj.model.registry;

import dev.thinj.model.DimensionException;
import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.config.JsonValues;
import dev.thinj.model.config.Location;
import dev.thinj.model.config.Suggest;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a config tree bottom-up, as confection's {@code registry._fill}: every block with an
 * {@code @registry} key is a call of a registered function, made after its arguments (nested blocks
 * first). It builds two trees at once: the filled config (every block completed with its functions'
 * defaults, blocks left as blocks) and, when resolving, the resolved config (blocks replaced by what
 * their functions returned, {@code *} sections by lists).
 *
 * <p>Lists are values, not walked: a block inside a list is left as a map, as in Thinc.
 */
final class Resolver {
    /** The filled form of a node and, when resolving, its resolved form. */
    private record Node(Object filled, Object resolved) {
    }

    /**
     * What a walk produces.
     *
     * @param filled the filled tree
     * @param resolved the resolved tree, or null when only filling
     * @param schema the schema record built from the resolved tree, or null
     */
    record Outcome(Map<String, Object> filled, Map<String, Object> resolved, Object schema) {
    }

    private final Registry registry;
    private final Config config;
    private final boolean resolve;

    private Resolver(Registry registry, Config config, boolean resolve) {
        this.registry = registry;
        this.config = config;
        this.resolve = resolve;
    }

    /**
     * @param registry where to find functions
     * @param config the config
     * @param resolve call the functions (false: only fill and check)
     * @param schema a record whose components are the top-level sections, or null
     * @return the filled tree, and the resolved tree and schema record when resolving
     */
    static Outcome run(Registry registry, Config config, boolean resolve, Class<?> schema) {
        Resolver r = new Resolver(registry, config, resolve);
        Map<String, Object> tree = config.toMap();
        Map<String, Object> filled = new LinkedHashMap<>();
        Map<String, Object> resolved = new LinkedHashMap<>();
        r.section(tree, List.of(), filled, resolved);
        Object record = schema == null ? null : r.checkRecord(filled, resolved, schema, List.of());
        return new Outcome(filled, resolve ? resolved : null, record);
    }

    private Location at(List<String> path) {
        return config.location(path);
    }

    private static List<String> child(List<String> path, String key) {
        List<String> out = new ArrayList<>(path);
        out.add(key);
        return out;
    }

    /** A plain section: its values are walked; a {@code *} map becomes a list when resolved. */
    private void section(Map<String, Object> node, List<String> path, Map<String, Object> filled,
            Map<String, Object> resolved) {
        for (Map.Entry<String, Object> e : node.entrySet()) {
            Node n = value(e.getValue(), child(path, e.getKey()));
            filled.put(e.getKey(), n.filled());
            resolved.put(e.getKey(), n.resolved());
        }
        if (resolved.get(Param.POSITIONAL) instanceof Map<?, ?> positional) {
            resolved.put(Param.POSITIONAL, new ArrayList<>(positional.values()));
        }
    }

    @SuppressWarnings("unchecked")
    private Node value(Object v, List<String> path) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> map = (Map<String, Object>) m;
            if (isBlock(map)) {
                return block(map, path);
            }
            Map<String, Object> filled = new LinkedHashMap<>();
            Map<String, Object> resolved = new LinkedHashMap<>();
            section(map, path, filled, resolved);
            return new Node(filled, resolved);
        }
        return new Node(v, v);
    }

    static boolean isBlock(Map<?, ?> map) {
        for (Object k : map.keySet()) {
            if (String.valueOf(k).startsWith("@")) {
                return true;
            }
        }
        return false;
    }

    // ---- a block: a call of a registered function -------------------------------------------------

    private Node block(Map<String, Object> map, List<String> path) {
        List<String> refs = new ArrayList<>();
        for (String k : map.keySet()) {
            if (k.startsWith("@")) {
                refs.add(k);
            }
        }
        if (refs.size() != 1) {
            throw new ConfigException(at(path), "a block calls one registered function, but this one has "
                    + String.join(" and ", refs));
        }
        String ref = refs.get(0);
        Location refAt = at(child(path, ref));
        if (!(map.get(ref) instanceof String name)) {
            throw new ConfigException(refAt, "expected the name of a registered function, such as \"Relu.v1\", got "
                    + JsonValues.describe(map.get(ref)));
        }
        RegisteredFunction fn = registry.lookup(ref.substring(1), name, refAt);

        // Arguments first (bottom-up): nested blocks are called before this one.
        Map<String, Object> filled = new LinkedHashMap<>();
        Map<String, Object> args = new LinkedHashMap<>();
        Map<String, Object> given = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (e.getKey().equals(ref)) {
                filled.put(ref, name);
                continue;
            }
            Node n = value(e.getValue(), child(path, e.getKey()));
            filled.put(e.getKey(), n.filled());
            args.put(e.getKey(), n.resolved());
            given.put(e.getKey(), e.getValue());
        }
        if (args.get(Param.POSITIONAL) instanceof Map<?, ?> sections) {
            // [block.*.name] sections are positional arguments in the order written.
            args.put(Param.POSITIONAL, new ArrayList<>(sections.values()));
        }
        // Like pydantic, report every problem of the block at once: parameters in order, then extras.
        List<ConfigException> problems = new ArrayList<>();
        List<Object> converted = new ArrayList<>();
        for (Param p : fn.params()) {
            try {
                if (p.positional()) {
                    converted.add(positional(p, args.get(p.name()), given.get(p.name()), path));
                    continue;
                }
                if (!args.containsKey(p.name())) {
                    if (p.required()) {
                        throw new ConfigException(at(path), name + ": missing argument \"" + p.name() + "\" ("
                                + name + " takes " + ArgConverter.names(fn) + ")");
                    }
                    // Defaults complete the block, in the function's parameter order (as confection's fill).
                    filled.put(p.name(), JsonValues.deepCopy(p.defaultValue()));
                    args.put(p.name(), JsonValues.deepCopy(p.defaultValue()));
                }
                converted.add(argument(p, args, filled, given.get(p.name()), child(path, p.name())));
            } catch (ConfigException e) {
                problems.addAll(e.all());
            }
        }
        problems.addAll(unexpected(fn, args, path, name));
        if (!problems.isEmpty()) {
            throw ConfigException.of(problems);
        }
        if (!resolve) {
            return new Node(filled, null);
        }
        try {
            return new Node(filled, fn.call(converted));
        } catch (ConfigException e) {
            throw e;
        } catch (DimensionException e) {
            throw dimension(e, fn, given, path, refAt, name);
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new ConfigException(refAt, name + " failed: " + why, e);
        }
    }

    /**
     * A layer refused a width: point at the config line that gave it (with the value as written) when
     * the block set that argument, else at the block.
     */
    private ConfigException dimension(DimensionException e, RegisteredFunction fn, Map<String, Object> given,
            List<String> path, Location refAt, String name) {
        if (fn.param(e.dim()) != null && given.containsKey(e.dim())) {
            return new ConfigException(at(child(path, e.dim())), name + ": " + e.problem(), e);
        }
        return new ConfigException(refAt, name + ": " + e.getMessage(), e);
    }

    private List<ConfigException> unexpected(RegisteredFunction fn, Map<String, Object> args, List<String> path,
            String name) {
        List<String> names = new ArrayList<>();
        for (Param p : fn.params()) {
            if (!p.positional()) {
                names.add(p.name());
            }
        }
        List<ConfigException> out = new ArrayList<>();
        for (String key : args.keySet()) {
            if (key.equals(Param.POSITIONAL)) {
                if (fn.positional() == null) {
                    out.add(new ConfigException(at(child(path, key)), name
                            + " takes no positional arguments (\"*\"); it takes " + ArgConverter.names(fn)));
                }
            } else if (fn.param(key) == null) {
                out.add(new ConfigException(at(child(path, key)), "unexpected argument \"" + key + "\" for " + name
                        + Suggest.didYouMean(key, names) + " (" + name + " takes " + ArgConverter.names(fn) + ")"));
            }
        }
        return out;
    }

    private Object argument(Param p, Map<String, Object> args, Map<String, Object> filled, Object given,
            List<String> path) {
        Object v = args.get(p.name());
        if (ArgConverter.rawClass(p.type()).isRecord() && v instanceof Map<?, ?> && !(given instanceof Map<?, ?> g
                && isBlock(g))) {
            // A record-typed argument is a section checked like a block: complete it in the filled tree.
            Object rec = checkRecord(asMap(filled.get(p.name())), asMap(v), ArgConverter.rawClass(p.type()), path);
            return resolve ? rec : null;
        }
        if (!resolve && containsBlock(given)) {
            // Not resolving: a block's value is unknown, so it cannot be checked against the type.
            return null;
        }
        return convert(v, p.type(), p.nullable(), at(path), given);
    }

    /** Converts, naming the block a wrong value came from. */
    private static Object convert(Object v, Type type, boolean nullable, Location where, Object given) {
        try {
            return ArgConverter.convert(v, type, nullable, where);
        } catch (ConfigException e) {
            if (given instanceof Map<?, ?> g && isBlock(g)) {
                for (Map.Entry<?, ?> ref : g.entrySet()) {
                    if (String.valueOf(ref.getKey()).startsWith("@")) {
                        throw new ConfigException(e.location(), e.problem() + " (what " + ref.getKey() + " = \""
                                + ref.getValue() + "\" returns)");
                    }
                }
            }
            throw e;
        }
    }

    private Object positional(Param p, Object resolved, Object given, List<String> path) {
        List<String> base = child(path, Param.POSITIONAL);
        if (resolved == null) {
            return new ArrayList<>();
        }
        if (!(resolved instanceof List<?> items)) {
            throw new ConfigException(at(base), "positional arguments (\"*\") must be a list or [block.*.name]"
                    + " sections, got " + JsonValues.describe(resolved));
        }
        List<String> names = given instanceof Map<?, ?> m ? new ArrayList<>(asMap(m).keySet()) : null;
        Type element = p.type() instanceof ParameterizedType pt ? pt.getActualTypeArguments()[0] : Object.class;
        boolean anyObject = ArgConverter.rawClass(element) == Object.class;
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<String> itemPath = names != null ? child(base, names.get(i)) : base;
            Object itemGiven = names != null ? asMap(given).get(names.get(i)) : null;
            if (!resolve && containsBlock(itemGiven)) {
                out.add(null);
                continue;
            }
            Location where = at(itemPath);
            if (names == null) {
                where = where.withKey("*[" + i + "]");
            }
            out.add(convert(items.get(i), element, anyObject, where, itemGiven));
        }
        return out;
    }

    // ---- records: sections with a declared shape --------------------------------------------------

    /**
     * Checks a section against a record's components, adds the defaults to the filled section, and
     * when resolving builds the record.
     */
    private Object checkRecord(Map<String, Object> filled, Map<String, Object> resolved, Class<?> type,
            List<String> path) {
        RegisteredFunction sig = RegisteredFunction.forRecord(type);
        List<String> names = new ArrayList<>();
        for (Param p : sig.params()) {
            names.add(p.name());
        }
        for (String key : filled.keySet()) {
            if (sig.param(key) == null) {
                throw new ConfigException(at(child(path, key)), "unexpected key \"" + key + "\" for "
                        + type.getSimpleName() + Suggest.didYouMean(key, names) + " (it takes "
                        + ArgConverter.names(sig) + ")");
            }
        }
        List<Object> args = new ArrayList<>();
        for (Param p : sig.params()) {
            List<String> pPath = child(path, p.name());
            if (!filled.containsKey(p.name())) {
                if (p.required()) {
                    throw new ConfigException(at(path), type.getSimpleName() + ": missing key \"" + p.name()
                            + "\" (it takes " + ArgConverter.names(sig) + ")");
                }
                filled.put(p.name(), JsonValues.deepCopy(p.defaultValue()));
                if (resolved != null) {
                    resolved.put(p.name(), JsonValues.deepCopy(p.defaultValue()));
                }
            }
            Object v = resolved == null ? filled.get(p.name()) : resolved.get(p.name());
            if (ArgConverter.rawClass(p.type()).isRecord() && filled.get(p.name()) instanceof Map<?, ?> fm
                    && !isBlock(fm)) {
                args.add(checkRecord(asMap(fm), v instanceof Map<?, ?> vm ? asMap(vm) : null,
                        ArgConverter.rawClass(p.type()), pPath));
            } else if (!resolve && containsBlock(filled.get(p.name()))) {
                args.add(null);
            } else {
                args.add(ArgConverter.convert(v, p.type(), p.nullable(), at(pPath)));
            }
        }
        if (!resolve) {
            return null;
        }
        try {
            return sig.call(args);
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new ConfigException(at(path), type.getSimpleName() + " refused these values: " + why, e);
        }
    }

    private static boolean containsBlock(Object v) {
        if (v instanceof Map<?, ?> m) {
            if (isBlock(m)) {
                return true;
            }
            for (Object x : m.values()) {
                if (containsBlock(x)) {
                    return true;
                }
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object m) {
        return (Map<String, Object>) m;
    }
}
