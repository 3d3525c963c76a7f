package dev.thinj.spark;

import dev.thinj.model.registry.Arg;
import dev.thinj.model.registry.FunctionLibrary;
import dev.thinj.model.registry.Registered;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.Split;
import dev.thinj.train.data.Task;
import java.util.List;
import java.util.Random;

/** Small seeded datasets for the Spark tests: three Gaussian blobs in 6 dimensions. */
public final class SparkTestData implements FunctionLibrary {
    /** Public for {@link java.util.ServiceLoader}. */
    public SparkTestData() {
    }

    record Data(Split train, Split test, Task task, List<String> classNames, String describe) implements Dataset {
    }

    /**
     * @param rows training rows (the test split has a quarter as many)
     * @return three blobs, classes "a", "b", "c"
     */
    @Registered(registry = "datasets", name = "spark_test_blobs.v1")
    public static Dataset blobs(@Arg(value = "rows", defaultJson = "300") int rows) {
        Random r = new Random(11);
        return new Data(split(r, rows), split(r, Math.max(1, rows / 4)), Task.CLASSIFY, List.of("a", "b", "c"),
                "three blobs");
    }

    static Split split(Random r, int rows) {
        float[] x = new float[rows * 6];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(3);
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = (float) (r.nextGaussian() + (j % 3 == y[i] ? 2.0 : -0.5));
            }
        }
        return Split.classification(rows, 6, x, y);
    }
}
