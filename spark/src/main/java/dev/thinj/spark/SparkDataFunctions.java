package dev.thinj.spark;

import dev.thinj.model.registry.Arg;
import dev.thinj.model.registry.FunctionLibrary;
import dev.thinj.model.registry.Registered;
import dev.thinj.train.data.DataException;
import dev.thinj.train.data.Dataset;
import dev.thinj.train.data.Task;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code datasets} function this module adds, found through
 * {@code META-INF/services/dev.thinj.model.registry.FunctionLibrary}:
 *
 * <pre>{@code
 * [data]
 * @datasets = "spark_parquet.v1"
 * train = "hdfs:///data/train.parquet"   # a Parquet directory (or file); any path Spark reads
 * test = "hdfs:///data/test.parquet"     # the evaluation rows, read on the driver
 * features = "features"                  # array<float>, array<double> or an ML Vector
 * label = "label"                        # a class index (classify), or a number / array (regress)
 * task = "classify"                      # or "regress"
 * classes = null                         # null: the largest label + 1
 * }</pre>
 *
 * Resolving it reads nothing: the files are opened when training on Spark starts, the training rows
 * by the executors that hold them.
 */
public final class SparkDataFunctions implements FunctionLibrary {
    /** Public for {@link java.util.ServiceLoader}. */
    public SparkDataFunctions() {
    }

    /**
     * @param train the training Parquet path
     * @param test the evaluation Parquet path
     * @param features the features column
     * @param label the label column
     * @param task {@code "classify"} or {@code "regress"}
     * @param classes the number of classes, or null to count them
     * @return the dataset, read when training starts
     */
    @Registered(registry = "datasets", name = "spark_parquet.v1")
    public static Dataset parquet(@Arg("train") String train, @Arg("test") String test,
            @Arg(value = "features", defaultJson = "\"features\"") String features,
            @Arg(value = "label", defaultJson = "\"label\"") String label,
            @Arg(value = "task", defaultJson = "\"classify\"") String task,
            @Arg(value = "classes", defaultJson = "null") Integer classes) {
        Task t = switch (task.toLowerCase(Locale.ROOT)) {
            case "classify" -> Task.CLASSIFY;
            case "regress" -> Task.REGRESS;
            default -> throw new IllegalArgumentException("task must be \"classify\" or \"regress\", got \"" + task + "\"");
        };
        if (classes != null && classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        return new FrameDataset("spark_parquet.v1 " + train, () -> session().read().parquet(train),
                () -> session().read().parquet(test), new RowReader("Parquet " + train, features, label, t), classes);
    }

    private static SparkSession session() {
        return SparkSession.getActiveSession().getOrElse(() -> SparkSession.getDefaultSession().getOrElse(() -> {
            throw new DataException("spark_parquet.v1 is read by Spark: train with --spark (no Spark session runs here)");
        }));
    }
}
