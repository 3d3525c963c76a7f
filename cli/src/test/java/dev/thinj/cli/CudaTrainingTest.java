package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.Model;
import dev.thinj.ops.BackendInfo;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.train.TrainedModel;
import dev.thinj.train.data.FashionMnist;
import dev.thinj.train.data.Split;
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
 * else changed is as good as the CPU run (embedded Fashion-MNIST subset: 6,000 training and 1,000
 * test images). Skips with the CUDA provider's reason where no GPU can run.
 *
 * <p><b>Tolerance.</b> Not a fixed number of points: the two runs differ only by rounding (cuBLAS and
 * OpenBLAS sum in other orders), which Adam amplifies over hundreds of steps into run-to-run
 * differences like those between seeds, with neither run better in expectation. So among the test
 * images exactly one model gets right, each is as likely to be the one (McNemar's null hypothesis):
 * with {@code b} and {@code c} such images, {@code |b - c| <= 3 sqrt(b + c)} (p = 0.997). A CUDA bug
 * that hurts training shows as a one-sided excess.
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

    /** @return the run's best model's predicted classes on the embedded test images, evaluated on its backend */
    private int[] predictions(String ops, Split test) {
        try (OpsScope scope = Ops.use(ops)) {
            Model<FloatArray, FloatArray> m = TrainedModel.load(dir.resolve(ops).resolve("model-best.bin"), null);
            Ops o = m.ops();
            return o.argmax(m.predict(o.asArray(test.features(), test.count(), test.width()))).toIntArray();
        }
    }

    @Test
    void theExampleConfigTrainsAsWellOnTheGpuAsOnTheCpu() {
        double cpu = train("cpu");
        double cuda = train("cuda");
        assertThat(cpu).as("the CPU run learned").isGreaterThan(0.75);
        Split test = FashionMnist.embedded("test");
        int[] onCpu = predictions("cpu", test);
        int[] onCuda = predictions("cuda", test);
        int onlyCuda = 0;
        int onlyCpu = 0;
        for (int i = 0; i < test.count(); i++) {
            boolean a = onCuda[i] == test.labels()[i];
            boolean b = onCpu[i] == test.labels()[i];
            onlyCuda += a && !b ? 1 : 0;
            onlyCpu += b && !a ? 1 : 0;
        }
        assertThat((double) Math.abs(onlyCuda - onlyCpu))
                .as("McNemar: right only on CUDA %d, only on the CPU %d (final accuracy cuda %.4f, cpu %.4f)", onlyCuda,
                        onlyCpu, cuda, cpu)
                .isLessThanOrEqualTo(3 * Math.sqrt(onlyCuda + onlyCpu));
    }
}
