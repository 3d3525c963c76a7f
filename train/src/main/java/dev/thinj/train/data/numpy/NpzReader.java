package dev.thinj.train.data.numpy;

import dev.thinj.train.data.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * An open {@code .npz} archive: a zip of {@code .npy} files, stored ({@code numpy.savez}) or
 * deflated ({@code numpy.savez_compressed}), one per key ({@code savez(f, train_X=...)} writes
 * {@code train_X.npy}).
 */
public final class NpzReader implements AutoCloseable {
    private final Path file;
    private final ZipFile zip;

    private NpzReader(Path file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
    }

    /**
     * @param file a {@code .npz} file
     * @return the archive, open
     * @throws DataException if the file is missing or not a zip archive
     */
    public static NpzReader open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": " + (Files.exists(file) ? "not a file" : "no such file"));
        }
        try {
            return new NpzReader(file, new ZipFile(file.toFile()));
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file", e);
        } catch (ZipException e) {
            throw new DataException(file + ": not a .npz (zip) archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    /** @return the keys of the arrays in the archive (entry names without {@code .npy}), sorted */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName();
            keys.add(name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name);
        }
        Collections.sort(keys);
        return keys;
    }

    /**
     * @param key an array's key, as given to {@code numpy.savez} (or its entry name, with {@code .npy})
     * @return the array
     * @throws DataException if the key is missing (naming the keys present) or its array is bad
     */
    public NpyArray read(String key) {
        ZipEntry entry = zip.getEntry(key + ".npy");
        if (entry == null) {
            entry = zip.getEntry(key);
        }
        String source = file + "[" + key + "]";
        if (entry == null || entry.isDirectory()) {
            throw new DataException(file + ": no array \"" + key + "\" (the archive holds: "
                    + String.join(", ", keys()) + ")");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            // The entry's stated size may lie (a corrupt or hostile archive): memory grows with what
            // is actually inflated, not with it.
            return NpyReader.read(in, source, -1);
        } catch (ZipException e) {
            throw new DataException(source + ": corrupt zip entry: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataException(source + ": unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new DataException(file + ": cannot close: " + e.getMessage(), e);
        }
    }
}
