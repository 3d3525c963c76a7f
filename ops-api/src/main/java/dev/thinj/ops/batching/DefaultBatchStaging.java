package dev.thinj.ops.batching;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ShapeException;
import dev.thinj.ops.Shapes;
import java.util.ArrayList;
import java.util.List;

/**
 * Staging through the public kernels only, so it works for every backend: host rows are gathered into
 * a host buffer and copied in with {@code copyFromHost} (a contiguous range is copied straight from
 * the source); backend rows with {@code sliceRows} or {@code gatherRows}, on the source's own backend,
 * then copied across with {@code asArray} if that is another backend. Every batch gets fresh arrays
 * that belong to the consumer; nothing is recycled, so {@link BatchSlot#retire()} has nothing to do.
 *
 * <p>Backends extend {@link Slot} to replace the gathers they can do better.
 */
public class DefaultBatchStaging implements BatchStaging {
    private final Ops ops;

    /** @param ops the backend the batches are made for */
    public DefaultBatchStaging(Ops ops) {
        this.ops = ops;
    }

    @Override
    public BatchSlot open() {
        return new Slot(ops);
    }

    @Override
    public void close() {
        // Nothing pooled.
    }

    /**
     * The default slot: remembers the arrays it created so that {@link #discard()} can close them.
     */
    public static class Slot implements BatchSlot {
        private final Ops ops;
        private final List<NdArray> created = new ArrayList<>(2);

        /** @param ops the backend the batch is made for */
        public Slot(Ops ops) {
            this.ops = ops;
        }

        @Override
        public final Ops ops() {
            return ops;
        }

        /**
         * Records an array of this batch, to be closed if the batch is discarded.
         *
         * @param array a new array of this batch
         * @param <A> its type
         * @return the same array
         */
        protected final <A extends NdArray> A own(A array) {
            created.add(array);
            return array;
        }

        @Override
        public FloatArray gather(float[] data, int[] shape, Rows rows) {
            int width = rowWidth("host float array", data.length, shape);
            int[] out = batchShape(shape, rows);
            FloatArray dst = own(ops.alloc(out));
            if (rows.isContiguous()) {
                ops.copyFromHost(dst, data, rows.first() * width);
            } else {
                float[] buf = new float[rows.count() * width];
                for (int i = 0; i < rows.count(); i++) {
                    System.arraycopy(data, checkRow(rows.row(i), shape) * width, buf, i * width, width);
                }
                ops.copyFromHost(dst, buf, 0);
            }
            return dst;
        }

        @Override
        public IntArray gather(int[] data, int[] shape, Rows rows) {
            int width = rowWidth("host int array", data.length, shape);
            int[] out = batchShape(shape, rows);
            IntArray dst = own(ops.allocInts(out));
            if (rows.isContiguous()) {
                ops.copyFromHost(dst, data, rows.first() * width);
            } else {
                int[] buf = new int[rows.count() * width];
                for (int i = 0; i < rows.count(); i++) {
                    System.arraycopy(data, checkRow(rows.row(i), shape) * width, buf, i * width, width);
                }
                ops.copyFromHost(dst, buf, 0);
            }
            return dst;
        }

        @Override
        public FloatArray gather(FloatArray data, Rows rows) {
            Ops home = data.ops();
            FloatArray batch;
            if (rows.isContiguous()) {
                batch = home.sliceRows(data, rows.first(), rows.first() + rows.count());
            } else {
                try (IntArray idx = home.asInts(rows.toArray())) {
                    batch = home.gatherRows(data, idx);
                }
            }
            if (home != ops) {
                try (FloatArray there = batch) {
                    batch = ops.asArray(there);
                }
            }
            return own(batch);
        }

        @Override
        public IntArray gather(IntArray data, Rows rows) {
            Ops home = data.ops();
            IntArray batch;
            if (rows.isContiguous()) {
                batch = home.sliceRows(data, rows.first(), rows.first() + rows.count());
            } else {
                try (IntArray idx = home.asInts(rows.toArray())) {
                    batch = home.gatherRows(data, idx);
                }
            }
            if (home != ops) {
                try (IntArray there = batch) {
                    batch = ops.asInts(there);
                }
            }
            return own(batch);
        }

        @Override
        public void ready() {
            // Copies are synchronous from the producer's point of view: nothing to record.
        }

        @Override
        public void acquire() {
            // The arrays are complete and the consumer's from now on.
        }

        @Override
        public void retire() {
            // Fresh arrays per batch: the consumer owns them, nothing to recycle.
            created.clear();
        }

        @Override
        public void discard() {
            for (NdArray a : created) {
                a.close();
            }
            created.clear();
        }
    }

    /**
     * @param what the source, for messages
     * @param length the host array's length
     * @param shape its shape, rows first
     * @return elements per row
     */
    public static int rowWidth(String what, int length, int[] shape) {
        int size = Shapes.checkedSize("minibatch", shape);
        if (size != length) {
            throw new ShapeException("minibatch: " + what + " of " + length + " values does not fill shape "
                    + Shapes.format(shape));
        }
        int width = 1;
        for (int d = 1; d < shape.length; d++) {
            width *= shape[d];
        }
        return width;
    }

    /**
     * @param shape the source's shape, rows first
     * @param rows the batch's rows
     * @return the batch's shape
     */
    public static int[] batchShape(int[] shape, Rows rows) {
        int[] out = shape.clone();
        out[0] = rows.count();
        return out;
    }

    /**
     * @param row a source row
     * @param shape the source's shape
     * @return the row, checked to be within the source
     */
    public static int checkRow(int row, int[] shape) {
        if (row < 0 || row >= shape[0]) {
            throw new IndexOutOfBoundsException("minibatch: row " + row + " outside a source of " + shape[0] + " rows");
        }
        return row;
    }

    /**
     * Copies the given rows of a row-major host array into a new array, bounds-checked.
     *
     * @param src the source values
     * @param shape the source's shape, rows first
     * @param width values per row
     * @param rows the rows to take
     * @return the rows in batch order
     */
    public static float[] gatherRows(float[] src, int[] shape, int width, Rows rows) {
        int n = rows.count();
        float[] out = new float[Math.multiplyExact(n, width)];
        if (rows.isContiguous()) {
            checkRange(rows, shape);
            System.arraycopy(src, rows.first() * width, out, 0, n * width);
        } else {
            for (int i = 0; i < n; i++) {
                System.arraycopy(src, checkRow(rows.row(i), shape) * width, out, i * width, width);
            }
        }
        return out;
    }

    /** Int variant of {@link #gatherRows(float[], int[], int, Rows)}. */
    public static int[] gatherRows(int[] src, int[] shape, int width, Rows rows) {
        int n = rows.count();
        int[] out = new int[Math.multiplyExact(n, width)];
        if (rows.isContiguous()) {
            checkRange(rows, shape);
            System.arraycopy(src, rows.first() * width, out, 0, n * width);
        } else {
            for (int i = 0; i < n; i++) {
                System.arraycopy(src, checkRow(rows.row(i), shape) * width, out, i * width, width);
            }
        }
        return out;
    }

    /**
     * @param rows a contiguous run of rows
     * @param shape the source's shape
     * @throws IndexOutOfBoundsException if the run leaves the source
     */
    public static void checkRange(Rows rows, int[] shape) {
        if (rows.count() > 0) {
            checkRow(rows.first(), shape);
            checkRow(rows.first() + rows.count() - 1, shape);
        }
    }
}
