package dev.thinj.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded subset, directories of standard files, and the {@code fashion_mnist.v1} config entry. */
class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void theEmbeddedSubsetHoldsTheFirstImagesOfTheRealData() {
        Split train = FashionMnist.embedded("train");
        Split test = FashionMnist.embedded("test");

        assertThat(train.count()).isEqualTo(FashionMnist.EMBEDDED_TRAIN).isEqualTo(6000);
        assertThat(test.count()).isEqualTo(FashionMnist.EMBEDDED_TEST).isEqualTo(1000);
        for (Split s : new Split[] {train, test}) {
            assertThat(s.width()).as("28 x 28 pixels").isEqualTo(784);
            assertThat(s.isClassification()).isTrue();
            assertThat(s.features()).hasSize(s.count() * 784);
            assertThat(s.labels()).hasSize(s.count());
            assertThat(Arrays.stream(s.labels()).allMatch(l -> l >= 0 && l <= 9)).as("labels in 0..9").isTrue();
        }
        // Known values of the original files: the first training image is an ankle boot (9) whose
        // pixel bytes sum to 76,247 with a maximum of 255; the test set starts 9, 2, 1, 1.
        assertThat(Arrays.copyOf(train.labels(), 10)).containsExactly(9, 0, 0, 3, 0, 2, 7, 2, 5, 5);
        assertThat(Arrays.copyOf(test.labels(), 4)).containsExactly(9, 2, 1, 1);
        double sum = 0;
        float max = 0;
        for (int i = 0; i < 784; i++) {
            sum += train.features()[i];
            max = Math.max(max, train.features()[i]);
        }
        assertThat(sum * 255).isCloseTo(76_247, offset(0.5));
        assertThat(max).isEqualTo(1f);
        // Every class appears in the subset's training half (it is not sorted by class).
        assertThat(Arrays.stream(train.labels()).distinct().count()).isEqualTo(10);
    }

    @Test
    void aDirectoryOfPlainOrGzippedStandardFilesLoads() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxTest.images(2, 28, 28));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTest.gzip(IdxTest.labels(4, 7)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxTest.gzip(IdxTest.images(1, 28, 28)));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.labels(3));

        Dataset d = FashionMnist.load(dir);
        assertThat(d.train().count()).isEqualTo(2);
        assertThat(d.train().labels()).containsExactly(4, 7);
        assertThat(d.train().features()[1]).isEqualTo(37f / 255f);
        assertThat(d.test().count()).isEqualTo(1);
        assertThat(d.test().labels()).containsExactly(3);
    }

    @Test
    void mismatchedCountsInADirectoryNameBothFiles() throws IOException {
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxTest.images(3, 28, 28));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.labels(1, 2));
        assertThatThrownBy(() -> FashionMnist.load(dir, "test"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("count mismatch")
                .hasMessageContaining("t10k-images-idx3-ubyte holds 3 images")
                .hasMessageContaining("t10k-labels-idx1-ubyte holds 2 labels");
    }

    @Test
    void aLabelBeyondNineIsRefused() throws IOException {
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxTest.images(2, 28, 28));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.labels(1, 12));
        assertThatThrownBy(() -> FashionMnist.load(dir, "test"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("label 12 at index 1 is not a Fashion-MNIST class");
    }

    @Test
    void aMissingFileAndAnUnknownSplitAreNamed() {
        assertThatThrownBy(() -> FashionMnist.load(dir, "train"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(dir + ": no train-images-idx3-ubyte or train-images-idx3-ubyte.gz");
        assertThatThrownBy(() -> FashionMnist.embedded("dev"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown Fashion-MNIST split \"dev\"");
    }

    @Test
    void theRegistryEntryResolvesFromAConfig() throws IOException {
        Object embedded = Registry.global()
                .resolve(Config.parse("[data]\n@datasets = \"fashion_mnist.v1\"\n")).get("data");
        assertThat(embedded).isInstanceOf(Dataset.class);
        Dataset d = (Dataset) embedded;
        assertThat(d.task()).isEqualTo(Task.CLASSIFY);
        assertThat(d.classNames()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
        assertThat(d.train().count()).isEqualTo(6000);
        assertThat(d.test().count()).isEqualTo(1000);

        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxTest.images(1, 28, 28));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxTest.labels(5));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxTest.images(1, 28, 28));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.labels(6));
        // Forward slashes keep the config string valid on any platform's path.
        String path = dir.toString().replace('\\', '/');
        Dataset fromDir = (Dataset) Registry.global()
                .resolve(Config.parse("[data]\n@datasets = \"fashion_mnist.v1\"\npath = \"" + path + "\"\n"))
                .get("data");
        assertThat(fromDir.train().labels()).containsExactly(5);
        assertThat(fromDir.test().labels()).containsExactly(6);
    }
}
