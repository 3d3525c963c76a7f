package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The done-when of the main job, literally: a `thinj train` process killed (SIGKILL) after its first
 * epoch (usually during its second), then run again with --resume, ends with the same model file,
 * byte for byte, as a run that was never interrupted.
 */
class KillAndResumeTest {
    private static final String CONFIG = String.join("\n",
            "[training]", "n_epoch = 3", "batch_size = 32", "seed = 5",
            "[data]", "@datasets = \"fashion_mnist.v1\"",
            "[model]", "@layers = \"chain.v1\"",
            "[model.*.hidden]", "@layers = \"Relu.v1\"", "nO = 64", "dropout = 0.2",
            "[model.*.output]", "@layers = \"Softmax.v1\"",
            "[optimizer]", "@optimizers = \"Adam.v1\"", "learn_rate = 0.002", "");

    @TempDir
    Path dir;

    private Process start(Path config, Path out, boolean resume) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.thinj.cli.Main", "train", config.toString(),
                "--output", out.toString(), "--no-progress", "--ops", "cpu"));
        if (resume) {
            cmd.add("--resume");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String finish(Process p) throws Exception {
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished: " + output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void aKilledRunResumesToTheSameModel() throws Exception {
        Path config = dir.resolve("small.cfg");
        Files.writeString(config, CONFIG);
        Path straight = dir.resolve("straight");
        finish(start(config, straight, false));

        Path killed = dir.resolve("killed");
        Process p = start(config, killed, false);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("epoch 1/3")) {
                // wait for the first epoch's checkpoint
            }
            assertThat(line).as("the first epoch finished").isNotNull();
            // Killed wherever it is now: usually early in epoch 2, possibly while writing a checkpoint.
            // Any moment must do, so the test does not try to aim (that would be a guess at scheduling).
            p.destroyForcibly();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the killed process has ended").isTrue();
        }
        String state = Files.readString(killed.resolve("state.json"));
        assertThat(state).containsPattern("\"epoch\":[123]");
        // Only if the test's own thread was starved for two whole epochs did the run finish before the
        // kill; then there is nothing to resume, and the test cannot say anything.
        Assumptions.assumeFalse(state.contains("\"epoch\":3"), "the run finished before it could be killed");
        String resumed = finish(start(config, killed, true));
        assertThat(resumed).containsPattern("resuming after epoch [12]").contains("epoch 3/3");

        assertThat(Files.readAllBytes(killed.resolve("checkpoint-3/model.bin")))
                .isEqualTo(Files.readAllBytes(straight.resolve("checkpoint-3/model.bin")));
        assertThat(Files.readAllBytes(killed.resolve("model-best.bin")))
                .isEqualTo(Files.readAllBytes(straight.resolve("model-best.bin")));
    }
}
