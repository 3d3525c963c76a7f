package dev.thinj.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads Fashion-MNIST (Zalando, MIT licence): 28 x 28 grey images of clothing in ten classes.
 * A split comes either from a directory holding the four standard files ({@code
 * train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each with or without {@code .gz}), or from the subset embedded in
 * this jar: the first 6,000 training and 1,000 test images, enough to train and check a small model
 * without a download.
 */
public final class FashionMnist {
    /** The number of classes; labels are in {@code [0, CLASSES)}. */
    public static final int CLASSES = 10;
    /** Training images in the embedded subset. */
    public static final int EMBEDDED_TRAIN = 6_000;
    /** Test images in the embedded subset. */
    public static final int EMBEDDED_TEST = 1_000;

    private static final String RESOURCES = "/dev/thinj/train/data/fashion-mnist/";

    private FashionMnist() {
    }

    /** The class names, index order, as Fashion-MNIST's documentation gives them. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /**
     * Both splits, as Thinc's {@code fashion_mnist()} returns {@code (train, dev)}: 28 x 28 pixels in
     * [0, 1] per row, labels 0..9.
     *
     * @param train the training split
     * @param test the test split
     * @param describe what was read
     */
    public record Images(Split train, Split test, String describe) implements Dataset {
        @Override
        public Task task() {
            return Task.CLASSIFY;
        }

        @Override
        public List<String> classNames() {
            return CLASS_NAMES;
        }
    }

    /**
     * @param directory a directory holding the standard Fashion-MNIST (or MNIST) files, or
     *     {@code null} for the embedded subset
     * @return both splits
     * @throws DataException if a file is missing or malformed
     */
    public static Images load(Path directory) {
        return directory == null
                ? new Images(embedded("train"), embedded("test"), "Fashion-MNIST, the embedded subset (6,000 / 1,000)")
                : new Images(load(directory, "train"), load(directory, "test"), "Fashion-MNIST from " + directory);
    }

    /**
     * @param directory a directory holding the split's two standard files, gzipped or not
     * @param split {@code "train"} or {@code "test"}
     * @return the split
     * @throws DataException if a file is missing or malformed
     * @throws IllegalArgumentException for another split name
     */
    public static Split load(Path directory, String split) {
        String prefix = prefix(split);
        Path images = find(directory, prefix + "-images-idx3-ubyte");
        Path labels = find(directory, prefix + "-labels-idx1-ubyte");
        return combine(Idx.readImages(images), images.toString(), Idx.readLabels(labels), labels.toString());
    }

    /**
     * @param split {@code "train"} (6,000 images) or {@code "test"} (1,000 images)
     * @return that split of the embedded subset
     * @throws IllegalArgumentException for another split name
     */
    public static Split embedded(String split) {
        String prefix = prefix(split);
        String images = RESOURCES + prefix + "-images-idx3-ubyte.gz";
        String labels = RESOURCES + prefix + "-labels-idx1-ubyte.gz";
        IdxImages x;
        int[] y;
        try (InputStream in = resource(images)) {
            x = Idx.readImages(in, "classpath:" + images);
        } catch (IOException e) {
            throw new DataException("classpath:" + images + ": " + e.getMessage(), e);
        }
        try (InputStream in = resource(labels)) {
            y = Idx.readLabels(in, "classpath:" + labels);
        } catch (IOException e) {
            throw new DataException("classpath:" + labels + ": " + e.getMessage(), e);
        }
        return combine(x, "classpath:" + images, y, "classpath:" + labels);
    }

    private static Split combine(IdxImages images, String imagesSource, int[] labels, String labelsSource) {
        Idx.checkSameCount(images, imagesSource, labels, labelsSource);
        for (int i = 0; i < labels.length; i++) {
            // IDX allows 0..255; a Fashion-MNIST label beyond 9 means the wrong file, and would
            // otherwise surface much later as an out-of-range one-hot index.
            if (labels[i] >= CLASSES) {
                throw new DataException(labelsSource + ": label " + labels[i] + " at index " + i
                        + " is not a Fashion-MNIST class (expected 0.." + (CLASSES - 1) + ")");
            }
        }
        return Split.classification(images.count(), images.rows() * images.cols(), images.toFloats(), labels);
    }

    private static String prefix(String split) {
        return switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new IllegalArgumentException("unknown Fashion-MNIST split \"" + split
                    + "\" (expected \"train\" or \"test\")");
        };
    }

    private static Path find(Path directory, String name) {
        return IdxDirectory.find(directory, name);
    }

    private static InputStream resource(String name) {
        InputStream in = FashionMnist.class.getResourceAsStream(name);
        if (in == null) {
            throw new DataException("classpath:" + name + ": missing from the jar (the embedded Fashion-MNIST subset)");
        }
        return in;
    }
}
