package dev.thinj.train.eval;

import dev.thinj.model.serialize.AtomicFiles;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Writes the package's output files atomically, with an error that names the file in words. */
final class OutputFiles {
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
        try {
            AtomicFiles.write(path, bytes);
        } catch (IOException e) {
            throw failure(path, what, e);
        }
    }

    /** Refuses a target that is a folder before anything is written (a move could replace an empty one). */
    static void checkTarget(Path path, String what) {
        if (Files.isDirectory(path)) {
            throw new OutputFileException("Cannot write " + what + " " + path + ": it is a folder", null);
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
