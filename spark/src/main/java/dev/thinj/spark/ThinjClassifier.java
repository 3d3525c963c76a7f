package dev.thinj.spark;

import dev.thinj.model.config.Config;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.ops.ThinjException;
import dev.thinj.train.TrainingPlan;
import dev.thinj.train.data.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@code Estimator} that trains the classifier a thinj config describes ({@code [model]},
 * {@code [optimizer]}, {@code [loss]}, {@code [training]}; no {@code [data]}: the DataFrame is the
 * data) with the data-parallel trainer of this module, on the DataFrame's own Spark session:
 *
 * <pre>{@code
 * Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
 *     new VectorAssembler().setInputCols(columns).setOutputCol("features"),
 *     new ThinjClassifier().setConfig(Files.readString(Path.of("mlp.cfg"))).setLabelCol("label")});
 * PipelineModel fitted = pipeline.fit(train);
 * fitted.transform(test).select("prediction", "probability");
 * }</pre>
 *
 * {@code fit} holds out {@code devFraction} of the rows (seeded by {@code [training] seed}) for the
 * dev scores, trains as {@code thinj train --spark} does (progress, checkpoints and metrics in
 * {@code outputDir}, else a temporary folder removed afterwards) and returns a
 * {@link ThinjClassificationModel} with the best epoch's parameters. Labels are class indices from 0.
 */
public final class ThinjClassifier extends Estimator<ThinjClassificationModel> {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> config;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final DoubleParam devFraction;
    private final Param<String> outputDir;

    /** An estimator with a random uid. */
    public ThinjClassifier() {
        this(Identifiable.randomUID("thinjClassifier"));
    }

    /** @param uid the estimator's uid */
    public ThinjClassifier(String uid) {
        this.uid = uid;
        config = new Param<>(this, "config", "the thinj config's text (model, optimizer, loss, training)");
        featuresCol = new Param<>(this, "featuresCol", "the features column: a Vector or an array of numbers");
        labelCol = new Param<>(this, "labelCol", "the label column: class indices from 0");
        predictionCol = new Param<>(this, "predictionCol", "the predicted class column");
        probabilityCol = new Param<>(this, "probabilityCol", "the class probabilities column");
        devFraction = new DoubleParam(this, "devFraction", "the share of rows held out for the dev scores");
        outputDir = new Param<>(this, "outputDir", "the folder of the run's files; empty for a temporary one");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(devFraction, 0.1);
        setDefault(outputDir, "");
    }

    /** @return the param: the thinj config's text. (Spark ML finds params by their public getters) */
    public Param<String> config() {
        return config;
    }

    /** @return the param: the features column: an ML {@code Vector} or an array of numbers. (Spark ML finds params by their public getters) */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** @return the param: the label column: class indices from 0. (Spark ML finds params by their public getters) */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** @return the param: the column {@code transform} adds: the predicted class index, as a double. (Spark ML finds params by their public getters) */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** @return the param: the column {@code transform} adds: the model's output row (class probabilities), as a {@code Vector}. (Spark ML finds params by their public getters) */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** @return the param: the share of the rows held out for the dev scores. (Spark ML finds params by their public getters) */
    public DoubleParam devFraction() {
        return devFraction;
    }

    /** @return the param: the folder for the run's files; empty for a temporary one. (Spark ML finds params by their public getters) */
    public Param<String> outputDir() {
        return outputDir;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** @param text the thinj config's text @return this */
    public ThinjClassifier setConfig(String text) {
        set(config, text);
        return this;
    }

    /** @param column the features column @return this */
    public ThinjClassifier setFeaturesCol(String column) {
        set(featuresCol, column);
        return this;
    }

    /** @param column the label column @return this */
    public ThinjClassifier setLabelCol(String column) {
        set(labelCol, column);
        return this;
    }

    /** @param column the prediction column @return this */
    public ThinjClassifier setPredictionCol(String column) {
        set(predictionCol, column);
        return this;
    }

    /** @param column the probability column @return this */
    public ThinjClassifier setProbabilityCol(String column) {
        set(probabilityCol, column);
        return this;
    }

    /** @param fraction the share of rows held out for the dev scores, in (0, 1) @return this */
    public ThinjClassifier setDevFraction(double fraction) {
        set(devFraction, fraction);
        return this;
    }

    /** @param folder the run's folder @return this */
    public ThinjClassifier setOutputDir(String folder) {
        set(outputDir, folder);
        return this;
    }

    @Override
    public ThinjClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        if (!isDefined(config)) {
            throw new ThinjException("ThinjClassifier: no config; set one with setConfig(text)");
        }
        double dev = ((Number) getOrDefault(devFraction)).doubleValue();
        if (!(dev > 0 && dev < 1)) {
            throw new ThinjException("ThinjClassifier: devFraction must be between 0 and 1, got " + dev);
        }
        String text = getOrDefault(config);
        Config cfg = Config.parse(text, "ThinjClassifier's config");
        long seed = TrainingPlan.seedOf(cfg);
        Dataset<Row> frame = dataset.toDF();
        Dataset<Row>[] parts = frame.randomSplit(new double[] {1 - dev, dev}, seed);
        RowReader reader = new RowReader("the DataFrame", getOrDefault(featuresCol), getOrDefault(labelCol),
                Task.CLASSIFY);
        FrameDataset data = new FrameDataset("a DataFrame of " + getOrDefault(featuresCol) + " and "
                + getOrDefault(labelCol), () -> parts[0], () -> parts[1], reader, null);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        DistributedSettings settings = DistributedSettings.of(cfg, jsc.master());
        boolean temporary = getOrDefault(outputDir).isEmpty();
        Path out;
        try {
            out = temporary ? Files.createTempDirectory("thinj-fit-") : Path.of(getOrDefault(outputDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the run", e);
        }
        try (OpsScope ops = Ops.use(WorkerBackend.open("auto"))) {
            TrainingPlan plan = TrainingPlan.resolve(cfg, seed, data);
            SparkTraining.train(plan, out, List.of(), false, jsc, settings, "auto");
            Path best = out.resolve("model-best.bin");
            byte[] params = Files.exists(best) ? Files.readAllBytes(best) : ModelFile.toBytes(plan.model());
            ThinjClassificationModel model = new ThinjClassificationModel(uid, text, seed, params,
                    data.classes());
            copyValues(model, extractParamMap());
            return model.setParent(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trained model in " + out, e);
        } finally {
            if (temporary) {
                deleteTree(out);
            }
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        new RowReader("the DataFrame", getOrDefault(featuresCol), getOrDefault(labelCol), Task.CLASSIFY).check(schema);
        return ThinjClassificationModel.outputSchema(schema, getOrDefault(predictionCol), getOrDefault(probabilityCol));
    }

    @Override
    public ThinjClassifier copy(ParamMap extra) {
        return (ThinjClassifier) defaultCopy(extra);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary folder left behind is untidy, not wrong.
        }
    }
}
