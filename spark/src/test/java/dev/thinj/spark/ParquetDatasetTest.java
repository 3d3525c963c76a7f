package dev.thinj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark_parquet.v1}: Parquet the executors read themselves; the driver never holds the training rows. */
class ParquetDatasetTest {
    @TempDir
    Path dir;

    /** Writes a split as Parquet in three files: features as array<float> or an ML Vector, label as int. */
    static void write(Split split, Path path, boolean vectors) {
        SparkSession spark = SparkTests.session();
        StructType schema = new StructType()
                .add("x", vectors ? new VectorUDT() : DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("y", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < split.count(); i++) {
            float[] x = java.util.Arrays.copyOfRange(split.features(), i * split.width(), (i + 1) * split.width());
            Object features;
            if (vectors) {
                double[] d = new double[x.length];
                for (int k = 0; k < d.length; k++) {
                    d[k] = x[k];
                }
                features = Vectors.dense(d);
            } else {
                Float[] boxed = new Float[x.length];
                for (int k = 0; k < x.length; k++) {
                    boxed[k] = x[k];
                }
                features = boxed;
            }
            rows.add(RowFactory.create(features, split.labels()[i]));
        }
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(path.toString());
    }

    private String config(boolean vectors) {
        Random r = new Random(5);
        write(SparkTestData.split(r, 300), dir.resolve("train.parquet"), vectors);
        write(SparkTestData.split(r, 75), dir.resolve("test.parquet"), vectors);
        return SparkTests.config("").replace("""
                @datasets = "spark_test_blobs.v1"
                rows = 300""", """
                @datasets = "spark_parquet.v1"
                train = "%s"
                test = "%s"
                features = "x"
                label = "y"
                """.formatted(dir.resolve("train.parquet"), dir.resolve("test.parquet")));
    }

    @Test
    void trainsFromArraysOfFloatsReadByTheExecutors() {
        var plan = SparkTests.plan(config(false), Map.of());
        assertThatThrownBy(() -> plan.data().train()).isInstanceOf(DataException.class)
                .hasMessageContaining("read by the Spark executors");
        assertThat(plan.data().classNames()).containsExactly("0", "1", "2");
        SparkTests.Run run = SparkTests.trainOnSpark(plan, dir.resolve("run"), SparkTests.gradients(2), false,
                List.of());
        assertThat(run.last().score()).as("dev accuracy").isGreaterThan(0.9);
        assertThat(dir.resolve("run/dataset.json")).content().containsPattern("\"width\"\\s*:\\s*6");
    }

    @Test
    void trainsFromMlVectors() {
        var plan = SparkTests.plan(config(true), Map.of());
        assertThat(plan.data().test().count()).isEqualTo(75);
        SparkTests.Run run = SparkTests.trainOnSpark(plan, dir.resolve("run"), SparkTests.gradients(0), false,
                List.of());
        assertThat(run.last().score()).as("dev accuracy").isGreaterThan(0.9);
    }

    @Test
    void aMissingOrMistypedColumnIsNamed() {
        var plan = SparkTests.plan(config(false).replace("label = \"y\"", "label = \"nope\""), Map.of());
        assertThatThrownBy(() -> plan.data().test()).isInstanceOf(DataException.class)
                .hasMessageContaining("has no column 'nope'").hasMessageContaining("x, y");
        var swapped = SparkTests.plan(plan.config().toString().replace("label = \"nope\"", "label = \"y\"")
                .replace("features = \"x\"", "features = \"y\""), Map.of());
        assertThatThrownBy(() -> swapped.data().test()).isInstanceOf(DataException.class)
                .hasMessageContaining("the features column 'y' is int");
    }
}
