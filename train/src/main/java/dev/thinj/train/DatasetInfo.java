package dev.thinj.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thinj.model.serialize.AtomicFiles;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a trained model needs to know of its data after training, kept as {@code dataset.json} beside
 * it: the task, the feature width inputs must have, and the class names {@code thinj predict} prints
 * (or the number of regression targets).
 *
 * @param task classification or regression
 * @param width features per row
 * @param classNames the class names in index order (classification), else empty
 * @param targetWidth targets per row (regression), else 0
 * @param featureNames the feature columns' names in row order (a CSV header), or empty
 */
public record DatasetInfo(Task task, int width, List<String> classNames, int targetWidth, List<String> featureNames) {
    /** The file's name in a run folder. */
    public static final String FILE = "dataset.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the names. */
    public DatasetInfo {
        classNames = List.copyOf(classNames);
        featureNames = List.copyOf(featureNames);
    }

    /** Features without names. */
    public DatasetInfo(Task task, int width, List<String> classNames, int targetWidth) {
        this(task, width, classNames, targetWidth, List.of());
    }

    /**
     * @param data a dataset
     * @return what predict needs to know of it
     */
    public static DatasetInfo of(Dataset data) {
        return new DatasetInfo(data.task(), data.train().width(), data.classNames(), data.train().targetWidth(),
                data.featureNames());
    }

    /** @return the model's output width: the classes, or the targets per row */
    public int outputs() {
        return task == Task.CLASSIFY ? classNames.size() : targetWidth;
    }

    /**
     * Writes the file atomically.
     *
     * @param path where
     */
    public void write(Path path) {
        ObjectNode node = JSON.createObjectNode().put("task", task.name().toLowerCase(Locale.ROOT)).put("width", width);
        classNames.forEach(node.putArray("class_names")::add);
        node.put("target_width", targetWidth);
        if (!featureNames.isEmpty()) {
            featureNames.forEach(node.putArray("feature_names")::add);
        }
        try {
            AtomicFiles.write(path, (node.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelFileException("Cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param path a {@code dataset.json}
     * @return what it says
     * @throws ModelFileException if it cannot be read or is not what {@link #write} writes
     */
    public static DatasetInfo read(Path path) {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new ModelFileException(path + ": cannot read it: " + e.getMessage(), e);
        }
        try {
            Task task = Task.valueOf(n.get("task").asText().toUpperCase(Locale.ROOT));
            List<String> names = new ArrayList<>();
            n.get("class_names").forEach(c -> names.add(c.asText()));
            int width = n.get("width").asInt(-1);
            int targetWidth = n.get("target_width").asInt(-1);
            List<String> features = new ArrayList<>();
            if (n.has("feature_names")) {
                n.get("feature_names").forEach(c -> features.add(c.asText()));
            }
            if (width < 1 || targetWidth < 0 || (task == Task.CLASSIFY) == names.isEmpty()
                    || (!features.isEmpty() && features.size() != width)) {
                throw new IllegalArgumentException("inconsistent widths or names");
            }
            return new DatasetInfo(task, width, names, targetWidth, features);
        } catch (RuntimeException e) {
            throw new ModelFileException(path + ": not a dataset.json written by thinj train (" + e.getMessage()
                    + ")", e);
        }
    }
}
