package dev.thinj.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinj.model.Model;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.optimizers.OptimizerState;
import dev.thinj.model.serialize.AtomicFiles;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.model.serialize.ModelFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run's checkpoints in its output folder. Each epoch writes {@code checkpoint-N/} (model and
 * optimizer state) and then, atomically, {@code state.json} naming it: a crash at any moment leaves
 * {@code state.json} pointing at a complete checkpoint. Older checkpoint folders are removed after the
 * switch.
 */
final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where training stands after a finished epoch.
     *
     * @param epoch the last finished epoch
     * @param batchesDrawn batches drawn so far (the batch-size schedule's step)
     * @param bestAccuracy the best dev accuracy so far
     */
    record State(int epoch, long batchesDrawn, double bestAccuracy) {
    }

    private final Path dir;

    Checkpoints(Path dir) {
        this.dir = dir;
    }

    void save(Model<?, ?> model, Optimizer optimizer, State state) {
        Path folder = dir.resolve("checkpoint-" + state.epoch());
        try {
            Files.createDirectories(folder);
            ModelFile.save(model, folder.resolve("model.bin"));
            OptimizerState.save(optimizer, model, folder.resolve("optimizer.bin"));
            String json = JSON.createObjectNode().put("epoch", state.epoch()).put("batches_drawn", state.batchesDrawn())
                    .put("best_accuracy", state.bestAccuracy()).put("checkpoint", folder.getFileName().toString())
                    .toString();
            AtomicFiles.write(dir.resolve("state.json"), json.getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    String name = p.getFileName().toString();
                    if (name.startsWith("checkpoint-") && !p.equals(folder)) {
                        deleteTree(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new ModelFileException("Cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** @return the last complete state, or null when the folder holds none */
    State load(Model<?, ?> model, Optimizer optimizer) {
        Path stateFile = dir.resolve("state.json");
        if (!Files.exists(stateFile)) {
            return null;
        }
        try {
            JsonNode s = JSON.readTree(Files.readString(stateFile));
            Path folder = dir.resolve(s.get("checkpoint").asText());
            ModelFile.load(model, folder.resolve("model.bin"));
            OptimizerState.load(optimizer, model, folder.resolve("optimizer.bin"));
            return new State(s.get("epoch").asInt(), s.get("batches_drawn").asLong(), s.get("best_accuracy").asDouble());
        } catch (IOException | NullPointerException e) {
            throw new ModelFileException(stateFile + " is not a readable training state: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
