package dev.thinj.cli;

import dev.thinj.ops.BackendInfo;
import dev.thinj.ops.BackendUnavailableException;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The {@code --ops} option of {@code train}, {@code evaluate} and {@code predict}: makes the named
 * backend current, or fails before any work with a one-line reason. {@code Ops.get} explains an
 * unavailable backend with the whole backend table, which is right for a library user but buries the
 * one line a command-line user needs ("no CUDA driver") under it; {@code thinj backends} prints the
 * table on request.
 */
final class BackendOption {
    private BackendOption() {
    }

    /**
     * @param name the option's value ({@code cpu}, {@code cuda}, {@code auto}, another provider), or null
     *     for the process default ({@code thinj.ops}, {@code THINJ_OPS}, else {@code auto})
     * @return the scope making it current; close it when the command ends
     * @throws BackendUnavailableException with a one-line message naming the backend and the provider's reason
     */
    static OpsScope use(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            for (BackendInfo b : Ops.backends()) {
                if (b.name().equalsIgnoreCase(key) && !b.available()) {
                    // The provider has said why (and never retries): no need to try creating it.
                    throw new BackendUnavailableException("backend '" + key + "' is not available: "
                            + oneLine(b.reason()) + " (" + found() + "; see `thinj backends`)");
                }
            }
        }
        try {
            return name != null ? Ops.use(name) : Ops.use(Ops.current());
        } catch (BackendUnavailableException e) {
            throw new BackendUnavailableException(firstLine(e.getMessage()) + " (" + found()
                    + "; see `thinj backends`)", e);
        }
    }

    /** @return e.g. {@code backends: cpu, cuda (unavailable)} */
    private static String found() {
        StringJoiner j = new StringJoiner(", ", "backends: ", "");
        j.setEmptyValue("no backend on the class path");
        for (BackendInfo b : Ops.backends()) {
            j.add(b.name() + (b.available() ? "" : " (unavailable)"));
        }
        return j.toString();
    }

    /** @return the message's first line, without the "Backends found:" that introduces the table after it */
    private static String firstLine(String message) {
        String first = message == null ? "unknown backend failure" : message.lines().findFirst().orElse("").strip();
        return first.replaceFirst("\\s*Backends found:\\s*$", "").replaceFirst("\\.$", "");
    }

    /** @return the text with its line breaks folded, so the reason stays one line */
    private static String oneLine(String text) {
        return text == null || text.isBlank() ? "no reason given" : text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
