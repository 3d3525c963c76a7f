package dev.thinj.model.registry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a parameter of a {@link Registered} function (or a component of a record used as a
 * config section): the key a config gives it by, and its default. Registered functions take Thinc's
 * argument names exactly ({@code learn_rate}, {@code L2_is_weight_decay}, {@code nO}), so Thinc's
 * configs work unchanged.
 *
 * <p>The Java type says what the config may hold: {@code int}/{@code long} an integer,
 * {@code double}/{@code float} a number, {@code boolean}, {@code String}, {@code List<T>},
 * {@code Map<String, T>}, a {@link dev.thinj.model.schedules.Schedule} (a number, a list of numbers
 * or a schedule block), a record (a section, checked the same way), or any other class (the result of
 * a nested block, such as a {@code Model}). Primitive parameters never take {@code null}; others do
 * when their default is {@code null} or {@link #nullable()} says so.
 *
 * <p>Name a parameter {@code "*"} to take a config's positional arguments ({@code * = [...]} or
 * {@code [block.*.name]} sections), typed {@code List<T>}, {@code T[]} or {@code T...}; as in Python,
 * other parameters may follow it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface Arg {
    /** The value of {@link #defaultJson()} for a required parameter. */
    String REQUIRED = "\u0000required";

    /** @return the key in the config, such as {@code "learn_rate"}; {@code "*"} for positional arguments */
    String value();

    /**
     * @return the default, written as in a config file ({@code "0.001"}, {@code "null"},
     *     {@code "\"INFO\""}, {@code "[1, 2]"}); absent for a required parameter
     */
    String defaultJson() default REQUIRED;

    /** @return whether {@code null} is accepted even though the default is not {@code null} */
    boolean nullable() default false;
}
