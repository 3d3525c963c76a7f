package dev.thinj.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinj.model.Model;
import dev.thinj.model.Mutations;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.optimizers.Adam;
import dev.thinj.model.optimizers.Optimizer;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint folder with a present but bad {@code state.json} or checkpoint: truncated, bit-flipped,
 * empty, not JSON, JSON of the wrong shape, fields missing, of the wrong type or out of range, a
 * checkpoint name that points elsewhere, and checkpoint files missing or corrupt. {@link Checkpoints#load}
 * must either load a state that says what the file says, or throw a {@link ModelFileException} naming
 * the file. Each try's seed is in its failure message.
 */
// A hang guard only: a separate thread, so that even a loop that ignores interrupts fails the test.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CheckpointsFuzzTest {
    private static final int TRIES = 1000;
    private static final ObjectMapper LENIENT = new ObjectMapper();
    private static final Ops OPS = Ops.get("cpu");
    private static final FloatArray X = OPS.asArray(new float[] {0.1f, 0.2f, -0.3f, 0.4f, 0.5f, -0.6f}, 2, 3);

    @TempDir
    Path dir;
    private Path stateFile;
    private String original;
    /** Loaded into again and again: loading the same checkpoint leaves them the same. */
    private final Model<FloatArray, FloatArray> target = model();
    private final Optimizer targetOptimizer = Adam.of(0.01);

    private static Model<FloatArray, FloatArray> model() {
        RandomSeeds.fix(5);
        return Chain.of(Relu.of(4), Softmax.of(3)).initialize(X, null);
    }

    @BeforeEach
    void saveACheckpoint() throws IOException {
        Optimizer opt = Adam.of(0.01);
        Checkpoints checkpoints = new Checkpoints(dir);
        checkpoints.save(model(), opt, new Checkpoints.State(1, 94, 0.8125));
        checkpoints.runEnded();  // its background work (removing older checkpoints) done before the files change
        stateFile = dir.resolve("state.json");
        original = Files.readString(stateFile);
    }

    /** Values of every JSON type and none, in and out of each field's range. */
    private static final List<String> VALUES = List.of(
            "1", "0", "-1", "2", "94", "1.5", "1e3", "1e400", "-1e400", "2147483648", "9223372036854775808",
            "-9223372036854775809", "0.5", "NaN", "null", "true", "\"1\"", "\"checkpoint-1\"", "\"checkpoint-2\"",
            "\"../checkpoint-1\"", "\"/etc\"", "\"\"", "\"a\\u0000b\"", "[]", "[1]", "{}", "{\"epoch\":1}",
            "\"" + "x".repeat(5000) + "\"", "[".repeat(2000) + "]".repeat(2000));
    private static final List<String> FIELDS = List.of("epoch", "batches_drawn", "best_score", "checkpoint");

    /** One random edit of state.json's text: a field's value, a field dropped or doubled, or raw bytes. */
    private static byte[] mutate(String json, Random r) {
        String field = FIELDS.get(r.nextInt(FIELDS.size()));
        String value = VALUES.get(r.nextInt(VALUES.size()));
        String pattern = "\"" + field + "\":(\"[^\"]*\"|[^,}]*)";
        String replacement = Matcher.quoteReplacement("\"" + field + "\":" + value);
        String text = switch (r.nextInt(9)) {
            case 0, 1, 2 -> json.replaceFirst(pattern, replacement);
            case 3 -> json.replaceFirst(pattern + ",?", "");
            case 4 -> json.replaceFirst("}$", "," + replacement + "}");
            case 5 -> value;
            case 6 -> Mutations.mutateChars(json, r, "{}[]\":,0123456789.-eE \n\\tnul");
            default -> null;
        };
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return text != null ? text.getBytes(StandardCharsets.UTF_8) : Mutations.mutate(bytes, r);
    }

    /** Loads, and checks that a loaded state says what the file says. */
    private void tryLoad(byte[] bytes, String what) throws IOException {
        Files.write(stateFile, bytes);
        Checkpoints.State state;
        try {
            state = new Checkpoints(dir).load(target, targetOptimizer);
        } catch (ModelFileException e) {
            assertThat(e.getMessage()).as(what).isNotBlank().contains(stateFile.toString());
            return;
        } catch (Throwable e) {
            throw new AssertionError(what + ": expected a ModelFileException, got " + e, e);
        }
        JsonNode s = LENIENT.readTree(bytes);
        assertThat(state.epoch()).as(what).isEqualTo(s.get("epoch").intValue()).isEqualTo(1);
        assertThat(state.batchesDrawn()).as(what).isEqualTo(s.get("batches_drawn").longValue()).isNotNegative();
        JsonNode best = s.get("best_score");
        assertThat(state.bestScore()).as(what).isEqualTo(best.isNull() ? Double.NEGATIVE_INFINITY : best.doubleValue())
                .isLessThanOrEqualTo(1.0);
        assertThat(s.get("checkpoint").textValue()).as(what).isEqualTo("checkpoint-1");
    }

    @Test
    void theSavedStateLoads() {
        assertThat(new Checkpoints(dir).load(model(), Adam.of(0.01))).isEqualTo(new Checkpoints.State(1, 94, 0.8125));
    }

    @Test
    void mutatedStateFilesLoadWhatTheySayOrAreRefusedNamingTheFile() throws IOException {
        for (int t = 0; t < TRIES; t++) {
            long seed = 1000 + t;
            tryLoad(mutate(original, new Random(seed)), "seed " + seed);
        }
    }

    // ---- the named cases ---------------------------------------------------------------------------

    private void assertRefused(String json, String message) throws IOException {
        Files.writeString(stateFile, json);
        assertThatThrownBy(() -> new Checkpoints(dir).load(model(), Adam.of(0.01)))
                .isInstanceOf(ModelFileException.class).hasMessageContaining(stateFile.toString())
                .hasMessageContaining(message);
    }

    @Test
    void emptyOrGarbledStateFilesAreRefused() throws IOException {
        assertRefused("", "it is empty");
        assertRefused("  \n", "it is empty");
        assertRefused("{\"epoch\":1,", "not valid JSON at line 1");
        assertRefused("[1, 2]", "expected a JSON object, got array");
        assertRefused("\"checkpoint-1\"", "expected a JSON object, got string");
        assertRefused(original + " {}", "not valid JSON");
        assertRefused(original.replace("}", ",\"epoch\":2}"), "Duplicate field 'epoch'");
        Files.write(stateFile, new byte[] {'{', (byte) 0xff, '}'});
        assertThatThrownBy(() -> new Checkpoints(dir).load(model(), Adam.of(0.01)))
                .isInstanceOf(ModelFileException.class).hasMessageContaining(stateFile.toString());
    }

    @Test
    void missingIllTypedAndOutOfRangeFieldsAreRefused() throws IOException {
        assertRefused("{}", "the field \"epoch\" is missing");
        assertRefused(original.replace("\"epoch\":1", "\"epoch\":\"1\""), "\"epoch\" must be a whole number");
        assertRefused(original.replace("\"epoch\":1", "\"epoch\":0"), "at least 1, got 0");
        assertRefused(original.replace("\"epoch\":1", "\"epoch\":1.5"), "got 1.5");
        assertRefused(original.replace("\"epoch\":1", "\"epoch\":4294967297"), "got 4294967297");
        assertRefused(original.replace("\"batches_drawn\":94", "\"batches_drawn\":-1"), "at least 0, got -1");
        assertRefused(original.replace("\"batches_drawn\":94", "\"batches_drawn\":null"), "got null");
        assertRefused(original.replace("0.8125", "\"high\""), "\"best_score\" must be null or a number up to 1");
        assertRefused(original.replace("0.8125", "1e400"), "\"best_score\" must be null or a number up to 1");
    }

    @Test
    void aCheckpointNameThatPointsElsewhereIsRefused() throws IOException {
        assertRefused(original.replace("checkpoint-1", "../../elsewhere"), "\"checkpoint\" must be \"checkpoint-1\"");
        assertRefused(original.replace("checkpoint-1", ""), "got \"\"");
        assertRefused(original.replace("\"checkpoint-1\"", "7"), "got 7");
        assertRefused(original.replace("checkpoint-1", "nul\\u0000l"), "\"checkpoint\" must be");
    }

    @Test
    void aHugeStateFileIsRefusedWithoutReadingIt() throws IOException {
        assertRefused(" ".repeat((int) Checkpoints.MAX_STATE_BYTES + 1) + original, "far more than a training state");
    }

    @Test
    void aStateNamingAMissingOrCorruptCheckpointIsRefusedNamingBoth() throws IOException {
        Path folder = dir.resolve("checkpoint-1");
        assertRefused(original.replace("\"epoch\":1", "\"epoch\":2").replace("checkpoint-1", "checkpoint-2"),
                "checkpoint-2/model.bin does not exist");

        byte[] model = Files.readAllBytes(folder.resolve("model.bin"));
        Random r = new Random(11);
        for (int t = 0; t < 20; t++) {
            Files.write(folder.resolve("model.bin"), Mutations.mutate(model, r));
            assertRefused(original, "names checkpoint-1, which cannot be loaded: " + folder.resolve("model.bin"));
        }
        Files.write(folder.resolve("model.bin"), model);

        byte[] opt = Files.readAllBytes(folder.resolve("optimizer.bin"));
        Files.write(folder.resolve("optimizer.bin"), Mutations.flipBits(opt, r, 1));
        assertRefused(original, folder.resolve("optimizer.bin") + " is corrupt");
        Files.delete(folder.resolve("optimizer.bin"));
        assertRefused(original, folder.resolve("optimizer.bin") + " does not exist");
    }
}
