package dev.thinj.train.eval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes the package's output files atomically (a temporary file in the same folder, forced to disk,
 * then moved over the target), with an error that names the file in words.
 *
 * <p>The same steps as {@link dev.thinj.model.serialize.AtomicFiles} (the temporary file created as a
 * plain write would create it, with the user's umask, so a shared results folder stays readable), plus
 * what this package needs of them: a folder refused as a target before anything is written, errors
 * that say what the file is, and the pieces {@code PredictionWriter} streams through.
 */
final class OutputFiles {
    private static final int NAME_TRIES = 100;

    private OutputFiles() {
    }

    /**
     * @param path the file to replace
     * @param bytes its new content
     * @param what what the file is, for the error message ("confusion matrix plot")
     * @throws OutputFileException naming {@code path} if it cannot be written (nothing is left behind)
     */
    static void write(Path path, byte[] bytes, String what) {
        checkTarget(path, what);
        Path temp = null;
        try {
            temp = createTemp(path);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            commit(temp, path);
        } catch (IOException e) {
            throw failure(path, what, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Refuses a target that is a folder before anything is written (a move could replace an empty one). */
    static void checkTarget(Path path, String what) {
        if (Files.isDirectory(path)) {
            throw new OutputFileException("Cannot write " + what + " " + path + ": it is a folder", null);
        }
    }

    /**
     * @param path the file that will be replaced
     * @return a new, empty, hidden file beside it ({@code .<name>.<random>.tmp}), created with the umask
     */
    static Path createTemp(Path path) throws IOException {
        Path folder = path.toAbsolutePath().getParent();
        for (int attempt = 1;; attempt++) {
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            try {
                return Files.createFile(folder.resolve("." + path.getFileName() + "." + random + ".tmp"));
            } catch (FileAlreadyExistsException e) {
                if (attempt == NAME_TRIES) {
                    throw e;
                }
            }
        }
    }

    /** Moves the finished temporary file over the target, atomically where the file system can. */
    static void commit(Path temp, Path path) throws IOException {
        try {
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a temporary file if it is still there; a failure only leaves a hidden file behind. */
    static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // Nothing better to do: the error that led here is the one to report.
        }
    }

    /** @return the exception for a failed write of {@code path}, saying why in words */
    static OutputFileException failure(Path path, String what, IOException e) {
        return new OutputFileException("Cannot write " + what + " " + path + ": " + reason(path, e), e);
    }

    private static String reason(Path path, IOException e) {
        Path folder = path.toAbsolutePath().getParent();
        if (folder != null && Files.isRegularFile(folder)) {
            return "its folder " + folder + " is a file";
        }
        if (e instanceof NoSuchFileException && folder != null && !Files.exists(folder)) {
            return "the folder " + folder + " does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
