package dev.thinj.spark;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.Task;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads training rows from a DataFrame's features column (an array of numbers or an ML {@code Vector})
 * and label column (a class index for classification; a number or an array of numbers for
 * regression), checked against the schema once and against each row's width as it is read, with
 * errors that name the data, the column and the row.
 *
 * @param source what the rows come from, for errors (a Parquet path, "the DataFrame")
 * @param features the features column
 * @param label the label column
 * @param task classification or regression
 */
record RowReader(String source, String features, String label, Task task) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * @param schema a frame's schema
     * @throws DataException naming a missing column or one of a type that cannot be read
     */
    void check(StructType schema) {
        StructField f = field(schema, features);
        DataType ft = f.dataType();
        if (!(ft instanceof VectorUDT) && !(ft instanceof ArrayType a && a.elementType() instanceof NumericType)) {
            throw new DataException(source + ": the features column '" + features + "' is " + ft.simpleString()
                    + "; expected an array of numbers or an ML Vector");
        }
        DataType lt = field(schema, label).dataType();
        boolean ok = lt instanceof NumericType
                || task == Task.REGRESS && (lt instanceof VectorUDT || lt instanceof ArrayType a && a.elementType() instanceof NumericType);
        if (!ok) {
            throw new DataException(source + ": the label column '" + label + "' is " + lt.simpleString() + "; expected "
                    + (task == Task.CLASSIFY ? "a class index (a whole number from 0)" : "a number or an array of numbers"));
        }
    }

    private StructField field(StructType schema, String name) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new DataException(source + " has no column '" + name + "'; its columns: "
                + String.join(", ", schema.fieldNames()));
    }

    /**
     * @param row a row with the two columns
     * @param index the row's number, for errors
     * @return its features
     */
    float[] features(Row row, long index) {
        return numbers(row, row.fieldIndex(features), "features", index);
    }

    /**
     * @param row a row with the two columns
     * @param index the row's number, for errors
     * @return its class index
     */
    int classIndex(Row row, long index) {
        Object v = row.get(row.fieldIndex(label));
        if (!(v instanceof Number n)) {
            throw new DataException(source + ": row " + index + " has no label ('" + label + "' is " + v + ")");
        }
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
            throw new DataException(source + ": row " + index + " has label " + v + " in '" + label + "'; a class is a"
                    + " whole number from 0");
        }
        return (int) d;
    }

    /**
     * @param row a row with the two columns
     * @param index the row's number, for errors
     * @return its regression targets
     */
    float[] targets(Row row, long index) {
        int i = row.fieldIndex(label);
        Object v = row.get(i);
        if (v instanceof Number n) {
            return new float[] {n.floatValue()};
        }
        return numbers(row, i, "label", index);
    }

    private float[] numbers(Row row, int column, String what, long index) {
        Object v = row.get(column);
        if (v == null) {
            throw new DataException(source + ": row " + index + " has no " + what + " (null in '" + row.schema()
                    .fieldNames()[column] + "')");
        }
        if (v instanceof Vector vec) {
            double[] d = vec.toArray();
            float[] out = new float[d.length];
            for (int k = 0; k < d.length; k++) {
                out[k] = (float) d[k];
            }
            return out;
        }
        List<Object> list = row.getList(column);
        float[] out = new float[list.size()];
        for (int k = 0; k < out.length; k++) {
            Object e = list.get(k);
            if (!(e instanceof Number n)) {
                throw new DataException(source + ": row " + index + " has a null at position " + k + " of its " + what);
            }
            out[k] = n.floatValue();
        }
        return out;
    }
}
