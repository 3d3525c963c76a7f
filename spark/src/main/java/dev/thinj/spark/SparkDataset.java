package dev.thinj.spark;

import dev.thinj.train.data.Dataset;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A dataset whose training split the executors read themselves ({@code spark_parquet.v1}): the
 * driver holds its first rows and its evaluation split, never the training data.
 */
public interface SparkDataset extends Dataset {
    /**
     * The training rows as partitions of the cluster, numbered from 0 across them.
     *
     * @param rdd one {@link Block} per partition, kept by the executors
     * @param rows the number of rows in all
     */
    record Blocks(JavaRDD<Block> rdd, long rows) {
    }

    /**
     * @param jsc the Spark context
     * @param partitions how many partitions to spread the rows over, or 0 for the data's own
     * @return the training rows, spread over the executors
     */
    Blocks blocks(JavaSparkContext jsc, int partitions);
}
