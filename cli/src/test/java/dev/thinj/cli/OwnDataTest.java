package dev.thinj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The main job on a user's own tables, as the README shows it: the two CSV examples trained, evaluated
 * and predicted through the command line, and the mistakes a user makes with them.
 */
class OwnDataTest {
    /** The repository's examples, from the module folder Maven runs the tests in. */
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
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

    private static String ok(String... args) {
        Result r = run(args);
        assertThat(r.code()).as("exit code; stderr: " + r.err()).isZero();
        return r.out();
    }

    private Path trainClassifier() {
        Path out = dir.resolve("classify");
        ok("train", EXAMPLES.resolve("csv-classify/csv-classify.cfg").toString(), "--output", out.toString(),
                "--no-progress", "--ops", "cpu", "--data.train", EXAMPLES.resolve("csv-classify/train.csv").toString(),
                "--training.n_epoch", "8");
        return out;
    }

    @Test
    void aCsvClassifierWithStringLabelsTrainsEvaluatesAndPredictsByName() throws Exception {
        Path out = trainClassifier();
        String evaluated = ok("evaluate", out.resolve("model-best.bin").toString());
        assertThat(evaluated).contains("blue").contains("green").contains("red").contains("macro F1");
        JsonNode json = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(json.get("accuracy").asDouble()).isGreaterThan(0.8);
        assertThat(out.resolve("confusion.png")).exists();

        // The training file itself, label column included: it is ignored.
        Path predictions = dir.resolve("predictions.csv");
        ok("predict", out.resolve("model-best.bin").toString(), EXAMPLES.resolve("csv-classify/train.csv").toString(),
                "--output", predictions.toString(), "--probabilities");
        List<String> lines = Files.readAllLines(predictions);
        assertThat(lines.get(0)).isEqualTo("label,p_blue,p_green,p_red");
        assertThat(lines).hasSize(301);
        List<String> truth = Files.readAllLines(EXAMPLES.resolve("csv-classify/train.csv"));
        int right = 0;
        for (int i = 1; i < lines.size(); i++) {
            String guess = lines.get(i).split(",")[0];
            assertThat(guess).isIn("blue", "green", "red");
            right += truth.get(i).startsWith(guess + ",") ? 1 : 0;
        }
        assertThat(right).as("rows predicted right of 300").isGreaterThan(240);

        // The columns in another order, the label last: found by name.
        Path reordered = dir.resolve("reordered.csv");
        Files.write(reordered, truth.stream().map(l -> {
            String[] f = l.split(",");
            return String.join(",", f[4], f[2], f[1], f[3], f[0]);
        }).toList());
        Path again = dir.resolve("again.csv");
        ok("predict", out.resolve("model-best.bin").toString(), reordered.toString(), "--output", again.toString(),
                "--probabilities");
        assertThat(Files.readAllLines(again)).isEqualTo(lines);
        assertThat(Files.readString(out.resolve("dataset.json"))).contains("\"feature_names\"");

        // Without the label column.
        Path unlabelled = dir.resolve("unlabelled.csv");
        Files.write(unlabelled, truth.stream().map(l -> l.substring(l.indexOf(',') + 1)).toList());
        String printed = ok("predict", out.resolve("model-best.bin").toString(), unlabelled.toString(), "--limit", "5");
        assertThat(printed.lines().toList()).hasSize(6).first().isEqualTo("label");
    }

    @Test
    void aCsvRegressionReportsR2AndPredictsValues() throws Exception {
        Path out = dir.resolve("regress");
        String trained = ok("train", EXAMPLES.resolve("csv-regress/csv-regress.cfg").toString(), "--output",
                out.toString(), "--no-progress", "--ops", "cpu", "--data.train",
                EXAMPLES.resolve("csv-regress/train.csv").toString(), "--training.n_epoch", "30");
        assertThat(trained).contains("dev r2").contains("dev mse").contains("dev mae").contains("test r2");
        String evaluated = ok("evaluate", out.resolve("model-best.bin").toString());
        assertThat(evaluated).contains("R2").contains("MSE").contains("MAE");
        JsonNode json = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(json.get("r2").asDouble()).isGreaterThan(0.7);
        assertThat(out.resolve("scatter.png")).exists();

        String predicted = ok("predict", out.resolve("model-best.bin").toString(),
                EXAMPLES.resolve("csv-regress/train.csv").toString(), "--limit", "4");
        List<String> lines = predicted.lines().toList();
        assertThat(lines).hasSize(5).first().isEqualTo("prediction");
        lines.subList(1, 5).forEach(l -> assertThat(Double.parseDouble(l)).isFinite());
    }

    @Test
    void inputOfAnotherWidthIsOneLineAndWritesNothing() throws Exception {
        Path out = trainClassifier();
        Path narrow = dir.resolve("narrow.csv");
        Files.writeString(narrow, "x1,x2\n1,2\n3,4\n");
        Path predictions = dir.resolve("p.csv");
        Result r = run("predict", out.resolve("model-best.bin").toString(), narrow.toString(), "--output",
                predictions.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("thinj: ").contains("narrow.csv");
        assertThat(predictions).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".p.csv");
        }
    }

    @Test
    void aTestLabelTrainingNeverSawIsNamed() throws Exception {
        Path out = trainClassifier();
        Path test = dir.resolve("test.csv");
        Files.writeString(test, "color,x1,x2,x3,x4\nred,1,0,0,0\npurple,0,1,0,0\n");
        Path train = dir.resolve("train.csv");
        Files.writeString(train, "color,x1,x2,x3,x4\nred,1,0,0,0\npurple,0,1,0,0\nblue,0,0,1,0\n");
        Result r = run("evaluate", out.resolve("model-best.bin").toString(), "--data.train", train.toString(),
                "--data.test", test.toString(), "--output", dir.resolve("eval").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).contains("\"purple\"").contains("never seen in training");
        assertThat(Set.of("evaluation.json", "confusion.png")).allMatch(f -> !Files.exists(dir.resolve("eval").resolve(f)));
    }
}
