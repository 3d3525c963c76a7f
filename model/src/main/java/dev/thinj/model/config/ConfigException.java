package dev.thinj.model.config;

import dev.thinj.ops.ThinjException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A mistake in a config: a syntax error, an interpolation that points nowhere, an unknown registered
 * function, a missing, unexpected or ill-typed argument, or a registered function that refused its
 * arguments. The message starts with where ({@link Location}), then says what, for example
 * {@code config.cfg:12 [optimizer] learn_rate: expected a number, a list of numbers or a schedule, got "abc"}.
 */
public class ConfigException extends ThinjException {
    private static final long serialVersionUID = 1L;

    private final transient Location location;
    /** What is wrong, without the location. */
    private final String problem;
    private final transient List<ConfigException> all;

    /**
     * @param location where the mistake is (use {@link Location#UNKNOWN} when nowhere in particular)
     * @param problem what is wrong, and what was expected
     */
    public ConfigException(Location location, String problem) {
        super(format(location, problem));
        this.location = location;
        this.problem = problem;
        this.all = List.of(this);
    }

    /**
     * @param location where the mistake is
     * @param problem what is wrong, and what was expected
     * @param cause the error a registered function raised
     */
    public ConfigException(Location location, String problem, Throwable cause) {
        super(format(location, problem), cause);
        this.location = location;
        this.problem = problem;
        this.all = List.of(this);
    }

    private ConfigException(List<ConfigException> several) {
        super(joined(several));
        this.location = several.get(0).location();
        this.problem = several.get(0).problem();
        this.all = Collections.unmodifiableList(new ArrayList<>(several));
    }

    /**
     * Reports several mistakes found together (in one block, as Thinc reports all of a block's
     * validation errors at once): the message has one line per mistake, the location is the first's.
     *
     * @param several at least one mistake
     * @return the single mistake, or one exception for all of them
     */
    public static ConfigException of(List<ConfigException> several) {
        if (several.isEmpty()) {
            throw new IllegalArgumentException("no mistakes to report");
        }
        return several.size() == 1 ? several.get(0) : new ConfigException(several);
    }

    private static String joined(List<ConfigException> several) {
        StringBuilder sb = new StringBuilder();
        for (ConfigException e : several) {
            sb.append(sb.length() == 0 ? "" : "\n").append(e.getMessage());
        }
        return sb.toString();
    }

    private static String format(Location location, String problem) {
        String where = location == null ? "" : location.toString();
        return where.isEmpty() ? problem : where + ": " + problem;
    }

    /** @return where the mistake is */
    public Location location() {
        return location == null ? Location.UNKNOWN : location;
    }

    /** @return the file name, {@code <string>}, {@code <override>}, or null */
    public String file() {
        return location().source();
    }

    /** @return the 1-based line, or 0 when unknown */
    public int line() {
        return location().line();
    }

    /** @return the dotted section name, or null */
    public String section() {
        return location().section();
    }

    /** @return the key, or null */
    public String key() {
        return location().key();
    }

    /** @return the message without the location (of the first mistake, when there are several) */
    public String problem() {
        return problem;
    }

    /** @return every mistake this exception reports: itself, or each of several found together */
    public List<ConfigException> all() {
        return all;
    }
}
