package dev.thinj.ops.cpu;

import dev.thinj.ops.Ops;
import dev.thinj.ops.spi.OpsProvider;

/**
 * Registers the CPU backend under the name {@code cpu}. Available wherever OpenBLAS loads, which on
 * linux-x86_64 is everywhere the Bytedeco jar is on the class path.
 *
 * <p>Thread count: {@code OPENBLAS_NUM_THREADS} if set (OpenBLAS's own convention), else the system
 * property {@code thinj.cpu.threads}, else the number of available processors. The same count sizes
 * the elementwise pool, so BLAS and Java kernels share one budget.
 */
public final class CpuOpsProvider implements OpsProvider {
    /** Rank below any GPU backend. */
    public static final int PRIORITY = 10;

    private volatile String reason;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean isAvailable() {
        String r = reason;
        if (r == null) {
            try {
                Blas.load();
                r = "";
            } catch (Throwable t) {
                r = "OpenBLAS could not be loaded: " + t;
            }
            reason = r;
        }
        return r.isEmpty();
    }

    @Override
    public String unavailableReason() {
        return isAvailable() ? "" : reason;
    }

    @Override
    public Ops create() {
        return new CpuOps(configuredThreads());
    }

    /** @return the thread count from the environment, a property, or the processor count */
    static int configuredThreads() {
        Integer fromEnv = positiveInt(System.getenv("OPENBLAS_NUM_THREADS"));
        if (fromEnv != null) {
            return fromEnv;
        }
        Integer fromProperty = positiveInt(System.getProperty("thinj.cpu.threads"));
        if (fromProperty != null) {
            return fromProperty;
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static Integer positiveInt(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            int v = Integer.parseInt(s.trim());
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
