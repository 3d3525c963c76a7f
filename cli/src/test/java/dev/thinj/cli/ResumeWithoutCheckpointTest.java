package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code --resume} where there is nothing to resume (no folder, an empty folder, a folder without
 * {@code state.json}) starts from epoch 1 and says so in one line, so a preemptible job can always
 * pass it.
 */
class ResumeWithoutCheckpointTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"no folder", "empty folder", "no state.json"})
    void resumeWithoutACheckpointStartsFresh(String situation) throws IOException {
        Path config = dir.resolve("tiny.cfg");
        Files.writeString(config, String.join("\n",
                "[training]", "n_epoch = 1", "batch_size = 128", "seed = 1",
                "[data]", "@datasets = \"fashion_mnist.v1\"",
                "[model]", "@layers = \"chain.v1\"",
                "[model.*.hidden]", "@layers = \"Relu.v1\"", "nO = 8",
                "[model.*.output]", "@layers = \"Softmax.v1\"",
                "[optimizer]", "@optimizers = \"Adam.v1\"", ""));
        Path out = dir.resolve("run");
        if (!situation.equals("no folder")) {
            Files.createDirectories(out);
        }
        if (situation.equals("no state.json")) {
            // What a run killed before its first checkpoint leaves: no state.json names a checkpoint.
            Files.writeString(out.resolve("metrics.jsonl"), "");
            Files.createDirectories(out.resolve("checkpoint-1"));
        }
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute("train", config.toString(), "--output", out.toString(), "--resume", "--no-progress",
                "--ops", "cpu");
        assertThat(code).as(e.toString()).isZero();
        assertThat(e.toString()).isEmpty();
        assertThat(o.toString().lines().filter(l -> l.contains("checkpoint in")).toList())
                .containsExactly("thinj: no checkpoint in " + out + "; starting from epoch 1");
        assertThat(o.toString()).contains("epoch 1/1").doesNotContain("resuming");
        assertThat(out.resolve("state.json")).exists();
    }
}
