package dev.thinj.spark;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.Split;
import dev.thinj.train.data.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * Training data in a Spark DataFrame (a Parquet directory, a Spark ML user's frame): the executors
 * read the training rows into their partitions, numbered from 0 across them; the driver reads only the
 * first rows (the model's widths), the evaluation frame (the dev scores) and, for classification
 * without a given class count, the largest label (one aggregation).
 */
final class FrameDataset implements SparkDataset {
    private final String name;
    private final Supplier<Dataset<Row>> train;
    private final Supplier<Dataset<Row>> test;
    private final RowReader reader;
    private final Integer classes;
    private Split testSplit;
    private List<String> classNames;

    /**
     * @param name what the data is, for the log and errors
     * @param train reads the training frame (called on the driver when training starts)
     * @param test reads the evaluation frame, collected to the driver
     * @param reader reads the columns
     * @param classes the number of classes, or null to count them from the labels (classification)
     */
    FrameDataset(String name, Supplier<Dataset<Row>> train, Supplier<Dataset<Row>> test, RowReader reader,
            Integer classes) {
        this.name = name;
        this.train = train;
        this.test = test;
        this.reader = reader;
        this.classes = classes;
    }

    private Dataset<Row> columns(Dataset<Row> frame, String what) {
        reader.check(frame.schema());
        return frame.select(reader.features(), reader.label());
    }

    @Override
    public Split train() {
        throw new DataException(name + ": the training rows are read by the Spark executors, never by one machine;"
                + " train with --spark");
    }

    @Override
    public Split trainHead(int rows) {
        return collect(columns(train.get(), "train").limit(rows).collectAsList(), -1);
    }

    @Override
    public synchronized Split test() {
        if (testSplit == null) {
            testSplit = collect(columns(test.get(), "test").collectAsList(), -1);
            if (testSplit.count() == 0) {
                throw new DataException(name + ": the evaluation data has no rows");
            }
        }
        return testSplit;
    }

    private Split collect(List<Row> rows, int width) {
        BlockBuilder b = new BlockBuilder(reader, width);
        for (int i = 0; i < rows.size(); i++) {
            b.add(rows.get(i), i);
        }
        return b.split();
    }

    @Override
    public Task task() {
        return reader.task();
    }

    @Override
    public synchronized List<String> classNames() {
        if (reader.task() == Task.REGRESS) {
            return List.of();
        }
        if (classNames == null) {
            int n;
            if (classes != null) {
                n = classes;
            } else {
                Row max = columns(train.get(), "train").agg(functions.max(reader.label())).first();
                if (max.isNullAt(0)) {
                    throw new DataException(name + ": the training data has no rows");
                }
                n = 1 + (int) Math.min(Integer.MAX_VALUE - 1, Math.max(0, ((Number) max.get(0)).longValue()));
            }
            classNames = IntStream.range(0, n).mapToObj(String::valueOf).toList();
        }
        return classNames;
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public Blocks blocks(JavaSparkContext jsc, int partitions) {
        Dataset<Row> frame = columns(train.get(), "train");
        if (partitions > 0) {
            frame = frame.repartition(partitions);
        }
        Split head = trainHead(1);
        if (head.count() == 0) {
            throw new DataException(name + ": the training data has no rows");
        }
        int width = head.width();
        int targetWidth = head.targetWidth();
        RowReader r = reader;
        int classCount = reader.task() == Task.CLASSIFY ? classes() : 0;
        JavaRDD<Block> rdd = frame.javaRDD().zipWithIndex().mapPartitions(
                (Iterator<Tuple2<Row, Long>> rows) -> {
                    BlockBuilder b = new BlockBuilder(r, width);
                    long first = -1;
                    while (rows.hasNext()) {
                        Tuple2<Row, Long> t = rows.next();
                        first = first < 0 ? t._2() : first;
                        b.add(t._1(), t._2());
                    }
                    Block block = b.block(Math.max(first, 0), targetWidth);
                    if (block.labels() != null) {
                        for (int i = 0; i < block.count(); i++) {
                            if (block.labels()[i] >= classCount) {
                                throw new DataException(r.source() + ": row " + (block.firstRow() + i) + " has class "
                                        + block.labels()[i] + " but there are " + classCount + " classes");
                            }
                        }
                    }
                    List<Block> one = new ArrayList<>(1);
                    one.add(block);
                    return one.iterator();
                });
        JavaRDD<Block> kept = SparkSteps.keep(rdd);
        long rows = kept.map(b -> (long) b.count()).reduce(Long::sum);
        return new Blocks(kept, rows);
    }
}
