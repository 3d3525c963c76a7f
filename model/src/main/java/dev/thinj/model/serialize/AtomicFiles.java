package dev.thinj.model.serialize;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old content or the new, never a mix: the bytes go to a
 * temporary file in the same folder, are forced to disk, and the temporary file is moved over the
 * target atomically. A crash mid-write leaves the previous file intact.
 */
public final class AtomicFiles {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private AtomicFiles() {
    }

    /** What goes into the file, written to a stream (buffered; the caller need not flush or close it). */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out the temporary file's stream
         * @throws IOException if writing fails; the target is then untouched
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * @param path the file to replace; its folder must exist
     * @param bytes the new content
     * @throws IOException if writing or moving fails (the old file is then untouched)
     */
    public static void write(Path path, byte[] bytes) throws IOException {
        write(path, out -> out.write(bytes));
    }

    /**
     * Streams the content into the temporary file, so a large file (a checkpoint's ~10 MB of optimizer
     * state) is never held in memory whole.
     *
     * @param path the file to replace; its folder must exist
     * @param content writes the new content
     * @throws IOException if writing or moving fails, or the content throws it (the old file is then
     *     untouched)
     */
    public static void write(Path path, Content content) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = createTemp(dir, path.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                // Not closed: closing the stream would close the channel before force.
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty file beside the target. Not {@code Files.createTempFile}: that makes it readable by
     * its owner only, and the published file would keep those permissions instead of the user's umask.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int tries = 0; ; tries++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (tries == 100) {
                    throw e;
                }
            }
        }
    }
}
