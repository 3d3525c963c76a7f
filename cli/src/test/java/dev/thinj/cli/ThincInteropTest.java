package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.model.Model;
import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import dev.thinj.model.serialize.ThincModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code thinj convert} and Thinc model files given to {@code evaluate} and {@code predict}: a trained
 * run converted to Thinc's format evaluates and predicts exactly as the run's own file, converts back to
 * the same weights, and every mistake with a Thinc file is one line, exit code 2.
 */
class ThincInteropTest {
    private static final String SMALL = String.join("\n",
            "[training]", "n_epoch = 1", "batch_size = 64", "seed = 3",
            "[data]", "@datasets = \"fashion_mnist.v1\"",
            "[model]", "@layers = \"chain.v1\"",
            "[model.*.hidden]", "@layers = \"Relu.v1\"", "nO = 16", "dropout = 0.3",
            "[model.*.output]", "@layers = \"Softmax.v1\"",
            "[optimizer]", "@optimizers = \"Adam.v1\"", "learn_rate = 0.002", "");

    /** A trained run, its model in Thinc's format in another folder, and bad files. */
    @TempDir
    static Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private static String ok(Object... args) {
        Result r = run(args);
        assertThat(r.code()).as("exit code; stderr: " + r.err()).isZero();
        return r.out();
    }

    private static void assertOneLine(Result r, String... expected) {
        assertThat(r.code()).as("exit code; stderr: " + r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as("exactly one line: " + r.err()).hasSize(1);
        assertThat(r.err()).startsWith("thinj: ").doesNotContain("\tat ");
        for (String e : expected) {
            assertThat(r.err()).contains(e);
        }
    }

    @BeforeAll
    static void trainAndConvert() throws IOException {
        Files.writeString(dir.resolve("small.cfg"), SMALL);
        Files.writeString(dir.resolve("other.cfg"), SMALL.replace("nO = 16", "nO = 24"));
        Files.writeString(dir.resolve("text.txt"), "hello, I am not a model\n");
        Files.createDirectories(dir.resolve("thinc"));
        try (InputStream in = ThincInteropTest.class.getResourceAsStream(
                "/dev/thinj/train/data/fashion-mnist/t10k-images-idx3-ubyte.gz")) {
            Files.copy(in, dir.resolve("images.idx.gz"));
        }
        ok("train", dir.resolve("small.cfg"), "--output", dir.resolve("run"), "--no-progress", "--ops", "cpu");
        String wrote = ok("convert", dir.resolve("run/config.cfg"), dir.resolve("run/model-best.bin"),
                dir.resolve("thinc/model.thinc"));
        assertThat(wrote).contains("wrote " + dir.resolve("thinc/model.thinc") + " (Thinc model file, 5 nodes) from "
                + dir.resolve("run/model-best.bin") + " (thinj model file)").contains("model.from_disk(");
    }

    /** The evaluation report without its last line, which names the files it wrote. */
    private static String report(String out) {
        return out.lines().filter(l -> !l.startsWith("wrote ")).collect(Collectors.joining("\n"));
    }

    @Test
    void aThincFileEvaluatesAndPredictsAsTheRunsOwn() {
        String own = report(ok("evaluate", dir.resolve("run/model-best.bin"), "--output", dir.resolve("eval-own")));
        String thinc = report(ok("evaluate", dir.resolve("thinc/model.thinc"), "--config", dir.resolve("run/config.cfg"),
                "--output", dir.resolve("eval-thinc")));
        assertThat(thinc).contains("accuracy").isEqualTo(own);

        String ownRows = ok("predict", dir.resolve("run/model-best.bin"), dir.resolve("images.idx.gz"), "--limit", 50,
                "--probabilities");
        String thincRows = ok("predict", dir.resolve("thinc/model.thinc"), dir.resolve("images.idx.gz"), "--limit", 50,
                "--probabilities", "--config", dir.resolve("run/config.cfg"));
        assertThat(thincRows.lines()).hasSize(51);
        assertThat(thincRows).isEqualTo(ownRows);
    }

    @Test
    void convertingBackGivesTheSameWeights() throws IOException {
        ok("convert", dir.resolve("run/config.cfg"), dir.resolve("thinc/model.thinc"), dir.resolve("back.bin"));
        assertThat(Files.readAllBytes(dir.resolve("back.bin"))).startsWith("THINJMDL".getBytes());
        ok("convert", dir.resolve("run/config.cfg"), dir.resolve("back.bin"), dir.resolve("again.thinc"));
        assertThat(Files.readAllBytes(dir.resolve("again.thinc")))
                .isEqualTo(Files.readAllBytes(dir.resolve("thinc/model.thinc")));
        // --to forces the format, even the one IN is in.
        String wrote = ok("convert", dir.resolve("run/config.cfg"), dir.resolve("thinc/model.thinc"),
                dir.resolve("same.thinc"), "--to", "THINC");
        assertThat(wrote).contains("(Thinc model file, 5 nodes) from").doesNotContain("thinj model file");
        assertThat(Files.readAllBytes(dir.resolve("same.thinc")))
                .isEqualTo(Files.readAllBytes(dir.resolve("thinc/model.thinc")));
    }

    @Test
    void aThincFileForAnotherConfigNamesTheDim() {
        assertOneLine(run("evaluate", dir.resolve("thinc/model.thinc"), "--config", dir.resolve("other.cfg")),
                "node 3 ('relu'), dim 'nO': expected 24 (the model's), found 16 in the file",
                "other.cfg is not the config this model was trained with");
        assertOneLine(run("convert", dir.resolve("other.cfg"), dir.resolve("thinc/model.thinc"), dir.resolve("x.bin")),
                "dim 'nO': expected 24 (the model's), found 16");
        assertThat(dir.resolve("x.bin")).doesNotExist();
    }

    @Test
    void aThincFileWithoutItsConfigSaysToGiveOne() {
        assertOneLine(run("predict", dir.resolve("thinc/model.thinc"), dir.resolve("images.idx.gz")),
                "No config for " + dir.resolve("thinc/model.thinc"), "or --config FILE");
    }

    @Test
    void aTruncatedThincFileIsNamed() throws IOException {
        byte[] b = Files.readAllBytes(dir.resolve("thinc/model.thinc"));
        Path cut = Files.write(dir.resolve("cut.thinc"), Arrays.copyOf(b, b.length / 2));
        assertOneLine(run("evaluate", cut, "--config", dir.resolve("run/config.cfg")),
                cut + " is corrupt at byte ", "(truncated?)", "give a model file written by thinj train");
    }

    @Test
    void anUninitialisedThincModelIsNamed() throws IOException {
        String modelOnly = SMALL.substring(SMALL.indexOf("[model]"), SMALL.indexOf("[optimizer]"));
        Model<?, ?> unset = Registry.global().resolve(Config.parse(modelOnly, "model.cfg")).get("model", Model.class);
        Path file = dir.resolve("unset.thinc");
        ThincModelFile.write(unset, file);
        assertOneLine(run("evaluate", file, "--config", dir.resolve("run/config.cfg")),
                file + " holds no values for parameter 'W' of node 2 ('softmax'): the Thinc model was saved before it"
                        + " was initialised or trained");
    }

    @Test
    void convertMistakesAreOneLine() throws IOException {
        assertOneLine(run("convert", dir.resolve("small.cfg"), dir.resolve("text.txt"), dir.resolve("x.thinc")),
                "text.txt is not a thinj model file (no THINJMDL header) nor a Thinc one");
        assertOneLine(run("convert", dir.resolve("thinc/model.thinc"), dir.resolve("run/model-best.bin"),
                dir.resolve("x.thinc")), "model.thinc: looks like a Thinc model file (msgpack), not a config");
        assertOneLine(run("convert", dir.resolve("small.cfg"), dir.resolve("run/model-best.bin"), dir.resolve("thinc")),
                "thinc: is a folder; give the file to write, such as");
        assertOneLine(run("convert", dir.resolve("small.cfg"), dir.resolve("run/model-best.bin"),
                dir.resolve("nosuch/x.thinc")), "no such folder", "create it first");
        assertOneLine(run("convert", dir.resolve("small.cfg"), dir.resolve("nosuch.bin"), dir.resolve("x.thinc")),
                "nosuch.bin: no such file; give a model file written by thinj train");
        assertThat(dir.resolve("x.thinc")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"convert", "convert a.cfg b.bin", "convert a.cfg b.bin c.thinc --to onnx"})
    void usageErrorsPrintTheUsage(String line) {
        Result r = run((Object[]) line.split(" "));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: thinj convert").doesNotContain("\tat ");
        if (line.contains("onnx")) {
            assertThat(r.err()).contains("--to: no model format 'onnx'; expected thinc or thinj");
        }
    }
}
