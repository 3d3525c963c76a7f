package dev.thinj.train.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a report as {@code evaluation.json}, atomically, for scripts to read.
 *
 * <p>Classification: {@code {"task": "classify", "count", "accuracy", "macro_f1",
 * "classes": {name: {"precision", "recall", "f1", "support"}, ...} (in class order),
 * "labels": [name, ...], "confusion_matrix": [[...], ...]}} with rows the true class and columns the
 * predicted one, in the order of {@code labels}. Regression: {@code {"task": "regress", "count",
 * "width", "mse", "mae", "r2"}}; an undefined R² (one row) is {@code null}.
 */
public final class EvaluationJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvaluationJson() {
    }

    /**
     * @param r the report
     * @param json the file to write (replaced atomically)
     * @throws OutputFileException naming {@code json} if it cannot be written
     */
    public static void write(ClassificationReport r, Path json) {
        ObjectNode root = JSON.createObjectNode().put("task", "classify").put("count", r.count());
        number(root, "accuracy", r.accuracy());
        number(root, "macro_f1", r.macroF1());
        ObjectNode classes = root.putObject("classes");
        for (ClassScores c : r.classes()) {
            ObjectNode node = classes.putObject(c.name());
            number(node, "precision", c.precision());
            number(node, "recall", c.recall());
            number(node, "f1", c.f1());
            node.put("support", c.support());
        }
        ArrayNode labels = root.putArray("labels");
        r.classNames().forEach(labels::add);
        ArrayNode matrix = root.putArray("confusion_matrix");
        for (int[] row : r.confusion()) {
            ArrayNode cells = matrix.addArray();
            for (int v : row) {
                cells.add(v);
            }
        }
        write(root, json);
    }

    /**
     * @param r the report
     * @param json the file to write (replaced atomically)
     * @throws OutputFileException naming {@code json} if it cannot be written
     */
    public static void write(RegressionReport r, Path json) {
        ObjectNode root = JSON.createObjectNode().put("task", "regress").put("count", r.count()).put("width", r.width());
        number(root, "mse", r.mse());
        number(root, "mae", r.mae());
        number(root, "r2", r.r2());
        write(root, json);
    }

    /** JSON has no NaN: an undefined score is null rather than a token other readers reject. */
    private static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    private static void write(ObjectNode root, Path json) {
        String text;
        try {
            text = JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree of plain nodes always serializes", e);
        }
        OutputFiles.write(json, text.getBytes(StandardCharsets.UTF_8), "evaluation report");
    }
}
