package dev.thinj.train.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian
 * header, then unsigned bytes. Images have magic 2051 and dimensions count, rows, cols; labels have
 * magic 2049 and a count. A file may be gzipped or not; which is told by its first two bytes (the
 * gzip magic {@code 0x1f 0x8b}), not by its name, since both kinds circulate under both names.
 *
 * <p>Every malformed input raises a {@link DataException} naming the source and what was wrong (wrong
 * magic, dimensions whose product is too large, fewer or more bytes than the header promises, a
 * broken gzip stream), never a bare {@code EOFException}. Memory grows with the bytes actually read,
 * never with what a header claims.
 */
public final class Idx {
    /** The magic number of an IDX file of unsigned-byte images (three dimensions). */
    public static final int IMAGES_MAGIC = 2051;
    /** The magic number of an IDX file of unsigned-byte labels (one dimension). */
    public static final int LABELS_MAGIC = 2049;

    /** The most data bytes one file may hold: the largest Java array, less a margin for the header. */
    static final int MAX_BYTES = Integer.MAX_VALUE - 16;

    private Idx() {
    }

    /**
     * @param file an IDX image file, gzipped or not
     * @return its images
     * @throws DataException if the file is missing, unreadable or malformed
     */
    public static IdxImages readImages(Path file) {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString());
        } catch (IOException e) {
            throw new DataException(file + ": cannot close: " + e.getMessage(), e);
        }
    }

    /**
     * @param in an IDX image stream, gzipped or not (not closed here)
     * @param source what to call it in messages, such as its file name
     * @return its images
     * @throws DataException if the stream is malformed
     */
    public static IdxImages readImages(InputStream in, String source) {
        Reader r = new Reader(maybeGunzip(in, source), source);
        // The magic first, on its own: a short file of the other kind must be told as the wrong kind.
        int magic = intAt(r.bytes(4, "magic number"), 0);
        if (magic != IMAGES_MAGIC) {
            throw wrongMagic(source, magic, IMAGES_MAGIC, "images");
        }
        byte[] header = r.bytes(12, "header (count, rows, cols)");
        int count = intAt(header, 0);
        int rows = intAt(header, 4);
        int cols = intAt(header, 8);
        // Each int is below 2^31, so rows x cols fits a long; the product of all three may not, and would
        // wrap (2^22 x 2^22 x 2^20 is 0 in long arithmetic), so count is checked against what is left.
        long perImage = (long) rows * cols;
        if (count < 0 || rows <= 0 || cols <= 0 || perImage > MAX_BYTES
                || (count > 0 && perImage > MAX_BYTES / count)) {
            throw new DataException(source + ": implausible IDX image dimensions " + Integer.toUnsignedString(count)
                    + " x " + Integer.toUnsignedString(rows) + " x " + Integer.toUnsignedString(cols)
                    + " (at most " + MAX_BYTES + " pixels in all, and no dimension 0 or above 2^31)");
        }
        long size = count * perImage;
        byte[] pixels = r.bytes((int) size, count + " images of " + rows + " x " + cols);
        r.expectEnd(16 + size);
        return new IdxImages(count, rows, cols, pixels);
    }

    /**
     * @param file an IDX label file, gzipped or not
     * @return its labels, each an unsigned byte value 0..255
     * @throws DataException if the file is missing, unreadable or malformed
     */
    public static int[] readLabels(Path file) {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString());
        } catch (IOException e) {
            throw new DataException(file + ": cannot close: " + e.getMessage(), e);
        }
    }

    /**
     * @param in an IDX label stream, gzipped or not (not closed here)
     * @param source what to call it in messages, such as its file name
     * @return its labels, each an unsigned byte value 0..255
     * @throws DataException if the stream is malformed
     */
    public static int[] readLabels(InputStream in, String source) {
        Reader r = new Reader(maybeGunzip(in, source), source);
        int magic = intAt(r.bytes(4, "magic number"), 0);
        if (magic != LABELS_MAGIC) {
            throw wrongMagic(source, magic, LABELS_MAGIC, "labels");
        }
        int count = intAt(r.bytes(4, "header (count)"), 0);
        if (count < 0 || count > MAX_BYTES) {
            throw new DataException(source + ": implausible IDX label count " + Integer.toUnsignedString(count));
        }
        byte[] raw = r.bytes(count, count + " labels");
        r.expectEnd(8L + count);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = raw[i] & 0xff;
        }
        return labels;
    }

    /**
     * Checks that an image file and a label file describe the same number of examples.
     *
     * @param images the images
     * @param imagesSource the image file's name, for the message
     * @param labels the labels
     * @param labelsSource the label file's name, for the message
     * @throws DataException if the counts differ
     */
    public static void checkSameCount(IdxImages images, String imagesSource, int[] labels, String labelsSource) {
        if (images.count() != labels.length) {
            throw new DataException("count mismatch: " + imagesSource + " holds " + images.count() + " images but "
                    + labelsSource + " holds " + labels.length + " labels");
        }
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    private static InputStream maybeGunzip(InputStream in, String source) {
        BufferedInputStream b = new BufferedInputStream(in);
        try {
            b.mark(2);
            int first = b.read();
            int second = b.read();
            b.reset();
            if (first == 0x1f && second == 0x8b) {
                return new GZIPInputStream(b);
            }
            return b;
        } catch (ZipException e) {
            throw new DataException(source + ": unreadable gzip: " + e.getMessage(), e);
        } catch (IOException e) {
            // GZIPInputStream reads its header eagerly; a file that is only the magic ends here.
            throw new DataException(source + ": unreadable gzip (header: " + e.getMessage() + ")", e);
        }
    }

    private static DataException wrongMagic(String source, int magic, int expected, String what) {
        String hint = magic == IMAGES_MAGIC ? " (an image file)" : magic == LABELS_MAGIC ? " (a label file)" : "";
        return new DataException(source + ": wrong magic number " + magic + hint + ", expected " + expected
                + " for IDX " + what);
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /** Reads exact byte counts, counting what it has read so that truncation messages give totals. */
    private static final class Reader {
        private final InputStream in;
        private final String source;
        private long read;

        Reader(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        byte[] bytes(int n, String what) {
            byte[] b;
            try {
                b = in.readNBytes(n);
            } catch (IOException e) {
                throw broken(e);
            }
            read += b.length;
            if (b.length < n) {
                throw new DataException(source + ": truncated " + what + ": expected " + n + " bytes, got "
                        + b.length + " (file ends after " + read + " bytes)");
            }
            return b;
        }

        void expectEnd(long expectedTotal) {
            int next;
            try {
                next = in.read();
            } catch (IOException e) {
                throw broken(e);
            }
            if (next != -1) {
                // A longer file is another file's data or a wrong header count: refuse rather than guess.
                throw new DataException(source + ": expected " + expectedTotal
                        + " bytes as its header says, but the file goes on");
            }
        }

        private DataException broken(IOException e) {
            // From a GZIPInputStream this is a corrupt or cut-off stream (EOFException, ZipException).
            String kind = in instanceof GZIPInputStream ? "unreadable gzip" : "read error";
            return new DataException(source + ": " + kind + " after " + read + " bytes: " + e.getMessage(), e);
        }
    }
}
