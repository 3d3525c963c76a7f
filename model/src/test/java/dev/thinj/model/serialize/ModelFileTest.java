package dev.thinj.model.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Linear;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    private final Ops ops = Ops.get("cpu");
    @TempDir
    Path dir;

    private Model<FloatArray, FloatArray> mlp(long seed) {
        RandomSeeds.fix(seed);
        return Chain.of(Relu.of(6, 0.2f), Softmax.of(3, null));
    }

    private FloatArray input() {
        float[] v = new float[2 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 7) / 7f - 0.3f;
        }
        return ops.asArray(v, 2, 5);
    }

    @Test
    void aSavedModelLoadsIntoAFreshOneWithEqualOutputsAndAttributes() {
        Model<FloatArray, FloatArray> trained = mlp(1).initialize(input(), null);
        Model<FloatArray, FloatArray> softmax = trained.layer(1);
        ops.fill(softmax.getParam("W"), 0.25f);
        trained.beginUpdate(input());  // advances the dropout counter, which must survive the round trip
        Path file = dir.resolve("model.bin");
        ModelFile.save(trained, file);

        Model<FloatArray, FloatArray> fresh = mlp(2);
        ModelFile.load(fresh, file);
        assertThat(fresh.predict(input()).toFloatArray()).containsExactly(trained.predict(input()).toFloatArray());
        for (int i = 0; i < trained.walk().size(); i++) {
            Model<?, ?> a = trained.walk().get(i);
            Model<?, ?> b = fresh.walk().get(i);
            for (String attr : a.attrNames()) {
                assertThat((Object) b.attr(attr)).as(a.name() + "." + attr).isEqualTo(a.attr(attr));
            }
        }
        assertThat(fresh.getDim("nI")).isEqualTo(5);
    }

    @Test
    void savingReplacesTheFileAtomicallyAndLeavesNoTemporaries() throws IOException {
        Model<FloatArray, FloatArray> m = mlp(3).initialize(input(), null);
        Path file = dir.resolve("model.bin");
        ModelFile.save(m, file);
        ModelFile.save(m, file);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.bin");
        }
    }

    @Test
    void truncatedOrCorruptFilesAreRefusedClearly() throws IOException {
        Path file = dir.resolve("model.bin");
        ModelFile.save(mlp(4).initialize(input(), null), file);
        byte[] bytes = Files.readAllBytes(file);

        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ModelFile.load(mlp(4), truncated))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("truncated.bin")
                .hasMessageContaining("corrupt or truncated");

        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x40;
        Path corrupt = dir.resolve("corrupt.bin");
        Files.write(corrupt, flipped);
        assertThatThrownBy(() -> ModelFile.load(mlp(4), corrupt))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("corrupt");

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, this is not a model at all");
        assertThatThrownBy(() -> ModelFile.load(mlp(4), text))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("not a thinj model file");

        assertThatThrownBy(() -> ModelFile.load(mlp(4), dir.resolve("missing.bin")))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aFileFromANewerFormatSaysSo() throws IOException {
        Path file = dir.resolve("model.bin");
        ModelFile.save(mlp(5).initialize(input(), null), file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(ModelFile.MAGIC.length, ModelFile.FORMAT_VERSION + 1);
        Files.write(file, bytes);
        assertThatThrownBy(() -> ModelFile.load(mlp(5), file))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("format v2").hasMessageContaining("newer");
    }

    @Test
    void aDifferentArchitectureIsNamed() {
        Path file = dir.resolve("model.bin");
        ModelFile.save(mlp(6).initialize(input(), null), file);
        assertThatThrownBy(() -> ModelFile.load(Chain.of(Linear.of(6, 5), Softmax.of(3, 6)), file))
                .isInstanceOf(ModelMismatchException.class).hasMessageContaining("nodes");
        Model<FloatArray, FloatArray> wider = Chain.of(Relu.of(7, 0.2f), Softmax.of(3, null)).initialize(input(), null);
        assertThatThrownBy(() -> ModelFile.load(wider, file))
                .isInstanceOf(ModelMismatchException.class).hasMessageContaining("dim 'nI' is 6 in the file and 7 in the model");
    }

    /** save streams into the file; what lands there is toBytes to the byte (the format did not change). */
    @Test
    void theStreamedFileIsToBytes() throws IOException {
        Model<FloatArray, FloatArray> trained = mlp(3).initialize(input(), null);
        Path file = dir.resolve("streamed.bin");
        ModelFile.save(trained, file);
        assertThat(Files.readAllBytes(file)).containsExactly(ModelFile.toBytes(trained));
    }

    /** A snapshot keeps the parameters it was taken with: written after they change, it is the earlier bytes. */
    @Test
    void aSnapshotIsTheModelWhenItWasTaken() throws IOException {
        Model<FloatArray, FloatArray> trained = mlp(3).initialize(input(), null);
        byte[] then = ModelFile.toBytes(trained);
        AtomicFiles.Content snapshot = ModelFile.snapshot(trained);
        for (Model<?, ?> node : trained.walk()) {
            for (String p : node.paramNames()) {
                if (node.hasParam(p)) {
                    trained.ops().fill(node.getParam(p), 0.5f);
                }
            }
        }
        assertThat(ModelFile.toBytes(trained)).as("the parameters changed").isNotEqualTo(then);
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        snapshot.writeTo(written);
        assertThat(written.toByteArray()).isEqualTo(then);
    }
}
