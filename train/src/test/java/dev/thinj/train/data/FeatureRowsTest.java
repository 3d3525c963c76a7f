package dev.thinj.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.train.data.csv.CsvFeatureRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FeatureRows.open picks the reader by content and name; IDX images stream as the whole-file reader reads them. */
class FeatureRowsTest {
    @TempDir
    Path dir;

    @Test
    void idxImagesStreamAsTheWholeFileReaderReadsThem() throws IOException {
        byte[] raw = IdxTest.images(7, 3, 2);
        float[] whole = Idx.readImages(Files.write(dir.resolve("x"), raw)).toFloats();
        for (byte[] bytes : new byte[][] {raw, IdxTest.gzip(raw)}) {
            Path f = Files.write(dir.resolve("images.bin"), bytes);
            for (int block : new int[] {1, 3, 7, 100}) {
                try (FeatureRows rows = FeatureRows.open(f, null)) {
                    assertThat(rows).isInstanceOf(IdxFeatureRows.class);
                    assertThat(rows.width()).isEqualTo(6);
                    float[] buffer = new float[block * 6];
                    float[] out = new float[0];
                    int n;
                    while ((n = rows.read(buffer, block)) > 0) {
                        int at = out.length;
                        out = Arrays.copyOf(out, at + n * 6);
                        System.arraycopy(buffer, 0, out, at, n * 6);
                    }
                    assertThat(out).as("block " + block).containsExactly(whole);
                }
            }
        }
    }

    @Test
    void truncatedOrLongerIdxFilesFailWhileStreaming() throws IOException {
        byte[] raw = IdxTest.images(4, 2, 2);
        Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(raw, raw.length - 1));
        try (FeatureRows rows = FeatureRows.open(cut, null)) {
            assertThatThrownBy(() -> rows.read(new float[16], 4)).isInstanceOf(DataException.class)
                    .hasMessage(cut + ": truncated: the header announces 4 images, the file ends in image 3 (0-based)");
        }
        Path longer = Files.write(dir.resolve("long"), Arrays.copyOf(raw, raw.length + 1));
        try (FeatureRows rows = FeatureRows.open(longer, null)) {
            assertThat(rows.read(new float[16], 4)).isEqualTo(4);
            assertThatThrownBy(() -> rows.read(new float[16], 4)).isInstanceOf(DataException.class)
                    .hasMessageContaining("goes on after the 4 images");
        }
    }

    @Test
    void theKindIsToldByContentThenByName() throws IOException {
        Path csv = Files.writeString(dir.resolve("in.CSV"), "a,b\n1,2\n");
        try (FeatureRows rows = FeatureRows.open(csv, null)) {
            assertThat(rows).isInstanceOf(CsvFeatureRows.class);
        }
        Path labels = Files.write(dir.resolve("labels.csv"), IdxTest.labels(1, 2));
        assertThatThrownBy(() -> FeatureRows.open(labels, null)).isInstanceOf(DataException.class)
                .hasMessage(labels + ": an IDX label file; predict reads the images (IDX magic 2051)");
        Path other = Files.writeString(dir.resolve("data.json"), "{\"a\": 1}");
        assertThatThrownBy(() -> FeatureRows.open(other, null)).isInstanceOf(DataException.class)
                .hasMessage(other + ": not a file predict reads (expected " + FeatureRows.KINDS + ")");
        assertThatThrownBy(() -> FeatureRows.open(dir.resolve("absent.csv"), null)).isInstanceOf(DataException.class)
                .hasMessage(dir.resolve("absent.csv") + ": no such file");
        assertThatThrownBy(() -> FeatureRows.open(dir, null)).isInstanceOf(DataException.class)
                .hasMessage(dir + ": is a directory, not a file");
    }
}
