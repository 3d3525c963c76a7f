package dev.thinj.model.registry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a static method under a name that configs can call, as Thinc's
 * {@code @thinc.registry.schedules("my_schedule.v1")} decorator:
 *
 * <pre>{@code
 * public final class MyFunctions implements FunctionLibrary {
 *     @Registered(registry = "schedules", name = "my_schedule.v1")
 *     public static Schedule mySchedule(@Arg("values") List<Double> values) { ... }
 * }
 * }</pre>
 *
 * <p>A config then calls it with {@code @schedules = "my_schedule.v1"} and a {@code values} key.
 * Every parameter carries an {@link Arg} with its config name and, if it has one, its default. The
 * class is registered by {@link Registry#registerAll(Class)}, or found by {@link java.util.ServiceLoader}
 * when it implements {@link FunctionLibrary} and is listed in
 * {@code META-INF/services/dev.thinj.model.registry.FunctionLibrary}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Registered {
    /** @return the registry (category), such as {@code "layers"} or {@code "schedules"} */
    String registry();

    /** @return the name configs use, with its version, such as {@code "Relu.v1"} */
    String name();
}
