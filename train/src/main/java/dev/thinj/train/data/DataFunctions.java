package dev.thinj.train.data;

import dev.thinj.model.registry.Arg;
import dev.thinj.model.registry.FunctionLibrary;
import dev.thinj.model.registry.Registered;
import dev.thinj.train.data.csv.CsvColumns;
import dev.thinj.train.data.csv.CsvDataset;
import dev.thinj.train.data.numpy.NumpyDataset;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code datasets} functions this module adds to every config, found by
 * {@link dev.thinj.model.registry.Registry#global()} through
 * {@code META-INF/services/dev.thinj.model.registry.FunctionLibrary}. Relative paths are resolved
 * against the working directory.
 *
 * <pre>{@code
 * [data]
 * @datasets = "fashion_mnist.v1"
 * path = "/data/fashion-mnist"   # optional; without it, the embedded 6,000 / 1,000 subset
 *
 * [data]
 * @datasets = "csv.v1"
 * train = "examples/csv-classify/train.csv"
 * label = "species"              # a column name or index; default the last column
 * dev_fraction = 0.2             # without a test file: a seeded share of train is held out
 *
 * [data]
 * @datasets = "npz.v1"
 * path = "data.npz"              # arrays train_X, train_y, test_X, test_y (keys configurable)
 * }</pre>
 */
public final class DataFunctions implements FunctionLibrary {
    /** Public for {@link java.util.ServiceLoader}. */
    public DataFunctions() {
    }

    /**
     * @param path a directory holding the four standard Fashion-MNIST files (gzipped or not), or
     *     {@code null} for the subset embedded in the jar
     * @return the training and test splits, as host arrays (pixels in [0, 1], labels 0..9)
     * @throws DataException if a file is missing or malformed
     */
    @Registered(registry = "datasets", name = "fashion_mnist.v1")
    public static Dataset fashionMnist(@Arg(value = "path", defaultJson = "null") String path) {
        return FashionMnist.load(path == null ? null : Path.of(path));
    }

    /**
     * @param path a directory holding {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
     *     {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, gzipped or not
     * @return both splits (pixels in [0, 1]), classes 0 to the largest label
     * @throws DataException if a file is missing or malformed
     */
    @Registered(registry = "datasets", name = "idx.v1")
    public static Dataset idx(@Arg("path") String path) {
        return IdxDirectory.load(Path.of(path));
    }

    /**
     * A table of features and a label column; see {@link CsvDataset} and {@link CsvColumns}.
     *
     * @param train the training file (gzipped or not)
     * @param test the test file, or null to hold out {@code dev_fraction} of train
     * @param devFraction the share of train held out without a test file
     * @param seed the seed of that split
     * @param label the label column's name or 0-based index; null for the last column
     * @param features the feature columns' names; null for every column but the label
     * @param header whether the first line names the columns
     * @param delimiter the field separator; {@code "\t"} for TSV
     * @param task {@code "classify"} or {@code "regress"}
     * @return both splits, the task and (classification) the class names
     * @throws DataException for a bad file, naming its line and column
     */
    @Registered(registry = "datasets", name = "csv.v1")
    public static Dataset csv(@Arg("train") String train,
            @Arg(value = "test", defaultJson = "null") String test,
            @Arg(value = "dev_fraction", defaultJson = "0.2") double devFraction,
            @Arg(value = "seed", defaultJson = "0") long seed,
            @Arg(value = "label", defaultJson = "null") String label,
            @Arg(value = "features", defaultJson = "null") List<String> features,
            @Arg(value = "header", defaultJson = "true") boolean header,
            @Arg(value = "delimiter", defaultJson = "\",\"") String delimiter,
            @Arg(value = "task", defaultJson = "\"classify\"") String task) {
        CsvColumns columns = new CsvColumns(label, features, header, CsvColumns.delimiter(delimiter));
        return CsvDataset.load(Path.of(train), test == null ? null : Path.of(test), devFraction, seed, columns,
                task(task));
    }

    /**
     * One {@code .npy} file per array; see {@link NumpyDataset}.
     *
     * @param trainX the training features
     * @param trainY the training targets
     * @param testX the test features
     * @param testY the test targets
     * @param task {@code "classify"}, {@code "regress"}, or null to tell by train_y's dtype
     * @return both splits
     * @throws DataException if a file is bad or the arrays disagree
     */
    @Registered(registry = "datasets", name = "npy.v1")
    public static Dataset npy(@Arg("train_X") String trainX, @Arg("train_y") String trainY,
            @Arg("test_X") String testX, @Arg("test_y") String testY,
            @Arg(value = "task", defaultJson = "null") String task) {
        return NumpyDataset.loadNpy(Path.of(trainX), Path.of(trainY), Path.of(testX), Path.of(testY),
                task == null ? null : task(task));
    }

    /**
     * Four arrays of one {@code .npz} archive, as {@code numpy.savez} (or {@code savez_compressed})
     * writes them; see {@link NumpyDataset}.
     *
     * @param path the archive
     * @param trainXKey the key of the training features
     * @param trainYKey the key of the training targets
     * @param testXKey the key of the test features
     * @param testYKey the key of the test targets
     * @param task {@code "classify"}, {@code "regress"}, or null to tell by train_y's dtype
     * @return both splits
     * @throws DataException if the archive, a key or an array is bad, or the arrays disagree
     */
    @Registered(registry = "datasets", name = "npz.v1")
    public static Dataset npz(@Arg("path") String path,
            @Arg(value = "train_X_key", defaultJson = "\"train_X\"") String trainXKey,
            @Arg(value = "train_y_key", defaultJson = "\"train_y\"") String trainYKey,
            @Arg(value = "test_X_key", defaultJson = "\"test_X\"") String testXKey,
            @Arg(value = "test_y_key", defaultJson = "\"test_y\"") String testYKey,
            @Arg(value = "task", defaultJson = "null") String task) {
        return NumpyDataset.loadNpz(Path.of(path), List.of(trainXKey, trainYKey, testXKey, testYKey),
                task == null ? null : task(task));
    }

    /**
     * @param name {@code "classify"} or {@code "regress"}
     * @return the task
     * @throws IllegalArgumentException for another name
     */
    static Task task(String name) {
        return switch (name) {
            case "classify" -> Task.CLASSIFY;
            case "regress" -> Task.REGRESS;
            default -> throw new IllegalArgumentException("task must be \"classify\" or \"regress\", got \"" + name + "\"");
        };
    }
}
