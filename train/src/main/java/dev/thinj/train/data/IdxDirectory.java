package dev.thinj.train.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code idx.v1} dataset: any directory of IDX files under the four standard names (MNIST,
 * Fashion-MNIST, KMNIST, ...): {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each with or without {@code .gz}.
 * Pixels are scaled to [0, 1]; labels may be any byte value, the classes are 0 to the largest label
 * of either split, named {@code "0"}, {@code "1"}, ...
 */
public final class IdxDirectory {
    /** The four file names, without {@code .gz}. */
    public static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private IdxDirectory() {
    }

    /**
     * @param directory a directory holding the four standard files, gzipped or not
     * @return both splits, with classes 0 to the largest label
     * @throws DataException if a file is missing or malformed, or a split's counts disagree
     */
    public static LoadedDataset load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new DataException(directory + ": " + (Files.exists(directory) ? "not a directory" : "no such directory")
                    + " (idx.v1 reads a directory holding " + String.join(", ", FILES) + ")");
        }
        Split train = split(directory, "train");
        Split test = split(directory, "t10k");
        if (train.width() != test.width()) {
            throw new DataException(directory + ": training images have " + train.width() + " pixels, test images "
                    + test.width());
        }
        int classes = Math.max(max(train.labels()), max(test.labels())) + 1;
        List<String> names = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return new LoadedDataset(train, test, Task.CLASSIFY, names, "IDX " + directory + ": " + train.count()
                + " training and " + test.count() + " test images of " + train.width() + " pixels, " + classes
                + " classes");
    }

    /**
     * @param directory a directory
     * @param name a file name without {@code .gz}
     * @return the file, uncompressed when both kinds are there (reading it skips decompression)
     * @throws DataException if neither is there
     */
    public static Path find(Path directory, String name) {
        for (Path candidate : new Path[] {directory.resolve(name), directory.resolve(name + ".gz")}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new DataException(directory + ": no " + name + " or " + name + ".gz (an IDX directory holds "
                + String.join(", ", FILES) + ")");
    }

    private static Split split(Path directory, String prefix) {
        Path imagesFile = find(directory, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(directory, prefix + "-labels-idx1-ubyte");
        IdxImages images = Idx.readImages(imagesFile);
        int[] labels = Idx.readLabels(labelsFile);
        Idx.checkSameCount(images, imagesFile.toString(), labels, labelsFile.toString());
        if (images.count() == 0) {
            throw new DataException(imagesFile + ": no images");
        }
        return Split.classification(images.count(), images.pixelsPerImage(), images.toFloats(), labels);
    }

    private static int max(int[] labels) {
        int m = 0;
        for (int l : labels) {
            m = Math.max(m, l);
        }
        return m;
    }
}
