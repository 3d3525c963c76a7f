package dev.thinj.model.registry;

import dev.thinj.model.config.Config;
import dev.thinj.model.config.ConfigException;
import dev.thinj.model.config.Location;
import dev.thinj.model.config.Suggest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Thinc's function registry: named, versioned functions in categories ({@code layers},
 * {@code optimizers}, {@code schedules}, {@code losses}, {@code initializers}, {@code datasets},
 * {@code ops}), which configs call with {@code @layers = "Relu.v1"}, and the two operations on a
 * config: {@link #resolve} builds the objects, {@link #fill} completes the config with defaults.
 *
 * <pre>{@code
 * Config config = Config.read(Path.of("config.cfg"), Overrides.fromArgs(args));
 * Resolved r = Registry.global().resolve(config);
 * Model<FloatArray, FloatArray> model = r.get("model", Model.class);
 * Optimizer optimizer = r.get("optimizer", Optimizer.class);
 * }</pre>
 *
 * <p>Every built-in of thinj is registered under Thinc's name, version, argument names and
 * defaults (so Thinc's configs work unchanged). Register your own functions with
 * {@link Registered} on a static method, then {@link #registerAll(Class)} or a
 * {@link FunctionLibrary} found by {@link ServiceLoader}. The registry is thread-safe.
 */
public final class Registry {
    /** Thinc's registries, in Thinc's order. */
    public static final List<String> THINC_CATEGORIES =
            List.of("optimizers", "schedules", "layers", "losses", "initializers", "datasets", "ops");

    private final Map<String, Map<String, RegisteredFunction>> functions = new ConcurrentSkipListMap<>();

    private Registry() {
    }

    private static volatile Registry global;

    /** @return a registry with Thinc's categories and no functions */
    public static Registry empty() {
        Registry r = new Registry();
        for (String c : THINC_CATEGORIES) {
            r.addCategory(c);
        }
        return r;
    }

    /** @return a new registry with Thinc's categories and thinj's built-ins only (no libraries) */
    public static Registry builtins() {
        Registry r = empty();
        Builtins.registerInto(r);
        return r;
    }

    /**
     * The registry configs use by default: the built-ins, plus every {@link FunctionLibrary} that
     * {@link ServiceLoader} finds on the class path (looked up once, on first use). Functions
     * registered on it later are seen by every later resolve.
     *
     * @return the process-wide registry
     */
    public static Registry global() {
        Registry r = global;
        if (r == null) {
            synchronized (Registry.class) {
                // Not a holder class: a broken library must fail every call with its message, not
                // once with ExceptionInInitializerError and then with NoClassDefFoundError.
                if (global == null) {
                    global = discover();
                }
                r = global;
            }
        }
        return r;
    }

    private static Registry discover() {
        Registry r = builtins();
        try {
            for (FunctionLibrary library : ServiceLoader.load(FunctionLibrary.class)) {
                try {
                    r.registerLibrary(library);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("cannot register the functions of " + library.getClass().getName()
                            + ": " + e.getMessage(), e);
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a FunctionLibrary listed in META-INF/services could not be loaded: "
                    + e.getMessage(), e);
        }
        return r;
    }

    /** @return an independent copy, to add functions without touching this registry */
    public Registry copy() {
        Registry r = new Registry();
        for (Map.Entry<String, Map<String, RegisteredFunction>> e : functions.entrySet()) {
            r.functions.put(e.getKey(), new ConcurrentSkipListMap<>(e.getValue()));
        }
        return r;
    }

    // ---- registering ----------------------------------------------------------------------------

    /**
     * Adds a category, as Thinc's {@code registry.create("visualizers")}; configs then use
     * {@code @visualizers = "..."}.
     *
     * @param category the new category's name
     * @return this registry
     * @throws IllegalArgumentException if it exists
     */
    public Registry addCategory(String category) {
        if (functions.putIfAbsent(category, new ConcurrentSkipListMap<>()) != null) {
            throw new IllegalArgumentException("registry \"" + category + "\" already exists");
        }
        return this;
    }

    /**
     * Registers every {@link Registered} static method of a class (its categories must exist; see
     * {@link FunctionLibrary#categories()}).
     *
     * @param library the class
     * @return this registry
     * @throws IllegalArgumentException if a declaration is incomplete or the class has none
     */
    public Registry registerAll(Class<?> library) {
        List<RegisteredFunction> found = new ArrayList<>();
        for (Method m : library.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Registered.class)) {
                found.add(RegisteredFunction.fromMethod(m));
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(library.getName() + " has no @Registered methods");
        }
        for (RegisteredFunction fn : found) {
            register(fn);
        }
        return this;
    }

    private void registerLibrary(FunctionLibrary library) {
        for (String c : library.categories()) {
            functions.putIfAbsent(c, new ConcurrentSkipListMap<>());
        }
        registerAll(library.getClass());
    }

    /**
     * Registers one function, replacing any of the same name (as Thinc does).
     *
     * @param fn the function
     * @return this registry
     * @throws IllegalArgumentException if its category does not exist
     */
    public Registry register(RegisteredFunction fn) {
        Map<String, RegisteredFunction> category = functions.get(fn.registry());
        if (category == null) {
            throw new IllegalArgumentException(fn.origin() + ": there is no registry \"" + fn.registry() + "\""
                    + Suggest.didYouMean(fn.registry(), functions.keySet())
                    + " (add new ones with addCategory, or FunctionLibrary.categories())");
        }
        category.put(fn.name(), fn);
        return this;
    }

    // ---- looking up --------------------------------------------------------------------------------

    /** @return the categories, sorted */
    public SortedSet<String> categories() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(functions.keySet()));
    }

    /**
     * @param category a category
     * @return its function names, sorted (empty for an unknown category)
     */
    public SortedSet<String> names(String category) {
        Map<String, RegisteredFunction> c = functions.get(category);
        return c == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(c.keySet()));
    }

    /**
     * @param category a category
     * @param name a function name
     * @return whether it is registered
     */
    public boolean has(String category, String name) {
        Map<String, RegisteredFunction> c = functions.get(category);
        return c != null && c.containsKey(name);
    }

    /**
     * @param category a category, such as {@code "layers"}
     * @param name a function name, such as {@code "Relu.v1"}
     * @return the function
     * @throws ConfigException naming the closest names when it is not registered
     */
    public RegisteredFunction get(String category, String name) {
        return lookup(category, name, Location.UNKNOWN);
    }

    RegisteredFunction lookup(String category, String name, Location where) {
        Map<String, RegisteredFunction> c = functions.get(category);
        if (c == null) {
            throw new ConfigException(where, "unknown registry \"" + category + "\""
                    + Suggest.didYouMean(category, functions.keySet())
                    + " (registries: " + String.join(", ", functions.keySet()) + ")");
        }
        RegisteredFunction fn = c.get(name);
        if (fn == null) {
            List<String> close = Suggest.closest(name, c.keySet(), 3);
            throw new ConfigException(where, "no function \"" + name + "\" in registry \"" + category + "\""
                    + (close.isEmpty()
                            ? " (registered: " + (c.isEmpty() ? "none" : String.join(", ", c.keySet())) + ")"
                            : "; did you mean " + String.join(", ", close) + "?"));
        }
        return fn;
    }

    // ---- configs -----------------------------------------------------------------------------------

    /**
     * Builds the objects a config describes, bottom-up, as Thinc's {@code registry.resolve}: each
     * block's arguments are resolved, checked against the function's parameters (names, types,
     * defaults) and passed to it; its result replaces the block. Other values stay as they are.
     *
     * @param config the config (apply overrides first, with {@link Config#withOverrides})
     * @return the resolved tree, with the filled config
     * @throws ConfigException naming the file, line, section and key of the first mistake
     */
    public Resolved resolve(Config config) {
        Resolver.Outcome o = Resolver.run(this, config, true, null);
        return new Resolved(o.resolved(), config, o.filled());
    }

    /**
     * Resolves a config whose top-level sections are described by a record, as Thinc's
     * {@code registry.resolve(config, schema=...)}: each component is a section (a nested record, a
     * map, or the result of a block), named by its {@link Arg} or its component name; sections the
     * record lacks are errors, and missing components take their defaults.
     *
     * @param config the config
     * @param schema the record type
     * @param <T> the record type
     * @return the record, built from the resolved sections
     */
    public <T extends Record> T resolve(Config config, Class<T> schema) {
        return schema.cast(Resolver.run(this, config, true, schema).schema());
    }

    /**
     * Completes a config with the defaults of every function it calls, as Thinc's
     * {@code registry.fill}, without calling them. Values the config gives are kept as written
     * (variables included); defaults are added after them, in the function's parameter order. Types
     * are checked where they can be without calling functions.
     *
     * @param config the config
     * @return the filled config
     * @throws ConfigException for an unknown function, or a missing, unexpected or ill-typed argument
     */
    public Config fill(Config config) {
        return config.withValues(Resolver.run(this, config, false, null).filled());
    }

    /**
     * Fills a config, also completing its top-level sections with a schema record's defaults, as
     * Thinc's {@code registry.fill(config, schema=...)}.
     *
     * @param config the config
     * @param schema a record describing the top-level sections
     * @return the filled config
     */
    public Config fill(Config config, Class<? extends Record> schema) {
        return config.withValues(Resolver.run(this, config, false, schema).filled());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Registry{");
        for (Map.Entry<String, Map<String, RegisteredFunction>> e : functions.entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue().size()).append(' ');
        }
        return sb.toString().strip() + "}";
    }
}
