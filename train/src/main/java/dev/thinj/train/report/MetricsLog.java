package dev.thinj.train.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thinj.model.serialize.AtomicFiles;
import dev.thinj.model.serialize.ModelFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics file: one JSON object per epoch per line ({@code epoch}, {@code loss},
 * {@code dev_<score>} per dev score, {@code seconds}, {@code samples_per_s}). Each line is appended and forced to
 * disk whole, so a crash loses at most the epoch in progress; {@link #read} skips a torn last line.
 */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsLog() {
    }

    /**
     * Replaces the file with exactly these epochs, atomically (used when a resumed run drops the lines
     * of epochs it is about to redo).
     *
     * @param path the metrics file
     * @param metrics the epochs to keep
     */
    public static void rewrite(Path path, List<EpochMetrics> metrics) {
        StringBuilder text = new StringBuilder();
        metrics.forEach(m -> text.append(line(m)).append('\n'));
        try {
            AtomicFiles.write(path, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelFileException("Cannot write metrics file " + path + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode line(EpochMetrics m) {
        ObjectNode line = JSON.createObjectNode().put("epoch", m.epoch()).put("loss", m.loss());
        m.dev().forEach((name, value) -> line.put("dev_" + name, value));
        return line.put("seconds", m.seconds()).put("samples_per_s", m.samplesPerSecond());
    }

    /**
     * @param path the metrics file (created if missing)
     * @param m the epoch to append
     */
    public static void append(Path path, EpochMetrics m) {
        ObjectNode line = line(m);
        try {
            Files.write(path, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new ModelFileException("Cannot append to metrics file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param path a metrics file
     * @return its complete lines, in order (a torn last line from a crash is skipped)
     */
    public static List<EpochMetrics> read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ModelFileException("Cannot read metrics file " + path + ": " + e.getMessage(), e);
        }
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                Map<String, Double> dev = new LinkedHashMap<>();
                n.fields().forEachRemaining(f -> {
                    if (f.getKey().startsWith("dev_")) {
                        dev.put(f.getKey().substring(4), f.getValue().asDouble());
                    }
                });
                out.add(new EpochMetrics(n.get("epoch").asInt(), n.get("loss").asDouble(), dev,
                        n.get("seconds").asDouble(), n.get("samples_per_s").asDouble()));
            } catch (IOException | NullPointerException | IllegalArgumentException e) {
                if (i == lines.size() - 1) {
                    break;  // the line a crash tore: everything before it is whole
                }
                throw new ModelFileException(path + ":" + (i + 1) + ": not a metrics line: " + line);
            }
        }
        return out;
    }
}
