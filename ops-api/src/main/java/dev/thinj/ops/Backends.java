package dev.thinj.ops;

import dev.thinj.ops.spi.OpsProvider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backend selection behind the static methods of {@link Ops}: finds providers, remembers which are
 * available, creates each backend once, and keeps the current backend per thread. The only mutable
 * state is the process default and the per-thread {@link Ops#use} stack.
 */
final class Backends {
    /** System property naming the default backend. */
    static final String PROPERTY = "thinj.ops";
    /** Environment variable naming the default backend when the property is unset. */
    static final String ENV = "THINJ_OPS";
    static final String AUTO = "auto";

    private static final class Holder {
        static final Backends SYSTEM = new Backends(loadProviders(), System.getProperty(PROPERTY), System.getenv(ENV));
    }

    private final List<OpsProvider> providers;
    private final String defaultFromProperty;
    private final String defaultFromEnv;
    private final Map<String, Boolean> availability = new ConcurrentHashMap<>();
    private final Map<String, Ops> instances = new ConcurrentHashMap<>();
    private final ThreadLocal<Deque<OpsScope>> scopes = ThreadLocal.withInitial(ArrayDeque::new);
    private volatile Ops processDefault;

    Backends(List<OpsProvider> providers, String defaultFromProperty, String defaultFromEnv) {
        List<OpsProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(OpsProvider::priority).reversed().thenComparing(OpsProvider::name));
        this.providers = List.copyOf(sorted);
        this.defaultFromProperty = defaultFromProperty;
        this.defaultFromEnv = defaultFromEnv;
    }

    private static List<OpsProvider> loadProviders() {
        List<OpsProvider> found = new ArrayList<>();
        ServiceLoader.load(OpsProvider.class, Backends.class.getClassLoader()).stream().forEach(p -> {
            try {
                found.add(p.get());
            } catch (Throwable t) {
                // A provider that cannot even be constructed is reported as unavailable, never fatal.
                found.add(new BrokenProvider(p.type().getName(), t));
            }
        });
        return found;
    }

    static Backends system() {
        return Holder.SYSTEM;
    }

    // ---- static entry points used by Ops ------------------------------------------------------

    static Ops get(String name) {
        return system().select(name);
    }

    static Ops current() {
        return system().currentOps();
    }

    static OpsScope use(Ops ops) {
        return system().push(ops);
    }

    static void restore(OpsScope scope) {
        system().pop(scope);
    }

    static boolean preferGpu() {
        return system().preferGpuBackend();
    }

    static Ops requireGpu() {
        return system().requireGpuBackend();
    }

    static List<BackendInfo> infos() {
        return system().backendInfos();
    }

    static String describe() {
        return system().table();
    }

    // ---- instance logic (tests build their own Backends with fake providers) -------------------

    Ops select(String name) {
        if (name == null || name.isBlank()) {
            throw new BackendUnavailableException("No backend name given. " + help());
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.equals(AUTO)) {
            for (OpsProvider p : providers) {
                if (available(p)) {
                    return instance(p);
                }
            }
            throw new BackendUnavailableException("No backend is available for 'auto'. " + help());
        }
        for (OpsProvider p : providers) {
            if (p.name().equalsIgnoreCase(key)) {
                if (!available(p)) {
                    throw new BackendUnavailableException("Backend '" + key + "' is not available: "
                            + p.unavailableReason() + ". " + help());
                }
                return instance(p);
            }
        }
        throw new BackendUnavailableException("No backend named '" + key + "' on the class path"
                + (key.equals("cuda") ? " (add dev.thinj:thinj-ops-cuda as a runtime dependency)" : "") + ". " + help());
    }

    Ops currentOps() {
        OpsScope top = scopes.get().peek();
        if (top != null) {
            return top.ops();
        }
        Ops d = processDefault;
        if (d == null) {
            synchronized (this) {
                if (processDefault == null) {
                    processDefault = select(defaultName());
                }
                d = processDefault;
            }
        }
        return d;
    }

    String defaultName() {
        if (defaultFromProperty != null && !defaultFromProperty.isBlank()) {
            return defaultFromProperty;
        }
        if (defaultFromEnv != null && !defaultFromEnv.isBlank()) {
            return defaultFromEnv;
        }
        return AUTO;
    }

    OpsScope push(Ops ops) {
        if (ops == null) {
            throw new IllegalArgumentException("Ops.use: ops must not be null");
        }
        OpsScope scope = new OpsScope(ops, currentOps());
        scopes.get().push(scope);
        return scope;
    }

    void pop(OpsScope scope) {
        Deque<OpsScope> stack = scopes.get();
        if (stack.peek() != scope) {
            throw new IllegalStateException("Ops.use scopes closed out of order: closing the scope of '"
                    + scope.ops().name() + "' while an inner scope is still open");
        }
        stack.pop();
    }

    boolean preferGpuBackend() {
        for (OpsProvider p : providers) {
            if (p.isGpu() && available(p)) {
                processDefault = instance(p);
                return true;
            }
        }
        return false;
    }

    Ops requireGpuBackend() {
        if (!preferGpuBackend()) {
            boolean anyGpu = providers.stream().anyMatch(OpsProvider::isGpu);
            throw new BackendUnavailableException((anyGpu ? "No GPU backend can run here. "
                    : "No GPU backend on the class path (add dev.thinj:thinj-ops-cuda). ") + help());
        }
        return processDefault;
    }

    List<BackendInfo> backendInfos() {
        List<BackendInfo> out = new ArrayList<>();
        for (OpsProvider p : providers) {
            boolean ok = available(p);
            out.add(new BackendInfo(p.name(), p.priority(), p.isGpu(), ok, ok ? "" : p.unavailableReason()));
        }
        return out;
    }

    String table() {
        List<BackendInfo> rows = backendInfos();
        if (rows.isEmpty()) {
            return "No ops backend on the class path: add dev.thinj:thinj-ops-cpu as a runtime dependency.\n";
        }
        int width = Math.max(7, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + width + "s  %8s  %-3s  %-9s  %s%n", "backend", "priority", "gpu",
                "available", "reason"));
        for (BackendInfo r : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %8d  %-3s  %-9s  %s%n", r.name(), r.priority(),
                    r.gpu() ? "yes" : "no", r.available() ? "yes" : "no", r.reason()));
        }
        return sb.toString();
    }

    private String help() {
        return "Backends found:\n" + table()
                + "Select one with Ops.get(name), -D" + PROPERTY + "=NAME or " + ENV + "=NAME (or 'auto').";
    }

    private boolean available(OpsProvider p) {
        return availability.computeIfAbsent(p.name().toLowerCase(Locale.ROOT), k -> {
            try {
                return p.isAvailable();
            } catch (Throwable t) {
                return false;
            }
        });
    }

    private Ops instance(OpsProvider p) {
        return instances.computeIfAbsent(p.name().toLowerCase(Locale.ROOT), k -> {
            try {
                return p.create();
            } catch (ThinjException e) {
                throw e;
            } catch (Throwable t) {
                throw new BackendUnavailableException("Backend '" + p.name() + "' reported itself available but failed to start: "
                        + t, t);
            }
        });
    }

    /** Stands in for a provider whose constructor threw, so the failure shows in the table. */
    private record BrokenProvider(String className, Throwable error) implements OpsProvider {
        @Override
        public String name() {
            return className;
        }

        @Override
        public int priority() {
            return Integer.MIN_VALUE;
        }

        @Override
        public boolean isAvailable() {
            return false;
        }

        @Override
        public String unavailableReason() {
            return "provider failed to load: " + error;
        }

        @Override
        public Ops create() {
            throw new BackendUnavailableException(unavailableReason(), error);
        }
    }
}
