package dev.thinj.spark;

import dev.thinj.ops.BackendUnavailableException;
import dev.thinj.ops.Ops;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend an executor computes on: the one the run asked for, else the CPU, said once per
 * executor JVM and backend in one log line (an executor without a GPU still trains).
 */
final class WorkerBackend {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerBackend.class);
    private static final Set<String> TOLD = ConcurrentHashMap.newKeySet();

    private WorkerBackend() {
    }

    /**
     * @param requested a backend name or {@code auto}
     * @return that backend, or the CPU when it cannot start here
     */
    static Ops open(String requested) {
        try {
            return Ops.get(requested);
        } catch (BackendUnavailableException e) {
            if (TOLD.add(requested)) {
                String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("")
                        .replaceFirst("\\s*Backends found:.*$", "");
                LOG.warn("thinj: backend '{}' cannot start on this executor ({}); training on cpu", requested, why);
            }
            return Ops.get("cpu");
        }
    }
}
