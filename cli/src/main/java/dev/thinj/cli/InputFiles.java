package dev.thinj.cli;

import dev.thinj.ops.ThinjException;
import dev.thinj.train.TrainedModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks the files and folders named on the command line before anything reads them, so that a
 * missing file, a folder instead of a file, an unreadable file or a model file given as a config is
 * one line naming the argument and what to give instead, not a low-level I/O message.
 */
final class InputFiles {
    /** What to give as a config. */
    static final String CONFIG_HINT = "give a config file, such as examples/fashion-mnist-mlp.cfg";
    /** What to give as a model. */
    static final String MODEL_HINT = TrainedModel.MODEL_HINT;
    /** What to give as images. */
    static final String IMAGES_HINT = "give an IDX image file (gzipped or not), such as t10k-images-idx3-ubyte.gz";
    /** What to give as a data folder. */
    static final String DATA_HINT = "give the folder holding the Fashion-MNIST IDX files";

    /** The first bytes of a thinj model file (ModelFile's format). */
    private static final byte[] MODEL_MAGIC = "THINJMDL".getBytes(StandardCharsets.US_ASCII);

    private InputFiles() {
    }

    /** A file or folder named on the command line that cannot be used; the message says what to give. */
    static final class InputException extends ThinjException {
        private static final long serialVersionUID = 1L;

        InputException(String message) {
            super(message);
        }
    }

    /**
     * @param path a config file argument
     * @return the path, checked to be a readable file that is not a thinj model file
     */
    static Path config(Path path) {
        file(path, "a config file", CONFIG_HINT);
        if (startsWith(path, MODEL_MAGIC)) {
            throw new InputException(path + ": is a thinj model file, not a config; " + CONFIG_HINT
                    + " (thinj train writes the one a model was trained with as config.cfg beside it)");
        }
        if (firstByte(path) >= 0x80 && firstByte(path) <= 0x8f) {
            // A msgpack map: what Thinc's model.to_disk() writes. No text starts so (not UTF-8).
            throw new InputException(path + ": looks like a Thinc model file (msgpack), not a config; " + CONFIG_HINT
                    + " (the one the Thinc model was built from)");
        }
        return path;
    }

    /**
     * @param path a model file argument
     * @return the path, checked to be a readable file
     */
    static Path model(Path path) {
        if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("model-best.bin"))) {
            throw new InputException(path + ": is a folder, not a model file; did you mean "
                    + path.resolve("model-best.bin") + "?");
        }
        return file(path, "a model file", MODEL_HINT);
    }

    /**
     * @param path a data folder argument
     * @param hint what to give instead
     * @return the path, checked to be a folder
     */
    static Path folder(Path path, String hint) {
        if (!Files.exists(path)) {
            throw new InputException(path + ": no such folder; " + hint);
        }
        if (!Files.isDirectory(path)) {
            throw new InputException(path + ": is a file, not a folder; " + hint);
        }
        return path;
    }

    /**
     * @param path a file argument
     * @param what what it should be, such as {@code a model file}
     * @param hint what to give instead, such as {@link #MODEL_HINT}
     * @return the path, checked to be an existing, readable regular file
     */
    static Path file(Path path, String what, String hint) {
        if (!Files.exists(path)) {
            throw new InputException(path + ": no such file; " + hint);
        }
        if (Files.isDirectory(path)) {
            throw new InputException(path + ": is a folder, not " + what + "; " + hint);
        }
        if (!Files.isReadable(path)) {
            throw new InputException(path + ": cannot read it (permission denied); check its permissions or "
                    + hint);
        }
        return path;
    }

    /** @return the file's first byte, 0 to 255, or -1 if it is empty or cannot be read */
    static int firstByte(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }

    /** @return whether the file begins with these bytes (false if it cannot be read) */
    static boolean startsWith(Path path, byte[] prefix) {
        try (InputStream in = Files.newInputStream(path)) {
            return Arrays.equals(in.readNBytes(prefix.length), prefix);
        } catch (IOException e) {
            return false;
        }
    }
}
