/**
 * Data-parallel training on Apache Spark: {@link dev.thinj.spark.SparkTraining} (found by the command
 * line through {@code ServiceLoader} as the {@code "spark"} {@link dev.thinj.train.DistributedTraining})
 * runs the single-process {@code Trainer} loop with its steps spread over a Spark master's executors
 * ({@code sync = "gradients"}: exact synchronous data parallelism; {@code "averaging"}: local SGD);
 * {@code spark_parquet.v1} reads training data that never passes through the driver; and
 * {@link dev.thinj.spark.ThinjClassifier} is a Spark ML {@code Estimator} built from a config.
 */
package dev.thinj.spark;
