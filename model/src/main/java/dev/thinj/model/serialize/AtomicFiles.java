package dev.thinj.model.serialize;

import java.io.IOException;
import java.nio.ByteBuffer;
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

    /**
     * @param path the file to replace; its folder must exist
     * @param bytes the new content
     * @throws IOException if writing or moving fails (the old file is then untouched)
     */
    public static void write(Path path, byte[] bytes) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = createTemp(dir, path.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
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
