package dev.thinj.train;

import dev.thinj.model.registry.Arg;
import dev.thinj.model.registry.FunctionLibrary;
import dev.thinj.model.registry.Registered;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.Split;
import dev.thinj.train.data.Task;
import java.util.List;
import java.util.Random;

/**
 * Small seeded datasets for trainer tests, registered for test configs: a smooth regression
 * ({@code y = sin(x0) + x1 * x2 / 2}, two targets when asked) and two-blob classification.
 */
public final class SyntheticData implements FunctionLibrary {
    /** Public for {@link java.util.ServiceLoader}. */
    public SyntheticData() {
    }

    record Data(Split train, Split test, Task task, List<String> classNames, String describe) implements Dataset {
    }

    /**
     * @param rows training rows (the test split has a quarter as many)
     * @param targets 1 or 2 targets per row
     * @return the dataset
     */
    @Registered(registry = "datasets", name = "test_regression.v1")
    public static Dataset regression(@Arg(value = "rows", defaultJson = "800") int rows,
            @Arg(value = "targets", defaultJson = "1") int targets) {
        Random r = new Random(42);
        return new Data(regressionSplit(r, rows, targets), regressionSplit(r, rows / 4, targets), Task.REGRESS, List.of(),
                "synthetic regression");
    }

    private static Split regressionSplit(Random r, int rows, int targets) {
        float[] x = new float[rows * 3];
        float[] y = new float[rows * targets];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) (r.nextDouble() * 4 - 2);
            }
            y[i * targets] = (float) (Math.sin(x[i * 3]) + x[i * 3 + 1] * x[i * 3 + 2] / 2);
            if (targets == 2) {
                y[i * targets + 1] = x[i * 3] - x[i * 3 + 2];
            }
        }
        return Split.regression(rows, 3, x, y, targets);
    }

    /** @return two Gaussian blobs in 4 dimensions, classes "left" and "right" */
    @Registered(registry = "datasets", name = "test_blobs.v1")
    public static Dataset blobs() {
        Random r = new Random(7);
        return new Data(blobSplit(r, 400), blobSplit(r, 100), Task.CLASSIFY, List.of("left", "right"), "blobs");
    }

    private static Split blobSplit(Random r, int rows) {
        float[] x = new float[rows * 4];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(2);
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) (r.nextGaussian() + (y[i] == 0 ? -1.5 : 1.5));
            }
        }
        return Split.classification(rows, 4, x, y);
    }
}
