package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.BackendInfo;
import dev.thinj.ops.Ops;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The drop-in claim on a real GPU: the example config trained with {@code --ops cuda} and nothing
 * else changed reaches the CPU run's test accuracy within 0.5 points (embedded Fashion-MNIST subset:
 * 6,000 training and 1,000 test images). Skips with the CUDA provider's reason where no GPU can run.
 */
class CudaTrainingTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "fashion-mnist-mlp.cfg");
    private static final Pattern ACCURACY = Pattern.compile("test accuracy (\\d+\\.\\d+) after (\\d+) epochs");

    @TempDir
    Path dir;

    /** Per test, so that it is reported skipped with the reason. */
    @BeforeEach
    void gpu() {
        BackendInfo cuda = Ops.backends().stream().filter(b -> b.name().equals("cuda")).findFirst().orElse(null);
        Assumptions.assumeTrue(cuda != null, "no 'cuda' provider on the class path");
        Assumptions.assumeTrue(cuda.available(), () -> "CUDA is not available here: " + cuda.reason());
    }

    private double train(String ops) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("train", EXAMPLE.toString(), "--ops", ops, "--no-progress",
                "--output", dir.resolve(ops).toString());
        assertThat(code).as("--ops " + ops + " exit code; stderr: " + err).isZero();
        assertThat(out.toString()).as("--ops " + ops + " ran on that backend")
                .contains("on " + Ops.get(ops).description());
        Matcher m = ACCURACY.matcher(out.toString());
        assertThat(m.find()).as("--ops " + ops + " reports its test accuracy:\n" + out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theExampleConfigReachesTheCpuAccuracyOnTheGpu() {
        double cpu = train("cpu");
        double cuda = train("cuda");
        assertThat(cpu).as("the CPU run learned").isGreaterThan(0.75);
        assertThat(Math.abs(cuda - cpu)).as("accuracy cuda %.4f vs cpu %.4f", cuda, cpu).isLessThanOrEqualTo(0.005);
    }
}
