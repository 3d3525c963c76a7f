package dev.thinj.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The images of one IDX file (gzipped or not) streamed as feature rows: one row of
 * {@code rows * cols} pixels scaled to [0, 1] per image, as the training readers give them.
 */
public final class IdxFeatureRows implements FeatureRows {
    private final String source;
    private final InputStream in;
    private final int count;
    private final int width;
    private int done;
    private byte[] bytes = new byte[0];

    private IdxFeatureRows(String source, InputStream in, int count, int width) {
        this.source = source;
        this.in = in;
        this.count = count;
        this.width = width;
    }

    /**
     * @param file an IDX image file, gzipped or not
     * @return its images, open before the first
     * @throws DataException if the file is missing or its header is not that of IDX images
     */
    public static IdxFeatureRows open(Path file) {
        InputStream in = DataFiles.open(file);
        try {
            byte[] header = in.readNBytes(16);
            if (header.length < 16) {
                throw new DataException(file + ": truncated IDX header: " + header.length + " of 16 bytes");
            }
            int magic = intAt(header, 0);
            if (magic != Idx.IMAGES_MAGIC) {
                throw new DataException(file + ": wrong magic number " + magic + ", expected " + Idx.IMAGES_MAGIC
                        + " for IDX images");
            }
            int count = intAt(header, 4);
            int rows = intAt(header, 8);
            int cols = intAt(header, 12);
            if (count < 0 || rows <= 0 || cols <= 0 || (long) rows * cols > Idx.MAX_BYTES) {
                throw new DataException(file + ": implausible IDX image dimensions " + Integer.toUnsignedString(count)
                        + " x " + Integer.toUnsignedString(rows) + " x " + Integer.toUnsignedString(cols));
            }
            return new IdxFeatureRows(file.toString(), in, count, rows * cols);
        } catch (IOException e) {
            close(in, file.toString());
            throw new DataException(file + ": unreadable: " + e.getMessage(), e);
        } catch (DataException e) {
            close(in, file.toString());
            throw e;
        }
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public String source() {
        return source;
    }

    /** @return the number of images the header announces */
    public int count() {
        return count;
    }

    @Override
    public int read(float[] buffer, int maxRows) {
        Rows.checkBuffer(buffer, maxRows, width);
        int n = Math.min(maxRows, count - done);
        if (n == 0) {
            expectEnd();
            return 0;
        }
        int size = n * width;
        if (bytes.length < size) {
            bytes = new byte[size];
        }
        int got;
        try {
            got = in.readNBytes(bytes, 0, size);
        } catch (IOException e) {
            throw new DataException(source + ": unreadable at image " + done + ": " + e.getMessage(), e);
        }
        if (got < size) {
            throw new DataException(source + ": truncated: the header announces " + count + " images, the file ends in "
                    + "image " + (done + got / width) + " (0-based)");
        }
        for (int i = 0; i < size; i++) {
            buffer[i] = (bytes[i] & 0xff) / 255f;
        }
        done += n;
        return n;
    }

    private void expectEnd() {
        try {
            if (in.read() != -1) {
                throw new DataException(source + ": the file goes on after the " + count + " images its header announces");
            }
        } catch (IOException e) {
            throw new DataException(source + ": unreadable after the last image: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        close(in, source);
    }

    private static void close(InputStream in, String source) {
        try {
            in.close();
        } catch (IOException e) {
            throw new DataException(source + ": cannot close: " + e.getMessage(), e);
        }
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
