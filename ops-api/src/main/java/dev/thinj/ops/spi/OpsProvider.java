package dev.thinj.ops.spi;

import dev.thinj.ops.Ops;

/**
 * How a backend makes itself known: a {@link java.util.ServiceLoader} service, listed in the backend
 * jar's {@code META-INF/services/dev.thinj.ops.spi.OpsProvider}.
 *
 * <p>Call order: the provider is constructed (cheaply: no native code loaded), then asked
 * {@link #name()} and {@link #priority()}; {@link #isAvailable()} is asked at most once per selection
 * and may load what it must to answer; {@link #create()} is called only for an available provider and
 * only when its backend is first used.
 */
public interface OpsProvider {
    /** @return the backend's name as users select it, such as {@code "cpu"} or {@code "cuda"} */
    String name();

    /** @return the rank among available backends for {@code "auto"}: higher wins (a GPU above the CPU) */
    int priority();

    /** @return whether the backend is a GPU backend, for {@code Ops.preferGpu()} */
    default boolean isGpu() {
        return false;
    }

    /**
     * Whether the backend can run here. Never throws: a missing native library or driver
     * ({@link UnsatisfiedLinkError} and friends) is caught and reported by {@link #unavailableReason()}.
     *
     * @return whether {@link #create()} can succeed
     */
    boolean isAvailable();

    /** @return why {@link #isAvailable()} is false, or an empty string when it is true */
    String unavailableReason();

    /**
     * Builds the backend. Called once per process by the selection logic, which caches the result.
     *
     * @return a new backend
     */
    Ops create();
}
