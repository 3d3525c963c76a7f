package dev.thinj.model.registry;

/** Registers all of thinj's built-in functions into a registry. */
final class Builtins {
    private Builtins() {
    }

    static void registerInto(Registry registry) {
        registry.registerAll(BuiltinLayers.class);
        registry.registerAll(BuiltinOptimizers.class);
        registry.registerAll(BuiltinSchedules.class);
        registry.registerAll(BuiltinLosses.class);
        registry.registerAll(BuiltinInitializers.class);
        registry.registerAll(BuiltinOps.class);
        BuiltinOps.registerBackends(registry);
        // The datasets registry starts empty: the Fashion-MNIST loader arrives with the CLI's data readers.
    }
}
