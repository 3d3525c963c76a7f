package dev.thinj.train.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationJsonTest {
    @TempDir
    Path dir;

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void classificationHoldsScoresPerClassAndTheLabelledMatrix() throws Exception {
        ClassificationReport r = ClassificationReport.of(new int[] {0, 0, 1, 1, 2, 2, 2}, new int[] {0, 1, 1, 1, 2, 0, 2},
                List.of("cat", "dog, big", "say \"eel\""));
        Path json = dir.resolve("evaluation.json");
        Files.writeString(json, "old");
        EvaluationJson.write(r, json);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("task").asText()).isEqualTo("classify");
        assertThat(root.get("count").asInt()).isEqualTo(7);
        assertThat(root.get("accuracy").asDouble()).isEqualTo(r.accuracy());
        assertThat(root.get("macro_f1").asDouble()).isEqualTo(r.macroF1());
        List<String> names = new ArrayList<>();
        root.get("classes").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("cat", "dog, big", "say \"eel\"");
        JsonNode dog = root.get("classes").get("dog, big");
        assertThat(dog.get("precision").asDouble()).isEqualTo(2.0 / 3);
        assertThat(dog.get("recall").asDouble()).isEqualTo(1.0);
        assertThat(dog.get("f1").asDouble()).isEqualTo(0.8);
        assertThat(dog.get("support").asInt()).isEqualTo(2);
        assertThat(root.get("labels").toString()).isEqualTo("[\"cat\",\"dog, big\",\"say \\\"eel\\\"\"]");
        assertThat(root.get("confusion_matrix").toString()).isEqualTo("[[1,1,0],[0,2,0],[1,0,2]]");
        assertThat(files()).containsExactly("evaluation.json");
    }

    @Test
    void regressionHoldsItsScoresAndAnUndefinedR2IsNull() throws Exception {
        Path json = dir.resolve("evaluation.json");
        EvaluationJson.write(RegressionReport.of(new float[] {3, -0.5f, 2, 7}, new float[] {2.5f, 0, 2, 8}, 1), json);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("task").asText()).isEqualTo("regress");
        assertThat(root.get("count").asInt()).isEqualTo(4);
        assertThat(root.get("width").asInt()).isEqualTo(1);
        assertThat(root.get("mse").asDouble()).isEqualTo(0.375);
        assertThat(root.get("mae").asDouble()).isEqualTo(0.5);
        assertThat(root.get("r2").asDouble()).isEqualTo(1 - 1.5 / 29.1875);

        EvaluationJson.write(RegressionReport.of(new float[] {1}, new float[] {2}, 1), json);
        root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("r2").isNull()).isTrue();
        assertThat(Files.readString(json)).doesNotContain("NaN");
        assertThat(files()).containsExactly("evaluation.json");
    }

    @Test
    void aFolderThatIsAFileIsNamedAndNothingIsLeft() throws Exception {
        Path file = Files.writeString(dir.resolve("runs"), "x");
        Path json = file.resolve("evaluation.json");
        assertThatThrownBy(() -> EvaluationJson.write(RegressionReport.of(new float[] {1}, new float[] {2}, 1), json))
                .isInstanceOf(OutputFileException.class)
                .hasMessageContaining("Cannot write evaluation report " + json)
                .hasMessageContaining("is a file");
        assertThat(files()).containsExactly("runs");
    }
}
