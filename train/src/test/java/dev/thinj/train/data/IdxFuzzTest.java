package dev.thinj.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.Mutations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IDX reader on hostile bytes, plain and gzipped: random mutations, truncation at every length,
 * header fields overwritten with lying counts and dimensions (products that overflow int and even
 * long), bad magic and broken gzip streams. The only outcomes allowed are images or labels that are
 * exactly what the bytes say, or a {@link DataException} naming the source. Each try's seed is in its
 * failure message.
 */
// A hang guard only: a separate thread, so that even a loop that ignores interrupts fails the test.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IdxFuzzTest {
    private static final int TRIES = 1000;
    private static final String SOURCE = "fuzz/images-idx3-ubyte";
    private static final byte[] IMAGES = IdxTest.images(3, 4, 5);
    private static final byte[] LABELS = IdxTest.labels(0, 9, 200, 7);

    @TempDir
    Path dir;

    /** @return the bytes gunzipped if they start with the gzip magic and gunzip cleanly, else null or themselves */
    private static byte[] plain(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads images, and checks that what loaded is exactly what the (gunzipped) bytes say. */
    private static void tryImages(byte[] bytes, String what) {
        IdxImages images;
        try {
            images = Idx.readImages(new ByteArrayInputStream(bytes), SOURCE);
        } catch (DataException e) {
            assertThat(e.getMessage()).as(what).isNotBlank().contains(SOURCE);
            return;
        } catch (Throwable e) {
            throw new AssertionError(what + ": expected a DataException, got " + e, e);
        }
        byte[] raw = plain(bytes);
        assertThat(raw).as(what + ": loaded, but the bytes do not gunzip").isNotNull();
        ByteBuffer b = ByteBuffer.wrap(raw);
        assertThat(b.getInt()).as(what).isEqualTo(Idx.IMAGES_MAGIC);
        assertThat(new int[] {images.count(), images.rows(), images.cols()}).as(what)
                .containsExactly(b.getInt(), b.getInt(), b.getInt());
        assertThat(images.pixels()).as(what).isEqualTo(Arrays.copyOfRange(raw, 16, raw.length));
        assertThat((long) images.pixelsPerImage() * images.count()).as(what).isEqualTo(images.pixels().length);
    }

    /** Reads labels, and checks that what loaded is exactly what the (gunzipped) bytes say. */
    private static void tryLabels(byte[] bytes, String what) {
        int[] labels;
        try {
            labels = Idx.readLabels(new ByteArrayInputStream(bytes), SOURCE);
        } catch (DataException e) {
            assertThat(e.getMessage()).as(what).isNotBlank().contains(SOURCE);
            return;
        } catch (Throwable e) {
            throw new AssertionError(what + ": expected a DataException, got " + e, e);
        }
        byte[] raw = plain(bytes);
        assertThat(raw).as(what + ": loaded, but the bytes do not gunzip").isNotNull();
        ByteBuffer b = ByteBuffer.wrap(raw);
        assertThat(b.getInt()).as(what).isEqualTo(Idx.LABELS_MAGIC);
        assertThat(labels.length).as(what).isEqualTo(b.getInt()).isEqualTo(raw.length - 8);
        for (int i = 0; i < labels.length; i++) {
            assertThat(labels[i]).as(what).isEqualTo(raw[8 + i] & 0xff);
        }
    }

    private static void fuzz(byte[] original, long firstSeed, BiFunction<byte[], String, Void> read) {
        for (int t = 0; t < TRIES / 4; t++) {
            long seed = firstSeed + t;
            Random r = new Random(seed);
            byte[] bytes = r.nextInt(3) == 0
                    // Aim at the header: magic, count, rows, cols (labels: magic, count).
                    ? Mutations.overwrite(original, 4 * r.nextInt(Math.min(4, original.length / 4)), 4,
                            Mutations.hostileInt(r))
                    : Mutations.mutate(original, r);
            read.apply(bytes, "seed " + seed + " (plain)");
            read.apply(IdxTest.gzip(bytes), "seed " + seed + " (mutated, then gzipped)");
            read.apply(Mutations.mutate(IdxTest.gzip(original), r), "seed " + seed + " (gzipped, then mutated)");
        }
    }

    @Test
    void mutatedImageFilesLoadWhatTheySayOrAreRefused() {
        fuzz(IMAGES, 1000, (bytes, what) -> {
            tryImages(bytes, what);
            return null;
        });
    }

    @Test
    void mutatedLabelFilesLoadWhatTheySayOrAreRefused() {
        fuzz(LABELS, 5000, (bytes, what) -> {
            tryLabels(bytes, what);
            return null;
        });
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] gz = IdxTest.gzip(IMAGES);
        for (int n = 0; n < IMAGES.length; n++) {
            assertRefused(Arrays.copyOf(IMAGES, n), "cut to " + n);
            assertRefused(IdxTest.gzip(Arrays.copyOf(IMAGES, n)), "cut to " + n + ", then gzipped");
        }
        for (int n = 0; n < gz.length; n++) {
            assertRefused(Arrays.copyOf(gz, n), "gzip cut to " + n);
        }
    }

    private static void assertRefused(byte[] bytes, String what) {
        assertThatThrownBy(() -> Idx.readImages(new ByteArrayInputStream(bytes), SOURCE)).as(what)
                .isInstanceOf(DataException.class).hasMessageContaining(SOURCE);
    }

    // ---- the named cases ---------------------------------------------------------------------------

    private Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private void assertImagesRefused(byte[] bytes, String message) {
        for (Path file : new Path[] {write("x-idx3-ubyte", bytes), write("x-idx3-ubyte.gz", IdxTest.gzip(bytes))}) {
            long allocated = Mutations.allocatedBytes(() -> assertThatThrownBy(() -> Idx.readImages(file))
                    .isInstanceOf(DataException.class).hasMessageContaining(file.toString())
                    .hasMessageContaining(message));
            // Nothing near what the header claims: the reader allocates for the bytes it finds.
            assertThat(allocated).as(file + ": bytes allocated").isLessThan(16L << 20);
        }
    }

    @Test
    void dimensionsWhoseProductOverflowsIntAreRefused() {
        assertImagesRefused(header(Idx.IMAGES_MAGIC, 65_536, 65_536, 1), "implausible IDX image dimensions");
        assertImagesRefused(header(Idx.IMAGES_MAGIC, 2, 46_341, 46_341), "implausible IDX image dimensions");
        // No images, but each image alone would be 2^32 pixels.
        assertImagesRefused(header(Idx.IMAGES_MAGIC, 0, 65_536, 65_536), "implausible IDX image dimensions");
    }

    @Test
    void dimensionsWhoseProductWrapsEvenInLongArithmeticAreRefused() {
        // 2^22 x 2^22 x 2^20 is 2^64: 0 in long arithmetic, which once read as "no pixels" and loaded.
        assertImagesRefused(header(Idx.IMAGES_MAGIC, 1 << 22, 1 << 22, 1 << 20), "implausible IDX image dimensions");
        // 2^21 cubed is 2^63: negative in long arithmetic, which once passed the size check.
        assertImagesRefused(header(Idx.IMAGES_MAGIC, 1 << 21, 1 << 21, 1 << 21), "implausible IDX image dimensions");
    }

    @Test
    void hugeDimensionsWithFewBytesAreRefusedWithoutAllocatingForThem() {
        // 2^31 - 17 pixels promised (2 GiB), 20 bytes given.
        byte[] bytes = Arrays.copyOf(header(Idx.IMAGES_MAGIC, 1, 1, Idx.MAX_BYTES), 36);
        assertImagesRefused(bytes, "truncated 1 images of 1 x 2147483631: expected 2147483631 bytes, got 20");
        byte[] labels = Arrays.copyOf(header(Idx.LABELS_MAGIC, Idx.MAX_BYTES), 12);
        Path file = write("labels-idx1-ubyte", labels);
        long allocated = Mutations.allocatedBytes(() -> assertThatThrownBy(() -> Idx.readLabels(file))
                .isInstanceOf(DataException.class).hasMessageContaining(file + ": truncated 2147483631 labels"));
        assertThat(allocated).isLessThan(16L << 20);
    }

    @Test
    void lyingAndNegativeDimensionsAreRefused() {
        assertImagesRefused(header(Idx.IMAGES_MAGIC, 4, 4, 5), "truncated 4 images of 4 x 5");
        assertImagesRefused(header(Idx.IMAGES_MAGIC, -1, 4, 5), "implausible IDX image dimensions 4294967295 x 4 x 5");
        assertImagesRefused(header(Idx.IMAGES_MAGIC, 1, 0, 5), "implausible IDX image dimensions 1 x 0 x 5");
        assertImagesRefused(header(Idx.IMAGES_MAGIC, 1, 4, Integer.MIN_VALUE), "implausible");
        byte[] fewer = IdxTest.images(3, 4, 5);
        ByteBuffer.wrap(fewer).putInt(4, 2);
        assertImagesRefused(fewer, "expected 56 bytes as its header says, but the file goes on");
    }

    @Test
    void badMagicIsRefused() {
        assertImagesRefused(header(Idx.LABELS_MAGIC, 1, 1, 1), "wrong magic number 2049 (a label file), expected 2051");
        assertImagesRefused(header(-1), "wrong magic number -1, expected 2051");
        assertImagesRefused(header(Idx.IMAGES_MAGIC + 1, 1, 1, 1), "wrong magic number 2052, expected 2051");
    }

    @Test
    void brokenGzipStreamsAreRefused() {
        byte[] gz = IdxTest.gzip(IMAGES);
        // The gzip CRC-32 and size trailer, then a flipped bit in the compressed data.
        Path badTrailer = write("trailer.gz", Mutations.overwrite(gz, gz.length - 8, 4, 0));
        assertThatThrownBy(() -> Idx.readImages(badTrailer)).isInstanceOf(DataException.class)
                .hasMessageContaining(badTrailer + ": unreadable gzip");
        Path truncated = write("truncated.gz", Arrays.copyOf(gz, gz.length - 4));
        assertThatThrownBy(() -> Idx.readImages(truncated)).isInstanceOf(DataException.class)
                .hasMessageContaining(truncated + ": unreadable gzip");
        Path header = write("header.gz", Arrays.copyOf(gz, 10));
        assertThatThrownBy(() -> Idx.readImages(header)).isInstanceOf(DataException.class)
                .hasMessageContaining(header.toString());
    }
}
