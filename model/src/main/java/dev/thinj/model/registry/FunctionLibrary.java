package dev.thinj.model.registry;

/**
 * Marks a class whose {@link Registered} static methods {@link Registry#global()} registers when it
 * finds the class with {@link java.util.ServiceLoader}. List the class in
 * {@code META-INF/services/dev.thinj.model.registry.FunctionLibrary}; it needs a public no-argument
 * constructor. This is how a jar adds its own layers, schedules or datasets to every config, as
 * Thinc's entry points do.
 */
public interface FunctionLibrary {
    /**
     * @return registries this library adds (as Thinc's {@code registry.create}) before its functions
     *     are registered; none by default
     */
    default java.util.List<String> categories() {
        return java.util.List.of();
    }
}
