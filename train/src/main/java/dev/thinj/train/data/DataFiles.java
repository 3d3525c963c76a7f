package dev.thinj.train.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens data files for the readers, gunzipping transparently: whether a file is gzipped is told by
 * its first two bytes (the gzip magic {@code 0x1f 0x8b}), not by its name. Every failure is a
 * {@link DataException} naming the file.
 */
public final class DataFiles {
    private static final int BUFFER = 1 << 16;

    private DataFiles() {
    }

    /**
     * @param file a file, gzipped or not
     * @return its (decompressed) bytes, buffered; the caller closes it
     * @throws DataException if the file is missing, unreadable, or a broken gzip stream
     */
    public static InputStream open(Path file) {
        InputStream raw = openRaw(file);
        try {
            BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
            if (isGzip(head(in, 2))) {
                return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
            }
            return in;
        } catch (ZipException e) {
            closeQuietly(raw);
            throw new DataException(file + ": unreadable gzip: " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new DataException(file + ": unreadable gzip header: " + e.getMessage(), e);
        }
    }

    /**
     * @param file a file, gzipped or not
     * @param n how many bytes to look at
     * @return up to {@code n} of its first (decompressed) bytes; fewer when the file is shorter
     * @throws DataException if the file is missing or unreadable
     */
    public static byte[] head(Path file, int n) {
        try (InputStream in = open(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** @return whether the bytes start with the gzip magic */
    static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** @return the next {@code n} bytes of a stream that supports mark, which is then reset to them */
    private static byte[] head(BufferedInputStream in, int n) throws IOException {
        in.mark(n);
        byte[] b = in.readNBytes(n);
        in.reset();
        return Arrays.copyOf(b, b.length);
    }

    /**
     * @param file a file
     * @return its raw bytes, unbuffered
     * @throws DataException naming the file if it is missing, a directory or unreadable
     */
    public static InputStream openRaw(Path file) {
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a directory, not a file");
        }
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new DataException(file + ": permission denied", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Already failing with a better message.
        }
    }
}
