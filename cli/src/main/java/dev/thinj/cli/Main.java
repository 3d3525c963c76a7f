package dev.thinj.cli;

import dev.thinj.ops.ThinjException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code thinj} command. Subcommands are one class each; a user mistake ({@link ThinjException})
 * prints one line saying what to do and exits 2, anything else one line and exits 1, neither with a
 * stack trace unless {@code --verbose} asks for it ({@link Failures}).
 */
@Command(name = "thinj", mixinStandardHelpOptions = true, version = "thinj 0.1.0-SNAPSHOT",
        description = "Thinc's training machinery in Java, on pluggable CPU and GPU backends.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, ConvertCommand.class,
            BackendsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:an unexpected error: a bug in thinj (--verbose shows where)",
            "2:a mistake in the command line, a file or a config: the message says what to do"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = Failures.VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "on an error, print the stack trace too (every command takes it)")
    boolean verbose;

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line without exiting, for tests and embedding.
     *
     * @param args the command line
     * @return the exit code
     */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * @return the command line, with failures reported as one line each ({@link Failures})
     */
    public static CommandLine commandLine() {
        return Failures.install(new CommandLine(new Main()));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
