package dev.thinj.ops.cuda.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A disk cache of compiled kernel modules (CUBIN), so that only the first process on a machine pays
 * for NVRTC. Entries are named by a SHA-256 {@link #key} of everything that decides the bytes: the
 * source text, every header's text, the compiler options, the NVRTC version and the target
 * architecture. A changed source therefore misses and is compiled again; stale entries are never read.
 *
 * <p>Writes go to a temporary file in the same folder, then an atomic rename, so a reader (another
 * process starting at the same moment) sees either no entry or a complete one. The folder is
 * {@code -Dthinj.cuda.cache=DIR}, else {@code ~/.cache/thinj/cuda}. A cache that cannot be written (a
 * read-only home) only costs compile time: {@link #store} reports failure, it does not throw.
 */
public final class KernelCache {
    /** System property naming the cache folder. */
    public static final String PROPERTY = "thinj.cuda.cache";

    private static final System.Logger LOG = System.getLogger(KernelCache.class.getName());
    private static final String SUFFIX = ".cubin";

    private final Path dir;

    /** @param dir the folder (created on the first store) */
    public KernelCache(Path dir) {
        this.dir = dir;
    }

    /** @return the cache at {@code -Dthinj.cuda.cache} or {@code ~/.cache/thinj/cuda} */
    public static KernelCache fromSystem() {
        String configured = System.getProperty(PROPERTY);
        Path d = configured != null && !configured.isBlank() ? Paths.get(configured)
                : Paths.get(System.getProperty("user.home"), ".cache", "thinj", "cuda");
        return new KernelCache(d);
    }

    /** @return the folder */
    public Path dir() {
        return dir;
    }

    /**
     * @param file the source's name (part of the key: two files with equal text compile alike, but the
     *     name shows up in the module's debug data)
     * @param source the {@code .cu} text
     * @param headers header name to text
     * @param options the compiler options in order
     * @param compilerVersion such as {@code "nvrtc 13.0"}
     * @param arch such as {@code "sm_90"}
     * @return 64 hex digits
     */
    public static String key(String file, String source, Map<String, String> headers, List<String> options,
            String compilerVersion, String arch) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        // Length-prefixed fields, so no two different inputs concatenate to the same byte string.
        field(sha, "file", file);
        field(sha, "source", source);
        for (Map.Entry<String, String> h : new TreeMap<>(headers).entrySet()) {
            field(sha, "header-name", h.getKey());
            field(sha, "header", h.getValue());
        }
        for (String o : options) {
            field(sha, "option", o);
        }
        field(sha, "compiler", compilerVersion);
        field(sha, "arch", arch);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void field(MessageDigest sha, String tag, String value) {
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        sha.update(t);
        sha.update((byte) 0);
        sha.update(Integer.toString(v.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(v);
    }

    /**
     * @param key from {@link #key}
     * @return the cached module, or null on a miss (or an unreadable entry)
     */
    public byte[] load(String key) {
        Path p = entry(key);
        try {
            byte[] bytes = Files.readAllBytes(p);
            return bytes.length == 0 ? null : bytes;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "thinj CUDA kernel cache: cannot read " + p + ": " + e);
            return null;
        }
    }

    /**
     * Writes an entry atomically (temporary file, then rename over any existing entry).
     *
     * @param key from {@link #key}
     * @param module the compiled bytes
     * @return whether the entry was written
     */
    public boolean store(String key, byte[] module) {
        Path target = entry(key);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, key.substring(0, Math.min(16, key.length())) + ".", ".tmp");
            Files.write(tmp, module);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Same folder, so this only happens on exotic file systems; a plain replace is the best left.
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "thinj CUDA kernel cache: cannot write " + target + " (kernels will be "
                    + "compiled again next time): " + e);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Nothing more to do: a stray .tmp file is never read as an entry.
                }
            }
            return false;
        }
    }

    /**
     * @param key from {@link #key}
     * @return where that entry lives
     */
    public Path entry(String key) {
        return dir.resolve(key + SUFFIX);
    }
}
