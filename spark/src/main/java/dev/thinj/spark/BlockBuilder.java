package dev.thinj.spark;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.GrowingFloats;
import dev.thinj.train.data.Split;
import dev.thinj.train.data.Task;
import java.util.Arrays;
import org.apache.spark.sql.Row;

/**
 * Packs DataFrame rows, as {@link RowReader} reads them, into the flat arrays of a {@link Block} or a
 * {@link Split}, checking that every row has the first row's width.
 */
final class BlockBuilder {
    private final RowReader reader;
    private final GrowingFloats features = new GrowingFloats(1024);
    private final GrowingFloats targets = new GrowingFloats(64);
    private int[] labels = new int[64];
    private int width = -1;
    private int targetWidth = -1;
    private int count;

    /**
     * @param reader reads the rows
     * @param width the features per row every row must have, or -1 for the first row's
     */
    BlockBuilder(RowReader reader, int width) {
        this.reader = reader;
        this.width = width;
    }

    /**
     * @param row a row
     * @param index its number in the whole data, for errors
     */
    void add(Row row, long index) {
        float[] x = reader.features(row, index);
        if (width < 0) {
            width = x.length;
        }
        if (x.length != width) {
            throw new DataException(reader.source() + ": row " + index + " has " + x.length + " features in '"
                    + reader.features() + "', the rows before it " + width);
        }
        features.append(x, 0, x.length, reader.source());
        if (reader.task() == Task.CLASSIFY) {
            if (count == labels.length) {
                labels = Arrays.copyOf(labels, Math.max(64, count * 2));
            }
            labels[count] = reader.classIndex(row, index);
        } else {
            float[] t = reader.targets(row, index);
            if (targetWidth < 0) {
                targetWidth = t.length;
            }
            if (t.length != targetWidth || t.length == 0) {
                throw new DataException(reader.source() + ": row " + index + " has " + t.length + " targets in '"
                        + reader.label() + "', the rows before it " + targetWidth);
            }
            targets.append(t, 0, t.length, reader.source());
        }
        count++;
    }

    /** @return the rows so far, as a split */
    Split split() {
        int w = Math.max(width, 0);
        return reader.task() == Task.CLASSIFY
                ? Split.classification(count, w, features.toArray(), Arrays.copyOf(labels, count))
                : Split.regression(count, w, features.toArray(), targets.toArray(), Math.max(targetWidth, 1));
    }

    /**
     * @param firstRow the index of the first row in the whole data
     * @param targetWidthIfEmpty the targets per row when no row was added (regression)
     * @return the rows so far, as a block
     */
    Block block(long firstRow, int targetWidthIfEmpty) {
        int w = Math.max(width, 0);
        if (reader.task() == Task.CLASSIFY) {
            return new Block(firstRow, count, w, features.toArray(), Arrays.copyOf(labels, count), null, 0);
        }
        int t = count == 0 ? targetWidthIfEmpty : targetWidth;
        return new Block(firstRow, count, w, features.toArray(), null, targets.toArray(), t);
    }
}
