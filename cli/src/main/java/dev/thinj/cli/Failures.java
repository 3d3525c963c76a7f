package dev.thinj.cli;

import dev.thinj.ops.ThinjException;
import java.io.PrintWriter;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * How a command that failed ends. A user mistake ({@link ThinjException}: a missing file, a bad
 * config value, an unavailable backend) is one line {@code thinj: ...} saying what and what to do,
 * exit code {@value #USER_MISTAKE}; anything else is a bug in thinj: one line naming the exception
 * and asking for {@code --verbose}, exit code {@value #BUG}. With {@code --verbose} both also print
 * the stack trace. Picocli's own usage errors (an unknown option, a missing parameter) keep its
 * handling: the message and the usage, exit code 2.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    /** Exit code of a mistake the user can fix (the same as picocli's usage errors). */
    static final int USER_MISTAKE = 2;
    /** Exit code of an unexpected failure: a bug. */
    static final int BUG = 1;
    /** The option that shows stack traces. */
    static final String VERBOSE = "--verbose";

    /**
     * Makes {@code line} end failures this way, including {@link Error}s (out of memory, stack
     * overflow), which picocli would otherwise let escape to the JVM's own stack trace.
     *
     * @param line the top-level command line
     * @return the command line
     */
    static CommandLine install(CommandLine line) {
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        line.setExecutionStrategy(parsed -> {
            try {
                return run.execute(parsed);
            } catch (Error e) {
                throw new CommandLine.ExecutionException(last(parsed).commandSpec().commandLine(), e.toString(), e);
            }
        });
        line.setExecutionExceptionHandler(new Failures());
        return line;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine line, ParseResult parsed) {
        Throwable t = ex instanceof CommandLine.ExecutionException && ex.getCause() instanceof Error ? ex.getCause() : ex;
        boolean verbose = verbose(parsed);
        PrintWriter err = line.getErr();
        int code;
        if (t instanceof ThinjException) {
            String message = t.getMessage() == null || t.getMessage().isBlank() ? t.toString() : t.getMessage();
            // Several mistakes found together (a config's block) are one line each.
            message.lines().forEach(l -> err.println("thinj: " + l));
            code = USER_MISTAKE;
        } else if (t instanceof OutOfMemoryError) {
            err.println("thinj: out of memory (" + t.getMessage() + "); give Java more heap, e.g. THINJ_JAVA_OPTS=-Xmx8g,"
                    + " or use a smaller batch_size");
            code = USER_MISTAKE;
        } else {
            err.println("thinj: unexpected " + firstLine(t) + " (a bug in thinj"
                    + (verbose ? "" : "; run with " + VERBOSE + " for the stack trace") + ")");
            code = BUG;
        }
        if (verbose) {
            t.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** @return whether {@code --verbose} was given, before or after the subcommand */
    static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    private static ParseResult last(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }

    /** @return e.g. {@code java.lang.NullPointerException: x is null}, on one line */
    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().strip().lines().findFirst().orElse("");
        return t.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
    }
}
