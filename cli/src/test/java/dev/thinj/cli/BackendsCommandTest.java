package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BackendsCommandTest {
    @Test
    void printsTheTableAndWhatAutoPicks() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("backends");
        assertThat(code).isZero();
        assertThat(out.toString()).containsPattern("cpu\\s+10\\s+no\\s+yes").contains("auto -> cpu");
    }

    @Test
    void anUnknownSubcommandIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("fly")).isNotZero();
        assertThat(err.toString()).contains("fly");
    }
}
