package dev.thinj.model;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/**
 * Reads the Fashion-MNIST subset bundled with the tests (3,000 training and 1,000 test images, IDX
 * format): pixels scaled to [0, 1], one row per image.
 *
 * @param images (n * 784) row-major pixels
 * @param labels n class indices in [0, 10)
 */
record FashionMnistSubset(float[] images, int[] labels) {
    static final int PIXELS = 28 * 28;

    static FashionMnistSubset train() {
        return load("train");
    }

    static FashionMnistSubset test() {
        return load("t10k");
    }

    int size() {
        return labels.length;
    }

    private static FashionMnistSubset load(String prefix) {
        try (DataInputStream img = open(prefix + "-images-idx3-ubyte.gz");
                DataInputStream lab = open(prefix + "-labels-idx1-ubyte.gz")) {
            if (img.readInt() != 2051 || lab.readInt() != 2049) {
                throw new IOException("not IDX image/label files: " + prefix);
            }
            int n = img.readInt();
            img.readInt();
            img.readInt();
            if (lab.readInt() != n) {
                throw new IOException("image and label counts differ in " + prefix);
            }
            byte[] raw = img.readNBytes(n * PIXELS);
            float[] pixels = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                pixels[i] = (raw[i] & 0xff) / 255f;
            }
            byte[] l = lab.readNBytes(n);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = l[i];
            }
            return new FashionMnistSubset(pixels, labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DataInputStream open(String name) throws IOException {
        InputStream in = FashionMnistSubset.class.getResourceAsStream("/fashion-mnist-subset/" + name);
        if (in == null) {
            throw new IOException("missing test resource /fashion-mnist-subset/" + name);
        }
        return new DataInputStream(new GZIPInputStream(in));
    }
}
