package dev.thinj.spark;

import dev.thinj.model.Model;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.config.Config;
import dev.thinj.model.registry.Registry;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import dev.thinj.ops.ThinjException;
import dev.thinj.train.data.DataException;
import dev.thinj.train.data.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What {@link ThinjClassifier} fits: the config and the trained parameters. {@code transform} adds the
 * predicted class ({@code prediction}, a double) and the model's output row ({@code probability}, a
 * {@code Vector}) with distributed inference: each partition rebuilds the model once from the config
 * and the broadcast parameters and predicts its rows in batches.
 */
public final class ThinjClassificationModel extends org.apache.spark.ml.Model<ThinjClassificationModel> {
    private static final long serialVersionUID = 1L;
    /** Rows predicted at once. */
    static final int BATCH = 1024;

    private final String uid;
    private final String configText;
    private final long seed;
    private final byte[] params;
    private final int classes;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;

    /**
     * @param uid the estimator's uid
     * @param configText the config the model was built from
     * @param seed the seed fixed before building it
     * @param params its trained state ({@code ModelFile} bytes)
     * @param classes the number of classes
     */
    public ThinjClassificationModel(String uid, String configText, long seed, byte[] params, int classes) {
        this.uid = uid;
        this.configText = configText;
        this.seed = seed;
        this.params = params;
        this.classes = classes;
        featuresCol = new Param<>(this, "featuresCol", "the features column: a Vector or an array of numbers");
        predictionCol = new Param<>(this, "predictionCol", "the predicted class column");
        probabilityCol = new Param<>(this, "probabilityCol", "the class probabilities column");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    /** @return the param: the features column. (Spark ML finds params by their public getters) */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** @return the param: the predicted class column. (Spark ML finds params by their public getters) */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** @return the param: the class probabilities column. (Spark ML finds params by their public getters) */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** @return the number of classes */
    public int numClasses() {
        return classes;
    }

    /** @return the trained model's state, as a thinj model file's bytes */
    public byte[] modelBytes() {
        return params.clone();
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> frame = dataset.toDF();
        Broadcast<byte[]> state = org.apache.spark.api.java.JavaSparkContext
                .fromSparkContext(frame.sparkSession().sparkContext()).broadcast(params);
        Predictor predictor = new Predictor(configText, seed, state, getOrDefault(featuresCol));
        return frame.mapPartitions(predictor, Encoders.row(out));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        new RowReader("the DataFrame", getOrDefault(featuresCol), getOrDefault(featuresCol), Task.REGRESS).check(schema);
        return outputSchema(schema, getOrDefault(predictionCol), getOrDefault(probabilityCol));
    }

    /** @return the schema with the prediction and probability columns added */
    static StructType outputSchema(StructType schema, String prediction, String probability) {
        for (String c : List.of(prediction, probability)) {
            if (List.of(schema.fieldNames()).contains(c)) {
                throw new DataException("the DataFrame already has a column '" + c + "'; set another output column");
            }
        }
        return schema.add(prediction, DataTypes.DoubleType, false).add(probability, new VectorUDT(), false);
    }

    @Override
    public ThinjClassificationModel copy(ParamMap extra) {
        ThinjClassificationModel copy = new ThinjClassificationModel(uid, configText, seed, params, classes);
        return copyValues(copy, extra).setParent(parent());
    }

    /** One partition's predictions: the model built once, its rows predicted {@link #BATCH} at a time. */
    private record Predictor(String configText, long seed, Broadcast<byte[]> state, String features)
            implements MapPartitionsFunction<Row, Row> {
        @Override
        @SuppressWarnings("unchecked")
        public Iterator<Row> call(Iterator<Row> rows) {
            Ops ops = WorkerBackend.open("auto");
            Model<FloatArray, FloatArray> model;
            try (OpsScope scope = Ops.use(ops)) {
                RandomSeeds.fix(seed);
                Config cfg = Config.parse(configText, "the classifier's config");
                model = Registry.global().resolve(cfg.withValues(ConfigSections.onlyFunctionsOf(cfg, Set.of("model"))))
                        .get("model", Model.class);
                ModelFile.fromBytes(model, state.value(), "the fitted classifier");
            }
            RowReader reader = new RowReader("the DataFrame", features, features, Task.REGRESS);
            Model<FloatArray, FloatArray> m = model;
            return new Iterator<>() {
                private final List<Row> ready = new ArrayList<>();
                private int next;
                private long index;

                @Override
                public boolean hasNext() {
                    if (next < ready.size()) {
                        return true;
                    }
                    ready.clear();
                    next = 0;
                    List<Row> batch = new ArrayList<>(BATCH);
                    while (batch.size() < BATCH && rows.hasNext()) {
                        batch.add(rows.next());
                    }
                    if (!batch.isEmpty()) {
                        predict(batch);
                    }
                    return !ready.isEmpty();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    return ready.get(next++);
                }

                private void predict(List<Row> batch) {
                    int width = -1;
                    float[][] x = new float[batch.size()][];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = reader.features(batch.get(i), index + i);
                        if (width >= 0 && x[i].length != width) {
                            throw new DataException("the DataFrame: row " + (index + i) + " of the partition has "
                                    + x[i].length + " features, the rows before it " + width);
                        }
                        width = x[i].length;
                    }
                    float[] out;
                    int outputs;
                    try (OpsScope scope = Ops.use(ops); ArrayScope temporaries = ops.scope()) {
                        FloatArray y = m.predict(ops.asArray(x));
                        outputs = y.dim(1);
                        out = y.toFloatArray();
                    } catch (ThinjException e) {
                        throw new DataException("the DataFrame's features do not fit the model: " + e.getMessage(), e);
                    }
                    for (int i = 0; i < x.length; i++) {
                        double[] p = new double[outputs];
                        int best = 0;
                        for (int k = 0; k < outputs; k++) {
                            p[k] = out[i * outputs + k];
                            best = p[k] > p[best] ? k : best;
                        }
                        Row row = batch.get(i);
                        Object[] values = new Object[row.size() + 2];
                        for (int c = 0; c < row.size(); c++) {
                            values[c] = row.get(c);
                        }
                        values[row.size()] = (double) best;
                        values[row.size() + 1] = Vectors.dense(p);
                        ready.add(RowFactory.create(values));
                    }
                    index += x.length;
                }
            };
        }
    }
}
