package dev.thinj.model.registry;

import java.lang.reflect.Type;

/**
 * One declared parameter of a registered function.
 *
 * @param name the config key, or {@code "*"} for positional arguments
 * @param type the Java type values are converted to (a {@code List<T>} for positional arguments)
 * @param required whether the config must give it
 * @param defaultValue the default as a config value (null, boolean, Long, Double, String, List, Map),
 *     meaningful when not required
 * @param nullable whether {@code null} is accepted
 */
public record Param(String name, Type type, boolean required, Object defaultValue, boolean nullable) {
    /** The name of the positional-arguments parameter. */
    public static final String POSITIONAL = "*";

    /** @return whether this parameter takes the positional arguments */
    public boolean positional() {
        return name.equals(POSITIONAL);
    }
}
