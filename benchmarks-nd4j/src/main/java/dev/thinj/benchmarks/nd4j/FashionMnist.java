package dev.thinj.benchmarks.nd4j;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the gzipped IDX files of Fashion-MNIST (as Debian's {@code dataset-fashion-mnist} installs
 * them): images as floats in [0, 1], labels as class indices.
 */
final class FashionMnist {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private FashionMnist() {
    }

    /**
     * @param file a gzipped IDX image file
     * @return (count, rows * cols) pixels, row-major, divided by 255
     * @throws IOException if the file cannot be read or is not an IDX image file
     */
    static float[] images(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(file + ": not an IDX image file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            long size = (long) count * rows * cols;
            if (count < 0 || rows <= 0 || cols <= 0 || size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": implausible IDX shape " + count + " x " + rows + " x " + cols);
            }
            byte[] raw = new byte[(int) size];
            in.readFully(raw);
            float[] pixels = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                pixels[i] = (raw[i] & 0xff) / 255f;
            }
            return pixels;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX file", e);
        }
    }

    /**
     * @param file a gzipped IDX label file
     * @return the labels
     * @throws IOException if the file cannot be read or is not an IDX label file
     */
    static int[] labels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(file + ": not an IDX label file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(file + ": negative label count " + count);
            }
            byte[] raw = new byte[count];
            in.readFully(raw);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX file", e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        try {
            InputStream raw = Files.newInputStream(file);
            return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }
}
