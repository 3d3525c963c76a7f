package dev.thinj.model.registry;

import dev.thinj.ops.Ops;
import dev.thinj.ops.spi.OpsProvider;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code ops} registry: a block such as {@code @ops = "NumpyOps"} gives a backend. Thinc's class
 * names map to thinj's backends ({@code NumpyOps} to {@code cpu}, {@code CupyOps} to {@code cuda}),
 * and every backend found on the class path is also registered under its own name ({@code cpu},
 * {@code cuda}, ...), as is {@code auto}. The backend is created when the config is resolved, and an
 * unavailable one is a config error that says why.
 */
final class BuiltinOps {
    private BuiltinOps() {
    }

    /**
     * Thinc's {@code NumpyOps(device_type="cpu", device_id=-1, *, use_blis=True)}; the arguments are
     * accepted so Thinc's filled configs resolve, and have no effect: thinj's CPU backend has one
     * device and always calls BLAS.
     */
    @Registered(registry = "ops", name = "NumpyOps")
    static Ops numpyOps(
            @Arg(value = "device_type", defaultJson = "\"cpu\"") String deviceType,
            @Arg(value = "device_id", defaultJson = "-1") int deviceId,
            @Arg(value = "use_blis", defaultJson = "true") boolean useBlis) {
        if (!deviceType.equals("cpu")) {
            throw new IllegalArgumentException("NumpyOps runs on device_type \"cpu\", got \"" + deviceType + "\"");
        }
        return Ops.get("cpu");
    }

    /**
     * Thinc's {@code CupyOps(device_type="gpu", device_id=0)}; thinj's CUDA backend uses the current
     * device, so {@code device_id} must be 0.
     */
    @Registered(registry = "ops", name = "CupyOps")
    static Ops cupyOps(
            @Arg(value = "device_type", defaultJson = "\"gpu\"") String deviceType,
            @Arg(value = "device_id", defaultJson = "0") int deviceId) {
        if (!deviceType.equals("gpu") || deviceId != 0) {
            throw new IllegalArgumentException("CupyOps here runs on device_type \"gpu\", device_id 0; got \""
                    + deviceType + "\", " + deviceId);
        }
        return Ops.get("cuda");
    }

    @Registered(registry = "ops", name = "auto")
    static Ops auto() {
        return Ops.get("auto");
    }

    /**
     * Registers each backend provider's name. Providers are cheap to construct and name (no native
     * loading until {@code isAvailable()}), so listing them here does not start any backend;
     * {@code Ops.backends()} would, as it asks each whether it is available.
     */
    static void registerBackends(Registry registry) {
        for (String name : new String[] {"cpu", "cuda"}) {
            registry.register(backend(name));
        }
        for (ServiceLoader.Provider<OpsProvider> p : ServiceLoader.load(OpsProvider.class).stream().toList()) {
            registry.register(backend(p.get().name()));
        }
    }

    private static RegisteredFunction backend(String name) {
        return RegisteredFunction.of("ops", name, List.of(), args -> Ops.get(name));
    }
}
