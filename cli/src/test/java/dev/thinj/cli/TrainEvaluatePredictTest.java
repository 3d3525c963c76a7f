package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user runs it: train a small config, then evaluate and predict with its files. */
class TrainEvaluatePredictTest {
    @TempDir
    Path dir;

    private String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        assertThat(code).as("exit code; stderr: " + err).isZero();
        return out.toString();
    }

    @Test
    void trainThenEvaluateThenPredict() throws Exception {
        Path config = dir.resolve("small.cfg");
        Files.writeString(config, String.join("\n",
                "[training]", "n_epoch = 2", "batch_size = 64", "seed = 3",
                "[data]", "@datasets = \"fashion_mnist.v1\"",
                "[model]", "@layers = \"chain.v1\"",
                "[model.*.hidden]", "@layers = \"Relu.v1\"", "nO = 32",
                "[model.*.output]", "@layers = \"Softmax.v1\"",
                "[optimizer]", "@optimizers = \"Adam.v1\"", "learn_rate = 0.002", ""));
        Path out = dir.resolve("run");
        String trained = run("train", config.toString(), "--output", out.toString(), "--no-progress",
                "--optimizer.learn_rate", "0.003", "--ops", "cpu");
        assertThat(trained).contains("epoch 1/2").contains("epoch 2/2").contains("test accuracy");
        assertThat(out.resolve("config.cfg")).exists();
        assertThat(Files.readString(out.resolve("config.cfg"))).contains("0.003");

        String evaluated = run("evaluate", out.resolve("model-best.bin").toString());
        assertThat(evaluated).containsPattern("accuracy  0\\.[6-9]\\d+ \\(\\d+ of 1000 right\\)")
                .contains("Ankle boot").contains("macro F1");
        assertThat(out.resolve("evaluation.json")).exists();
        assertThat(out.resolve("confusion.png")).exists();

        Path images = dir.resolve("images.idx");
        try (var in = getClass().getResourceAsStream("/dev/thinj/train/data/fashion-mnist/t10k-images-idx3-ubyte.gz")) {
            Files.copy(in, images);
        }
        String predicted = run("predict", out.resolve("model-best.bin").toString(), images.toString(), "--limit", "3");
        assertThat(predicted.lines()).hasSize(4);
        assertThat(predicted.lines().findFirst().orElseThrow()).isEqualTo("label");
        assertThat(predicted.lines().skip(1)).allMatch(l -> dev.thinj.train.data.FashionMnist.CLASS_NAMES.contains(l));
    }

    @Test
    void aUserMistakeIsAMessageNotAStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("evaluate", dir.resolve("nothing.bin").toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).startsWith("thinj: ").contains("nothing.bin: no such file").doesNotContain("\tat ");
    }
}
