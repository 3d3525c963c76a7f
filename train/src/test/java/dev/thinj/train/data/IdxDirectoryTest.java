package dev.thinj.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** idx.v1 on any IDX directory: labels of any byte value, classes up to the largest of both splits. */
class IdxDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void classesRunToTheLargestLabelOfEitherSplit() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxTest.images(3, 2, 2));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTest.gzip(IdxTest.labels(0, 12, 3)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxTest.gzip(IdxTest.images(2, 2, 2)));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.labels(200, 1));
        LoadedDataset d = IdxDirectory.load(dir);
        assertThat(d.task()).isEqualTo(Task.CLASSIFY);
        assertThat(d.classes()).isEqualTo(201);
        assertThat(d.classNames().get(200)).isEqualTo("200");
        assertThat(d.train().labels()).containsExactly(0, 12, 3);
        assertThat(d.test().labels()).containsExactly(200, 1);
        assertThat(d.train().width()).isEqualTo(4);
        assertThat(d.train().features()).isEqualTo(Idx.readImages(dir.resolve("train-images-idx3-ubyte")).toFloats());
        assertThat(d.describe()).contains("3 training and 2 test images of 4 pixels, 201 classes");
    }

    @Test
    void missingFilesAndMismatchesAreNamed() throws IOException {
        assertThatThrownBy(() -> IdxDirectory.load(dir.resolve("nope"))).isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir.resolve("nope") + ": no such directory");
        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxTest.images(3, 2, 2));
        assertThatThrownBy(() -> IdxDirectory.load(dir)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir + ": no train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz");
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxTest.labels(1, 2, 3));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxTest.images(1, 3, 3));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.labels(1));
        assertThatThrownBy(() -> IdxDirectory.load(dir)).isInstanceOf(DataException.class)
                .hasMessage(dir + ": training images have 4 pixels, test images 9");
    }
}
