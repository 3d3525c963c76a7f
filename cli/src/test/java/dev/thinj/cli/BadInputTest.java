package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command given each kind of user mistake (a missing file, a folder instead of a file, an
 * unreadable file, the wrong kind of file, a config of another model, a bad width, an unknown
 * backend) exits 2 with exactly one line {@code thinj: ...} naming the file or option and saying what
 * to do, and no stack trace; {@code --verbose} adds the stack trace.
 */
class BadInputTest {
    private static final String SMALL = String.join("\n",
            "[training]", "n_epoch = 1", "batch_size = 64", "seed = 3",
            "[data]", "@datasets = \"fashion_mnist.v1\"",
            "[model]", "@layers = \"chain.v1\"",
            "[model.*.hidden]", "@layers = \"Relu.v1\"", "nO = 16",
            "[model.*.output]", "@layers = \"Softmax.v1\"",
            "[optimizer]", "@optimizers = \"Adam.v1\"", "learn_rate = 0.002", "");

    /** A trained run (model-best.bin, config.cfg, a checkpoint) and bad files beside it. */
    @TempDir
    static Path dir;

    private record Result(int code, String out, String err) {
    }

    /**
     * One mistake.
     *
     * @param name what the mistake is
     * @param args the command line, given the fixture folder
     * @param expected what the one error line must contain
     */
    record Case(String name, Function<Path, String[]> args, String... expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void trainOnce() throws IOException {
        Files.writeString(dir.resolve("small.cfg"), SMALL);
        Files.writeString(dir.resolve("other.cfg"), SMALL.replace("nO = 16", "nO = 24"));
        Files.writeString(dir.resolve("negative.cfg"), SMALL.replace("nO = 16", "nO = -5"));
        Files.writeString(dir.resolve("text.txt"), "hello, I am not a model\n");
        Files.createDirectories(dir.resolve("folder"));
        try (InputStream in = BadInputTest.class.getResourceAsStream(
                "/dev/thinj/train/data/fashion-mnist/t10k-images-idx3-ubyte.gz")) {
            Files.copy(in, dir.resolve("images.idx.gz"));
        }
        try (InputStream in = BadInputTest.class.getResourceAsStream(
                "/dev/thinj/train/data/fashion-mnist/t10k-labels-idx1-ubyte.gz")) {
            Files.copy(in, dir.resolve("labels.idx.gz"));
        }
        // An image file with a valid header (2051, 3 images of 28 x 28) and only 10 bytes of pixels.
        byte[] truncated = new byte[16 + 10];
        java.nio.ByteBuffer.wrap(truncated).putInt(2051).putInt(3).putInt(28).putInt(28);
        Files.write(dir.resolve("truncated.idx"), truncated);
        Result r = run("train", dir.resolve("small.cfg").toString(), "--output", dir.resolve("run").toString(),
                "--no-progress", "--ops", "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        Files.copy(dir.resolve("run/model-best.bin"), dir.resolve("alone.bin"));
    }

    static Stream<Case> mistakes() {
        List<Case> c = new ArrayList<>();
        // train
        c.add(new Case("train: missing config", d -> a("train", d.resolve("nosuch.cfg")),
                "nosuch.cfg: no such file; give a config file"));
        c.add(new Case("train: a folder as the config", d -> a("train", d.resolve("folder")),
                "folder: is a folder, not a config file; give a config file"));
        c.add(new Case("train: text that is not a config", d -> a("train", d.resolve("text.txt")),
                "text.txt:1: syntax error", "start the file with a [section] header"));
        c.add(new Case("train: a model file as the config", d -> a("train", d.resolve("run/model-best.bin")),
                "model-best.bin: is a thinj model file, not a config; give a config file"));
        c.add(new Case("train: --ops nosuch", d -> a("train", d.resolve("small.cfg"), "--ops", "nosuch"),
                "No backend named 'nosuch'", "see `thinj backends`"));
        c.add(new Case("train: --data names no folder", d -> a("train", d.resolve("small.cfg"), "--data",
                d.resolve("nosuch")), "nosuch: no such folder; give the folder holding the Fashion-MNIST IDX files"));
        c.add(new Case("train: --output is a file", d -> a("train", d.resolve("small.cfg"), "--output",
                d.resolve("text.txt")), "text.txt: is a file, not a folder; give --output a folder"));
        c.add(new Case("train: a negative width in the file", d -> a("train", d.resolve("negative.cfg"), "--output",
                d.resolve("out-negative")), "negative.cfg:11 [model.*.hidden] nO: Relu.v1: nO must be positive, got -5"));
        c.add(new Case("train: a negative width as an override", d -> a("train", d.resolve("small.cfg"),
                "--model.*.hidden.nO", "-5", "--output", d.resolve("out-override")),
                "<override> [model.*.hidden] nO: Relu.v1: nO must be positive, got -5"));
        c.add(new Case("train: an input width that does not fit the data", d -> a("train", d.resolve("small.cfg"),
                "--model.*.hidden.nI", "100", "--output", d.resolve("out-ni")),
                "the model does not fit the data", "'nI'", "'relu'", "small.cfg"));
        c.add(new Case("train: an output width that does not fit the labels", d -> a("train", d.resolve("small.cfg"),
                "--model.*.output.nO", "5", "--output", d.resolve("out-no")),
                "output width is 5 (nO of layer 'softmax') but the data has 10 classes"));
        c.add(new Case("train: a seed that is not an integer", d -> a("train", d.resolve("small.cfg"),
                "--training.seed", "abc"), "<override> [training] seed: expected an integer seed, got \"abc\""));
        c.add(new Case("train: no epochs", d -> a("train", d.resolve("small.cfg"), "--training.n_epoch", "0"),
                "[training] n_epoch: must be at least 1, got 0"));
        c.add(new Case("train: a batch size below 1", d -> a("train", d.resolve("small.cfg"),
                "--training.batch_size", "0"), "[training] batch_size: must be at least 1, got 0"));
        // evaluate
        c.add(new Case("evaluate: missing model", d -> a("evaluate", d.resolve("nosuch.bin")),
                "nosuch.bin: no such file; give a model file written by thinj train"));
        c.add(new Case("evaluate: the run folder as the model", d -> a("evaluate", d.resolve("run")),
                "run: is a folder, not a model file; did you mean ", "model-best.bin?"));
        c.add(new Case("evaluate: an empty folder as the model", d -> a("evaluate", d.resolve("folder")),
                "folder: is a folder, not a model file; give a model file written by thinj train"));
        c.add(new Case("evaluate: text as the model", d -> a("evaluate", d.resolve("text.txt"), "--config",
                d.resolve("small.cfg")), "text.txt is not a thinj model file", "give a model file written by thinj train"));
        c.add(new Case("evaluate: a model file as the config", d -> a("evaluate", d.resolve("run/model-best.bin"),
                "--config", d.resolve("run/model-best.bin")), "is a thinj model file, not a config"));
        c.add(new Case("evaluate: the config of another model", d -> a("evaluate", d.resolve("run/model-best.bin"),
                "--config", d.resolve("other.cfg")), "dim 'nO' is 16 in the file and 24 in the model",
                "other.cfg is not the config this model was trained with: give that one with --config FILE"));
        c.add(new Case("evaluate: missing --config", d -> a("evaluate", d.resolve("run/model-best.bin"), "--config",
                d.resolve("nosuch.cfg")), "nosuch.cfg: no such file; give a config file"));
        c.add(new Case("evaluate: a model without its config", d -> a("evaluate", d.resolve("alone.bin")),
                "No config for", "or --config FILE"));
        c.add(new Case("evaluate: missing data folder", d -> a("evaluate", d.resolve("run/model-best.bin"),
                "--data", d.resolve("nosuch")), "nosuch: no such folder", "or leave --data out for the data of the model's config"));
        c.add(new Case("evaluate: a file as the data folder", d -> a("evaluate", d.resolve("run/model-best.bin"),
                "--data", d.resolve("images.idx.gz")), "images.idx.gz: is a file, not a folder"));
        c.add(new Case("evaluate: an option that is no override", d -> a("evaluate", d.resolve("run/model-best.bin"),
                "--no-such-thing=3"), "--no-such-thing=3: a config override names a section and a key"));
        c.add(new Case("evaluate: --ops nosuch", d -> a("evaluate", d.resolve("run/model-best.bin"), "--ops",
                "nosuch"), "No backend named 'nosuch'"));
        // predict
        c.add(new Case("predict: missing model", d -> a("predict", d.resolve("nosuch.bin"), d.resolve("images.idx.gz")),
                "nosuch.bin: no such file; give a model file"));
        c.add(new Case("predict: text as the model", d -> a("predict", d.resolve("text.txt"), d.resolve("images.idx.gz"),
                "--config", d.resolve("small.cfg")), "text.txt is not a thinj model file"));
        c.add(new Case("predict: the config of another model", d -> a("predict", d.resolve("run/model-best.bin"),
                d.resolve("images.idx.gz"), "--config", d.resolve("other.cfg")), "is not the config this model was trained with"));
        c.add(new Case("predict: missing images", d -> a("predict", d.resolve("run/model-best.bin"), d.resolve("nosuch.idx")),
                "nosuch.idx: no such file; give a CSV/TSV file", "a NumPy .npy array, or an IDX image file"));
        c.add(new Case("predict: a folder as the images", d -> a("predict", d.resolve("run/model-best.bin"), d.resolve("folder")),
                "folder: is a folder, not an input file; give a CSV/TSV file"));
        c.add(new Case("predict: text as the images", d -> a("predict", d.resolve("run/model-best.bin"), d.resolve("text.txt")),
                "text.txt: 2 features per row, but the model takes 784"));
        c.add(new Case("predict: a model file as the images", d -> a("predict", d.resolve("run/model-best.bin"),
                d.resolve("run/model-best.bin")), "model-best.bin: not a file predict reads", "an IDX image file"));
        c.add(new Case("predict: labels as the images", d -> a("predict", d.resolve("run/model-best.bin"),
                d.resolve("labels.idx.gz")), "labels.idx.gz: an IDX label file; predict reads the images"));
        c.add(new Case("predict: truncated images", d -> a("predict", d.resolve("run/model-best.bin"),
                d.resolve("truncated.idx")), "truncated.idx: ", "truncated"));
        c.add(new Case("predict: --ops nosuch", d -> a("predict", d.resolve("run/model-best.bin"),
                d.resolve("images.idx.gz"), "--ops", "nosuch"), "No backend named 'nosuch'"));
        return c.stream();
    }

    private static String[] a(Object... args) {
        return Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    }

    private static void assertOneLine(Result r, String... expected) {
        assertThat(r.code()).as("exit code; stderr: " + r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as("exactly one line: " + r.err()).hasSize(1);
        assertThat(r.err()).startsWith("thinj: ");
        for (String e : expected) {
            assertThat(r.err()).contains(e);
        }
        assertNoStackTrace(r);
    }

    static void assertNoStackTrace(Result r) {
        for (String s : new String[] {r.out(), r.err()}) {
            assertThat(s).doesNotContain("\tat ").doesNotContain("Exception in thread").doesNotContain("Caused by");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeIsOneLineSayingWhatToDo(Case mistake) {
        assertOneLine(run(mistake.args().apply(dir)), mistake.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void verboseAddsTheStackTraceToTheSameLine(Case mistake) {
        String[] args = mistake.args().apply(dir);
        String[] verbose = Arrays.copyOf(args, args.length + 1);
        verbose[args.length] = "--verbose";
        Result r = run(verbose);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("thinj: ").contains(mistake.expected()[0]);
        assertThat(r.err()).contains("\tat dev.thinj.");
    }

    @Test
    void verboseMayComeBeforeTheCommand() {
        Result r = run("--verbose", "train", dir.resolve("nosuch.cfg").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("thinj: " + dir.resolve("nosuch.cfg") + ": no such file").contains("\tat ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"config", "model", "images"})
    void anUnreadableFileIsNamed(String which) throws IOException {
        Path p = dir.resolve("unreadable-" + which);
        Files.copy(dir.resolve(switch (which) {
            case "config" -> "small.cfg";
            case "model" -> "run/model-best.bin";
            default -> "images.idx.gz";
        }), p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(p), "running as root: chmod 000 leaves the file readable");
            Result r = switch (which) {
                case "config" -> run("train", p.toString());
                case "model" -> run("evaluate", p.toString(), "--config", dir.resolve("small.cfg").toString());
                default -> run("predict", dir.resolve("run/model-best.bin").toString(), p.toString());
            };
            assertOneLine(r, p + ": cannot read it (permission denied); check its permissions");
        } finally {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void resumingWithAnotherModelsConfigIsRefusedAndLeavesTheRunAsItWas() throws IOException {
        Path copy = dir.resolve("run-copy");
        try (Stream<Path> files = Files.walk(dir.resolve("run"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.copy(p, copy.resolve(dir.resolve("run").relativize(p).toString()));
            }
        }
        String config = Files.readString(copy.resolve("config.cfg"));
        Result r = run("train", dir.resolve("other.cfg").toString(), "--output", copy.toString(), "--resume",
                "--no-progress");
        assertOneLine(r, copy + " holds a checkpoint of another model", "dim 'nO' is 16 in the file and 24",
                "train into another --output, or leave out --resume");
        assertThat(Files.readString(copy.resolve("config.cfg"))).as("the run's config is untouched").isEqualTo(config);
    }

    /** Picocli's own usage errors keep its handling: the message and the usage, exit 2, no stack trace. */
    @ParameterizedTest
    @ValueSource(strings = {"train", "evaluate", "predict MODEL", "backends --ops nosuch", "nosuchcommand", "predict m.bin i.idx --limit -1", "predict m.bin i.idx --limit many"})
    void usageErrorsPrintTheUsage(String line) {
        Result r = run(line.split(" "));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).containsAnyOf("Usage: thinj", "Did you mean");
        assertNoStackTrace(r);
    }
}
