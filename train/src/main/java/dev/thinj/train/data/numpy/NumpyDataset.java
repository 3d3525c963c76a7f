package dev.thinj.train.data.numpy;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.LoadedDataset;
import dev.thinj.train.data.Split;
import dev.thinj.train.data.Task;
import dev.thinj.train.data.csv.LabelEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code npy.v1} and {@code npz.v1} datasets: four arrays, {@code X} and {@code y} of a training
 * and a test split. Rows are the first axis of {@code X}, its other axes flattened. The task is the
 * one given, else told by {@code train_y}'s dtype: floating point means regression, integers (or
 * booleans) classification. Class labels must be whole numbers from 0, in a vector {@code (n,)} or a
 * column {@code (n, 1)}; the classes are 0 to the largest label of either split, named
 * {@code "0"}, {@code "1"}, ... Regression targets may have any shape after the first axis.
 */
public final class NumpyDataset {
    private NumpyDataset() {
    }

    /**
     * The arrays of {@code npy.v1}, one file each.
     *
     * @param trainX the training features
     * @param trainY the training targets
     * @param testX the test features
     * @param testY the test targets
     * @param task the task, or null to tell it by {@code trainY}'s dtype
     * @return the dataset
     * @throws DataException if a file is bad or the arrays disagree
     */
    public static LoadedDataset loadNpy(Path trainX, Path trainY, Path testX, Path testY, Task task) {
        return of(NpyReader.read(trainX), NpyReader.read(trainY), NpyReader.read(testX), NpyReader.read(testY), task,
                "NumPy .npy files");
    }

    /**
     * The arrays of {@code npz.v1}, from one archive.
     *
     * @param file the archive
     * @param keys the keys of train X, train y, test X and test y, in that order
     * @param task the task, or null to tell it by train y's dtype
     * @return the dataset
     * @throws DataException if the archive, a key or an array is bad, or the arrays disagree
     */
    public static LoadedDataset loadNpz(Path file, List<String> keys, Task task) {
        if (keys.size() != 4) {
            throw new IllegalArgumentException("four keys (train X, train y, test X, test y), got " + keys);
        }
        try (NpzReader npz = NpzReader.open(file)) {
            return of(npz.read(keys.get(0)), npz.read(keys.get(1)), npz.read(keys.get(2)), npz.read(keys.get(3)), task,
                    "NumPy archive " + file);
        }
    }

    /**
     * @param trainX the training features
     * @param trainY the training targets
     * @param testX the test features
     * @param testY the test targets
     * @param task the task, or null to tell it by {@code trainY}'s dtype
     * @param what where the arrays came from, for the description
     * @return the dataset
     * @throws DataException if the arrays disagree in rows, widths or kind of target
     */
    public static LoadedDataset of(NpyArray trainX, NpyArray trainY, NpyArray testX, NpyArray testY, Task task,
            String what) {
        checkFeatures(trainX);
        checkFeatures(testX);
        checkRows(trainX, trainY);
        checkRows(testX, testY);
        if (trainX.width() != testX.width()) {
            throw new DataException("feature width mismatch: " + trainX.describe() + " has " + trainX.width()
                    + " values per row, " + testX.describe() + " has " + testX.width());
        }
        Task t = task != null ? task : trainY.header().dtype().isInteger() ? Task.CLASSIFY : Task.REGRESS;
        String describe = what + ": train " + trainX.describe() + " / " + trainY.describe() + ", test "
                + testX.describe() + " / " + testY.describe();
        if (t == Task.REGRESS) {
            if (trainY.width() != testY.width()) {
                throw new DataException("target width mismatch: " + trainY.describe() + " has " + trainY.width()
                        + " targets per row, " + testY.describe() + " has " + testY.width());
            }
            return new LoadedDataset(regression(trainX, trainY), regression(testX, testY), t, List.of(),
                    describe + " (regression)");
        }
        int[] trainLabels = labels(trainY);
        int[] testLabels = labels(testY);
        int classes = Math.max(max(trainLabels), max(testLabels)) + 1;
        List<String> names = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return new LoadedDataset(Split.classification(trainX.rows(), trainX.width(), trainX.values(), trainLabels),
                Split.classification(testX.rows(), testX.width(), testX.values(), testLabels), t, names,
                describe + ", " + classes + " classes");
    }

    private static void checkFeatures(NpyArray x) {
        if (x.rank() == 0) {
            throw new DataException(x.source() + ": a scalar, not an array of rows");
        }
        if (x.rows() == 0) {
            throw new DataException(x.source() + ": no rows (shape " + x.header().shapeText() + ")");
        }
        if (x.width() == 0) {
            throw new DataException(x.source() + ": no features per row (shape " + x.header().shapeText() + ")");
        }
    }

    private static void checkRows(NpyArray x, NpyArray y) {
        if (y.rank() == 0 || y.rows() != x.rows()) {
            throw new DataException("row count mismatch: " + x.describe() + " has " + x.rows() + " rows, "
                    + y.describe() + " has " + (y.rank() == 0 ? "none (a scalar)" : y.rows()));
        }
    }

    private static Split regression(NpyArray x, NpyArray y) {
        if (y.width() == 0) {
            throw new DataException(y.source() + ": no targets per row (shape " + y.header().shapeText() + ")");
        }
        return Split.regression(x.rows(), x.width(), x.values(), y.values(), y.width());
    }

    private static int[] labels(NpyArray y) {
        if (y.rank() > 2 || y.width() != 1) {
            throw new DataException(y.source() + ": class labels must be a vector (n,) or a column (n, 1), got shape "
                    + y.header().shapeText() + "; for one-hot or several targets per row use task = \"regress\"");
        }
        float[] v = y.values();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            float l = v[i];
            if (!(l >= 0 && l < LabelEncoder.MAX_CLASSES && l == Math.rint(l))) {
                throw new DataException(y.source() + ": label " + text(l) + " at row " + i + " is not a class index (a whole"
                        + " number from 0 to " + (LabelEncoder.MAX_CLASSES - 1) + ")"
                        + (y.header().dtype().isInteger() ? "" : "; for float targets use task = \"regress\""));
            }
            out[i] = (int) l;
        }
        return out;
    }

    private static String text(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e18 ? Long.toString((long) v) : Float.toString(v);
    }

    private static int max(int[] labels) {
        int m = 0;
        for (int l : labels) {
            m = Math.max(m, l);
        }
        return m;
    }
}
