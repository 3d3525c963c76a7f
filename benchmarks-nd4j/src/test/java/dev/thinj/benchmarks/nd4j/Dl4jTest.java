package dev.thinj.benchmarks.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The DL4J network, its training step and the epoch runner (on a few synthetic IDX images). */
class Dl4jTest {
    @TempDir
    Path dir;

    @Test
    void theNetworkHasTheMlpsShapeAndTheStepTrains() {
        Dl4jTrainingStepBenchmark b = new Dl4jTrainingStepBenchmark();
        b.setUp();
        try {
            MultiLayerNetwork net = b.step();
            // 784*512 + 512 + 512*512 + 512 + 512*10 + 10, as thinj's model
            assertThat(net.numParams()).isEqualTo(669_706L);
            double first = net.score();
            INDArray before = net.params().dup();
            for (int i = 0; i < 20; i++) {
                b.step();
            }
            assertThat(net.params().equalsWithEps(before, 1e-6)).isFalse();
            assertThat(net.score()).isFinite().isLessThan(first);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void epochRunnerTrainsOnIdxFilesAndPrintsTheJsonLine() throws IOException {
        writeData(dir, 300, 50);
        String json = Dl4jEpoch.run(2, dir);
        assertThat(json).startsWith("{\"system\": \"dl4j-1.0.0-M2.1-cpu\"").contains("\"epochs\": 2")
                .containsPattern("\"epoch_s_median\": [0-9.]+, \"samples_per_s\": [0-9]+, \"test_acc\": [01]\\.[0-9]{4}");
    }

    @Test
    void epochRunnerRejectsBadInputWithAClearMessage() throws IOException {
        assertThatThrownBy(() -> Dl4jEpoch.run(1, dir.resolve("missing")))
                .isInstanceOf(IOException.class).hasMessageContaining("missing").hasMessageContaining("no Fashion-MNIST folder");
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(new byte[] {0, 0, 8, 1, 0, 0, 0, 0}));
        assertThatThrownBy(() -> Dl4jEpoch.run(1, dir))
                .isInstanceOf(IOException.class).hasMessageContaining("train-images-idx3-ubyte.gz: not an IDX image file");
        writeData(dir, 10, 5);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(new byte[] {0, 0, 8, 1, 0, 0, 0, 9, 1}));
        assertThatThrownBy(() -> Dl4jEpoch.run(1, dir))
                .isInstanceOf(IOException.class).hasMessageContaining("t10k-labels-idx1-ubyte.gz: truncated IDX file");
        assertThatThrownBy(() -> Dl4jEpoch.parseEpochs("0")).hasMessage("EPOCHS must be at least 1, got 0");
        assertThatThrownBy(() -> Dl4jEpoch.parseEpochs("two")).hasMessage("EPOCHS must be a whole number, got 'two'");
    }

    /** Writes the four files with random pixels and labels. */
    private static void writeData(Path dir, int train, int test) throws IOException {
        Random r = new Random(1);
        writeImages(dir.resolve("train-images-idx3-ubyte.gz"), train, r);
        writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), train, r);
        writeImages(dir.resolve("t10k-images-idx3-ubyte.gz"), test, r);
        writeLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), test, r);
    }

    private static void writeImages(Path file, int count, Random r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x803);
        out.writeInt(count);
        out.writeInt(28);
        out.writeInt(28);
        byte[] pixels = new byte[count * 784];
        r.nextBytes(pixels);
        out.write(pixels);
        Files.write(file, gzip(bytes.toByteArray()));
    }

    private static void writeLabels(Path file, int count, Random r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x801);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeByte(r.nextInt(10));
        }
        Files.write(file, gzip(bytes.toByteArray()));
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }
}
