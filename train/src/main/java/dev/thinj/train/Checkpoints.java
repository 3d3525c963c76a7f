package dev.thinj.train;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.thinj.model.Model;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.optimizers.OptimizerState;
import dev.thinj.model.serialize.AtomicFiles;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.model.serialize.ModelMismatchException;
import dev.thinj.ops.FloatArray;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import dev.thinj.train.report.Deferred;
import dev.thinj.train.report.EpochEnd;
import dev.thinj.train.report.TrainingListener;

/**
 * A run's checkpoints in its output folder. Each epoch writes {@code checkpoint-N/} (model and
 * optimizer state) and then, atomically, {@code state.json} naming it: a crash at any moment leaves
 * {@code state.json} pointing at a complete checkpoint. Older checkpoint folders are removed after the
 * switch.
 */
final class Checkpoints implements TrainingListener {
    /** Strict: a key twice or text after the object is a garbled file, not something to guess about. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** The largest {@code state.json} read; what this class writes is about a hundred bytes. */
    static final long MAX_STATE_BYTES = 64 * 1024;

    /**
     * Where training stands after a finished epoch.
     *
     * @param epoch the last finished epoch
     * @param batchesDrawn batches drawn so far (the batch-size schedule's step)
     * @param bestScore the best dev score so far (accuracy, or R² for regression; higher is better)
     */
    record State(int epoch, long batchesDrawn, double bestScore) {
    }

    private final Path dir;
    private final Deferred files = new Deferred("checkpoint");
    /** The epoch whose files {@link #stepsFinished} handed to {@link #files}, or 0. */
    private int writing;

    Checkpoints(Path dir) {
        this.dir = dir;
    }

    /**
     * Takes the epoch's model and optimizer files now (copies on the host, a few milliseconds) and
     * writes them on a background thread while the evaluation runs: they need the trained parameters,
     * not the scores.
     */
    @Override
    public void stepsFinished(int epoch, Model<FloatArray, FloatArray> model, Optimizer optimizer) {
        Path folder = dir.resolve(checkpointName(epoch));
        AtomicFiles.Content modelFile = ModelFile.snapshot(model);
        AtomicFiles.Content optimizerFile = OptimizerState.snapshot(optimizer, model);
        files.run(() -> writeFiles(folder, modelFile, optimizerFile));
        writing = epoch;
    }

    @Override
    public void epochFinished(EpochEnd end) {
        State state = new State(end.metrics().epoch(), end.batchesDrawn(), end.bestScore());
        if (writing == state.epoch()) {
            // On this thread, before the epoch line is printed: a run killed after "epoch N" resumes from N.
            writing = 0;
            files.await();
            commit(state);
        } else {
            save(end.model(), end.optimizer(), state);
        }
    }

    /** Waits for files still being written (a run that stopped during an evaluation). */
    @Override
    public void runEnded() {
        writing = 0;
        files.finish();
    }

    void save(Model<?, ?> model, Optimizer optimizer, State state) {
        // The arrays are read on this thread (a backend's arrays belong to the thread that drives it); the
        // files are written on the background one all the same, after what is queued there (an older
        // checkpoint's removal, which must not list the folder being written), while this thread waits.
        Path folder = dir.resolve(checkpointName(state.epoch()));
        AtomicFiles.Content modelFile = ModelFile.snapshot(model);
        AtomicFiles.Content optimizerFile = OptimizerState.snapshot(optimizer, model);
        files.run(() -> writeFiles(folder, modelFile, optimizerFile));
        files.await();
        commit(state);
    }

    private void writeFiles(Path folder, AtomicFiles.Content modelFile, AtomicFiles.Content optimizerFile) {
        try {
            Files.createDirectories(folder);
            AtomicFiles.write(folder.resolve("model.bin"), modelFile);
            AtomicFiles.write(folder.resolve("optimizer.bin"), optimizerFile);
        } catch (IOException e) {
            throw new ModelFileException("Cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Names the epoch's complete files in {@code state.json}, then removes the older checkpoints. */
    private void commit(State state) {
        Path folder = dir.resolve(checkpointName(state.epoch()));
        try {
            var node = JSON.createObjectNode().put("epoch", state.epoch()).put("batches_drawn", state.batchesDrawn());
            // No score yet (every epoch's was NaN): null, as JSON has no infinities.
            if (Double.isFinite(state.bestScore())) {
                node.put("best_score", state.bestScore());
            } else {
                node.putNull("best_score");
            }
            String json = node.put("checkpoint", folder.getFileName().toString()).toString();
            // Last: until this rename, state.json names the previous, complete checkpoint.
            AtomicFiles.write(dir.resolve("state.json"), json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelFileException("Cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
        }
        // Nothing names the older ones any more: they go in the background (listing and unlinking took
        // ~17 ms per epoch here), queued before the next checkpoint's files; one left by a crash goes
        // with the next checkpoint.
        files.run(() -> deleteAllBut(folder));
    }

    private void deleteAllBut(Path folder) {
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith("checkpoint-") && !p.equals(folder)) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new ModelFileException("Cannot remove old checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads the last complete checkpoint into the model and the optimizer. {@code state.json} is
     * checked in full before either is touched.
     *
     * @param model the model, of the architecture the checkpoint was saved from
     * @param optimizer its optimizer
     * @return the last complete state, or null when the folder holds no {@code state.json}
     * @throws ModelFileException naming the file and what is wrong: {@code state.json} unreadable, not a
     *     JSON object, or with a missing, ill-typed or out-of-range field; or the checkpoint it names
     *     missing or corrupt
     */
    State load(Model<?, ?> model, Optimizer optimizer) {
        Path stateFile = dir.resolve("state.json");
        if (!Files.exists(stateFile)) {
            return null;
        }
        State state = readState(stateFile);
        Path folder = dir.resolve(checkpointName(state.epoch()));
        try {
            ModelFile.load(model, folder.resolve("model.bin"));
            OptimizerState.load(optimizer, model, folder.resolve("optimizer.bin"));
        } catch (ModelMismatchException e) {
            throw e;  // intact, but another model's: the caller says what to do about that
        } catch (ModelFileException e) {
            throw new ModelFileException(stateFile + " names " + folder.getFileName() + ", which cannot be loaded: "
                    + e.getMessage(), e);
        }
        return state;
    }

    private static String checkpointName(int epoch) {
        return "checkpoint-" + epoch;
    }

    /** Reads and checks {@code state.json}: every field present, of its type, and in range. */
    static State readState(Path stateFile) {
        JsonNode s;
        try {
            // A state is about a hundred bytes; refuse to read a huge file into memory to find that out.
            long size = Files.size(stateFile);
            if (size > MAX_STATE_BYTES) {
                throw garbled(stateFile, "it holds " + size + " bytes, far more than a training state");
            }
            s = JSON.readTree(Files.readString(stateFile, StandardCharsets.UTF_8));
        } catch (CharacterCodingException e) {
            throw garbled(stateFile, "it is not UTF-8 text", e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw garbled(stateFile, "not valid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw garbled(stateFile, e.toString(), e);
        }
        if (s == null || s.isMissingNode()) {
            throw garbled(stateFile, "it is empty");
        }
        if (!s.isObject()) {
            throw garbled(stateFile, "expected a JSON object, got " + s.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        JsonNode epoch = field(s, stateFile, "epoch");
        if (!epoch.isIntegralNumber() || !epoch.canConvertToInt() || epoch.intValue() < 1) {
            throw garbled(stateFile, "\"epoch\" must be a whole number of finished epochs, at least 1, got "
                    + describe(epoch));
        }
        JsonNode batches = field(s, stateFile, "batches_drawn");
        if (!batches.isIntegralNumber() || !batches.canConvertToLong() || batches.longValue() < 0) {
            throw garbled(stateFile, "\"batches_drawn\" must be a whole number, at least 0, got " + describe(batches));
        }
        // "best_accuracy": the name before regression runs (a score that can be negative) existed.
        String bestKey = s.has("best_score") || !s.has("best_accuracy") ? "best_score" : "best_accuracy";
        JsonNode best = field(s, stateFile, bestKey);
        if (!best.isNull() && (!best.isNumber() || !Double.isFinite(best.doubleValue()) || best.doubleValue() > 1)) {
            throw garbled(stateFile, "\"" + bestKey + "\" must be null or a number up to 1 (an accuracy or an R²), got "
                    + describe(best));
        }
        JsonNode checkpoint = field(s, stateFile, "checkpoint");
        // Only the name this class writes: never a path that could point outside the folder.
        if (!checkpoint.isTextual() || !checkpoint.textValue().equals(checkpointName(epoch.intValue()))) {
            throw garbled(stateFile, "\"checkpoint\" must be \"" + checkpointName(epoch.intValue())
                    + "\", the folder of epoch " + epoch.intValue() + ", got " + describe(checkpoint));
        }
        return new State(epoch.intValue(), batches.longValue(), best.isNull() ? Double.NEGATIVE_INFINITY
                : best.doubleValue());
    }

    /** @return the value as JSON, cut short: a garbled file may hold anything */
    private static String describe(JsonNode v) {
        String json = v.toString();
        return json.length() > 60 ? json.substring(0, 57) + "..." : json;
    }

    private static JsonNode field(JsonNode s, Path stateFile, String name) {
        JsonNode v = s.get(name);
        if (v == null) {
            throw garbled(stateFile, "the field \"" + name + "\" is missing");
        }
        return v;
    }

    private static ModelFileException garbled(Path stateFile, String why) {
        return new ModelFileException(stateFile + " is not a readable training state: " + why);
    }

    private static ModelFileException garbled(Path stateFile, String why, Throwable cause) {
        return new ModelFileException(stateFile + " is not a readable training state: " + why, cause);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
