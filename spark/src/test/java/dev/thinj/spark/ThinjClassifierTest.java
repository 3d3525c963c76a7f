package dev.thinj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The Spark ML Estimator: fit in a Pipeline, then distributed inference with prediction and probability columns. */
class ThinjClassifierTest {
    private static final String[] COLUMNS = {"a", "b", "c", "d", "e", "f"};

    /** @return a split as a frame of six double columns and a double label, as Spark ML users have them */
    static Dataset<Row> frame(Split split) {
        StructType schema = new StructType();
        for (String c : COLUMNS) {
            schema = schema.add(c, DataTypes.DoubleType);
        }
        schema = schema.add("label", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < split.count(); i++) {
            Object[] v = new Object[COLUMNS.length + 1];
            for (int k = 0; k < COLUMNS.length; k++) {
                v[k] = (double) split.features()[i * split.width() + k];
            }
            v[COLUMNS.length] = (double) split.labels()[i];
            rows.add(RowFactory.create(v));
        }
        return SparkTests.session().createDataFrame(rows, schema).repartition(3);
    }

    private static String config() {
        return SparkTests.config("").replace("""
                [data]
                @datasets = "spark_test_blobs.v1"
                rows = 300
                """, "").replace("n_epoch = 2", "n_epoch = 3");
    }

    @Test
    void fitsInAPipelineAndPredictsEveryRow() {
        Random r = new Random(21);
        Dataset<Row> train = frame(SparkTestData.split(r, 400));
        Dataset<Row> test = frame(SparkTestData.split(r, 120));
        ThinjClassifier classifier = new ThinjClassifier().setConfig(config()).setDevFraction(0.2);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(COLUMNS).setOutputCol("features"), classifier});
        SparkTests.jsc();  // the shared session is the one fit and transform run on
        PipelineModel fitted = pipeline.fit(train);
        ThinjClassificationModel model = (ThinjClassificationModel) fitted.stages()[1];
        assertThat(model.numClasses()).isEqualTo(3);
        Dataset<Row> predicted = fitted.transform(test);
        assertThat(predicted.columns()).contains("a", "label", "features", "prediction", "probability");
        List<Row> rows = predicted.select("label", "prediction", "probability").collectAsList();
        assertThat(rows).hasSize(120);
        int right = 0;
        for (Row row : rows) {
            Vector p = (Vector) row.get(2);
            assertThat(p.size()).isEqualTo(3);
            assertThat(p.apply(0) + p.apply(1) + p.apply(2)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(row.getDouble(1)).isEqualTo((double) p.argmax());
            right += row.getDouble(0) == row.getDouble(1) ? 1 : 0;
        }
        assertThat(right / 120.0).as("test accuracy").isGreaterThan(0.9);
    }

    @Test
    void badColumnsAreNamedBeforeAnyTraining() {
        Dataset<Row> train = frame(SparkTestData.split(new Random(1), 50));
        assertThatThrownBy(() -> new ThinjClassifier().setConfig(config()).setFeaturesCol("a").fit(train))
                .isInstanceOf(DataException.class).hasMessageContaining("the features column 'a' is double");
        Dataset<Row> assembled = new VectorAssembler().setInputCols(COLUMNS).setOutputCol("features").transform(train);
        assertThatThrownBy(() -> new ThinjClassifier().setConfig(config()).setLabelCol("nope")
                .transformSchema(assembled.schema())).isInstanceOf(DataException.class)
                .hasMessageContaining("no column 'nope'");
        assertThatThrownBy(() -> new ThinjClassifier().fit(assembled)).hasMessageContaining("no config");
    }
}
