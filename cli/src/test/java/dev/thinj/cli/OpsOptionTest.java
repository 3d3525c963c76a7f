package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.BackendInfo;
import dev.thinj.ops.Ops;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --ops}: the CUDA backend is on the command line's class path, and asking for it where it
 * cannot run stops the command at once with exit code 2 and one line giving the provider's reason.
 */
class OpsOptionTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "fashion-mnist-mlp.cfg");

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Optional<BackendInfo> cuda() {
        return Ops.backends().stream().filter(b -> b.name().equals("cuda")).findFirst();
    }

    @Test
    void theCudaProviderIsOnTheClassPath() {
        assertThat(cuda()).as("thinj-ops-cuda's provider, found through ServiceLoader").isPresent();
    }

    @Test
    void backendsListsCudaWithItsReason() {
        Result r = run("backends");
        assertThat(r.code()).isZero();
        BackendInfo info = cuda().orElseThrow();
        String row = r.out().lines().filter(l -> l.startsWith("cuda ")).findFirst().orElseThrow();
        assertThat(row).containsPattern("cuda\\s+\\d+\\s+yes\\s+(yes|no)");
        if (!info.available()) {
            assertThat(row).contains(info.reason().lines().findFirst().orElseThrow().strip());
        }
    }

    @Test
    void trainOnAnUnavailableCudaFailsFastWithOneLine(@org.junit.jupiter.api.io.TempDir Path dir) {
        BackendInfo info = cuda().orElseThrow();
        org.junit.jupiter.api.Assumptions.assumeFalse(info.available(), "a GPU is present: CUDA is available here");
        Result r = run("train", EXAMPLE.toString(), "--ops", "cuda", "--no-progress", "--output", dir.toString());
        assertThat(r.code()).as("exit code; stderr: " + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as("one line: " + r.err()).hasSize(1);
        assertThat(r.err()).startsWith("thinj: backend 'cuda' is not available: ")
                .contains(info.reason().lines().findFirst().orElseThrow().strip())
                .doesNotContain("\tat ");
        assertThat(r.out()).as("nothing was trained").doesNotContain("epoch");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void evaluateAndPredictTakeTheSameOption() {
        Optional<BackendInfo> info = cuda();
        org.junit.jupiter.api.Assumptions.assumeFalse(info.orElseThrow().available(), "CUDA is available here");
        for (String command : new String[] {"evaluate", "predict"}) {
            Result r = run(command, "model.bin", "images.idx", "--ops", "cuda");
            assertThat(r.code()).as(command).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(command + ": " + r.err()).hasSize(1);
            assertThat(r.err()).as(command).startsWith("thinj: backend 'cuda' is not available: ");
        }
    }

    @Test
    void anUnknownBackendIsOneLineListingTheBackends() {
        Result r = run("train", EXAMPLE.toString(), "--ops", "tpu", "--no-progress");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("thinj: No backend named 'tpu' on the class path (backends: ")
                .contains("cpu").contains("cuda");
    }
}
