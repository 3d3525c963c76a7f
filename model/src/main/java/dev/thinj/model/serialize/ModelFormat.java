package dev.thinj.model.serialize;

import dev.thinj.model.Model;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The two files a model's state can live in: thinj's own ({@link ModelFile}) and Thinc's
 * ({@link ThincModelFile}). A file is thinj's if it begins with thinj's magic bytes, else it is taken
 * for Thinc's msgpack (whose reader says clearly if it is neither).
 */
public enum ModelFormat {
    /** {@link ModelFile}: {@code thinj train}'s {@code model-best.bin} and checkpoints. */
    THINJ("thinj model file"),
    /** {@link ThincModelFile}: Thinc's {@code Model.to_bytes()} / {@code to_disk()}. */
    THINC("Thinc model file");

    private final String description;

    ModelFormat(String description) {
        this.description = description;
    }

    /**
     * @param bytes a file's bytes (or its first 8)
     * @return the file's format, by its first bytes
     */
    public static ModelFormat detect(byte[] bytes) {
        return bytes.length >= ModelFile.MAGIC.length
                && Arrays.equals(Arrays.copyOf(bytes, ModelFile.MAGIC.length), ModelFile.MAGIC) ? THINJ : THINC;
    }

    /**
     * @param path a model file
     * @return its format, by its first bytes
     * @throws ModelFileException naming the file if it cannot be read
     */
    public static ModelFormat detect(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return detect(in.readNBytes(ModelFile.MAGIC.length));
        } catch (NoSuchFileException e) {
            throw new ModelFileException("Model file " + path + " does not exist");
        } catch (IOException e) {
            throw new ModelFileException("Cannot read model file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param name {@code thinj} or {@code thinc}, in any case
     * @return the format
     * @throws IllegalArgumentException naming the formats if it is neither
     */
    public static ModelFormat named(String name) {
        for (ModelFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no model format '" + name + "'; expected thinc or thinj");
    }

    /** @return the other format */
    public ModelFormat other() {
        return this == THINJ ? THINC : THINJ;
    }

    /**
     * Reads a file in this format into a model built from the same config.
     *
     * @param model the model to fill
     * @param path the file
     * @param <M> the model's type
     * @return the model
     * @throws ModelFileException naming the file and what was wrong; the model is then unchanged
     */
    public <M extends Model<?, ?>> M read(M model, Path path) {
        return this == THINJ ? ModelFile.load(model, path) : ThincModelFile.read(model, path);
    }

    /**
     * Writes the model in this format, atomically.
     *
     * @param model the model (read, not modified)
     * @param path the file
     * @throws ModelFileException naming the file if it cannot be written
     */
    public void write(Model<?, ?> model, Path path) {
        if (this == THINJ) {
            ModelFile.save(model, path);
        } else {
            ThincModelFile.write(model, path);
        }
    }

    /** @return the lower-case name used on the command line */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return what the format is, for messages, such as {@code "Thinc model file"} */
    public String description() {
        return description;
    }
}
