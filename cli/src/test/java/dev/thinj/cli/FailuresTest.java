package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * A failure that is not a user mistake (a bug: an unexpected exception or error) is one line naming
 * it and asking for {@code --verbose}, with exit code 1, never the JVM's or picocli's raw trace.
 */
class FailuresTest {
    /** A command that fails the way it is told to. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Parameters(index = "0")
        String what;

        @Option(names = Failures.VERBOSE)
        boolean verbose;

        @Override
        public Integer call() {
            switch (what) {
                case "npe" -> throw new NullPointerException("something was null");
                case "state" -> throw new IllegalStateException("two\nlines");
                case "overflow" -> throw new StackOverflowError();
                case "oom" -> throw new OutOfMemoryError("Java heap space");
                default -> {
                    return 0;
                }
            }
        }
    }

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Failures.install(new CommandLine(new Boom()));
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return new Result(cl.execute(args), err.toString());
    }

    @Test
    void anUnexpectedExceptionIsOneLineAndExitCodeOne() {
        Result r = run("npe");
        assertThat(r.code()).isEqualTo(Failures.BUG).isEqualTo(1);
        assertThat(r.err()).isEqualTo("thinj: unexpected java.lang.NullPointerException: something was null"
                + " (a bug in thinj; run with --verbose for the stack trace)" + System.lineSeparator());
    }

    @Test
    void aMultiLineMessageStaysOneLine() {
        Result r = run("state");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("thinj: unexpected java.lang.IllegalStateException: two (a bug");
    }

    @Test
    void anErrorIsCaughtToo() {
        Result r = run("overflow");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("thinj: unexpected java.lang.StackOverflowError (a bug in thinj;");
    }

    @Test
    void outOfMemorySaysHowToGiveMoreHeap() {
        Result r = run("oom");
        assertThat(r.code()).isEqualTo(Failures.USER_MISTAKE);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("thinj: out of memory (Java heap space); give Java more heap")
                .contains("THINJ_JAVA_OPTS");
    }

    @Test
    void verboseShowsTheStackTrace() {
        Result r = run("npe", "--verbose");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("thinj: unexpected java.lang.NullPointerException: something was null"
                + " (a bug in thinj)").contains("\tat dev.thinj.cli.FailuresTest$Boom.call");
    }

    @Test
    void successIsUntouched() {
        Result r = run("fine");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
    }
}
