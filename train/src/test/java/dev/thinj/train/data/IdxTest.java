package dev.thinj.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.ops.ThinjException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files written here, plain and gzipped, well-formed and broken in each way the reader names. */
class IdxTest {
    @TempDir
    Path dir;

    static byte[] images(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(Idx.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            b.put((byte) (i * 37));
        }
        return b.array();
    }

    static byte[] labels(int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(Idx.LABELS_MAGIC).putInt(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.array();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    Path write(String name, byte[] data) throws IOException {
        return Files.write(dir.resolve(name), data);
    }

    @Test
    void plainAndGzippedFilesReadTheSame() throws IOException {
        byte[] raw = images(3, 2, 4);
        IdxImages plain = Idx.readImages(write("x", raw));
        // Named without .gz on purpose: the magic bytes decide, not the name.
        IdxImages zipped = Idx.readImages(write("x2", gzip(raw)));

        assertThat(plain.count()).isEqualTo(3);
        assertThat(plain.rows()).isEqualTo(2);
        assertThat(plain.cols()).isEqualTo(4);
        assertThat(plain.pixels()).isEqualTo(Arrays.copyOfRange(raw, 16, raw.length));
        assertThat(zipped.pixels()).isEqualTo(plain.pixels());
        assertThat(zipped.count()).isEqualTo(3);

        assertThat(Idx.readLabels(write("y", labels(0, 9, 200)))).containsExactly(0, 9, 200);
        assertThat(Idx.readLabels(write("y.gz", gzip(labels(0, 9, 200))))).containsExactly(0, 9, 200);
    }

    @Test
    void pixelsScaleToTheUnitIntervalAsUnsignedBytes() {
        IdxImages img = new IdxImages(1, 1, 3, new byte[] {0, (byte) 128, (byte) 255});
        assertThat(img.toFloats()).containsExactly(0f, 128f / 255f, 1f);
        assertThat(img.pixelsPerImage()).isEqualTo(3);
    }

    @Test
    void wrongMagicNamesTheFileAndBothNumbers() throws IOException {
        Path l = write("swapped", labels(1, 2));
        assertThatThrownBy(() -> Idx.readImages(l))
                .isInstanceOf(DataException.class).isInstanceOf(ThinjException.class)
                .hasMessageContaining(l.toString())
                .hasMessageContaining("wrong magic number 2049 (a label file), expected 2051");
        Path i = write("swapped2.gz", gzip(images(1, 2, 2)));
        assertThatThrownBy(() -> Idx.readLabels(i))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(i.toString())
                .hasMessageContaining("wrong magic number 2051 (an image file), expected 2049");
    }

    @Test
    void truncatedDataSaysHowManyBytesWereExpectedAndFound() throws IOException {
        byte[] raw = images(2, 3, 3);
        Path cut = write("cut", Arrays.copyOf(raw, raw.length - 5));
        assertThatThrownBy(() -> Idx.readImages(cut))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated 2 images of 3 x 3: expected 18 bytes, got 13");

        Path cutGz = write("cut.gz", gzip(Arrays.copyOf(labels(1, 2, 3, 4), 10)));
        assertThatThrownBy(() -> Idx.readLabels(cutGz))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(cutGz.toString())
                .hasMessageContaining("truncated 4 labels: expected 4 bytes, got 2");
    }

    @Test
    void aTruncatedHeaderIsNamedAsSuch() throws IOException {
        Path tiny = write("tiny", new byte[] {0, 0, 8});
        assertThatThrownBy(() -> Idx.readImages(tiny))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("truncated magic number: expected 4 bytes, got 3");
        Path empty = write("empty", new byte[0]);
        assertThatThrownBy(() -> Idx.readLabels(empty))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(empty + ": truncated magic number: expected 4 bytes, got 0");
        Path half = write("half", Arrays.copyOf(images(1, 2, 2), 10));
        assertThatThrownBy(() -> Idx.readImages(half))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(half + ": truncated header (count, rows, cols): expected 12 bytes, got 6");
    }

    @Test
    void extraBytesAfterTheDataAreRefused() throws IOException {
        byte[] raw = labels(1, 2);
        Path longer = write("longer", Arrays.copyOf(raw, raw.length + 1));
        assertThatThrownBy(() -> Idx.readLabels(longer))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(longer + ": expected 10 bytes as its header says, but the file goes on");
    }

    @Test
    void aCutOffGzipStreamIsAnUnreadableGzipNotAnEofException() throws IOException {
        byte[] z = gzip(images(50, 28, 28));
        Path cut = write("cut-stream.gz", Arrays.copyOf(z, z.length / 2));
        assertThatThrownBy(() -> Idx.readImages(cut))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(cut + ": unreadable gzip");
        // Only the gzip magic and then garbage: the header itself is broken.
        Path garbage = write("garbage.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        assertThatThrownBy(() -> Idx.readLabels(garbage))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(garbage + ": unreadable gzip");
    }

    @Test
    void countMismatchNamesBothFilesAndCounts() {
        IdxImages three = new IdxImages(3, 1, 1, new byte[3]);
        assertThatThrownBy(() -> Idx.checkSameCount(three, "a-images", new int[2], "b-labels"))
                .isInstanceOf(DataException.class)
                .hasMessage("count mismatch: a-images holds 3 images but b-labels holds 2 labels");
    }

    @Test
    void aMissingFileIsADataException() {
        Path none = dir.resolve("nothing-here");
        assertThatThrownBy(() -> Idx.readImages(none))
                .isInstanceOf(DataException.class)
                .hasMessage(none + ": no such file");
    }

    @Test
    void implausibleDimensionsAreRefusedBeforeAllocating() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).putInt(Idx.IMAGES_MAGIC).putInt(1_000_000).putInt(1_000).putInt(1_000);
        Path huge = write("huge", b.array());
        assertThatThrownBy(() -> Idx.readImages(huge))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("implausible IDX image dimensions 1000000 x 1000 x 1000");
    }
}
