package dev.thinj.cli;

import dev.thinj.ops.ThinjException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code thinj} command. Subcommands are one class each; a user mistake ({@link ThinjException})
 * prints its message and exits non-zero instead of a stack trace.
 */
@Command(name = "thinj", mixinStandardHelpOptions = true, version = "thinj 0.1.0-SNAPSHOT",
        description = "Thinc's training machinery in Java, on pluggable CPU and GPU backends.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, BackendsCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
     * @return the command line, with user mistakes ({@link ThinjException}) printed as one message
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof ThinjException) {
                line.getErr().println("thinj: " + ex.getMessage());
                line.getErr().flush();
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
