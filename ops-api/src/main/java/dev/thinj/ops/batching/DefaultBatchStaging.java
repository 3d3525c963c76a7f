package dev.thinj.ops.batching;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
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
            int width = Rows.rowWidth("host float array", data.length, shape);
            int[] out = Rows.batchShape(shape, rows);
            FloatArray dst = own(ops.alloc(out));
            if (rows.isContiguous()) {
                ops.copyFromHost(dst, data, rows.first() * width);
            } else {
                float[] buf = new float[rows.count() * width];
                for (int i = 0; i < rows.count(); i++) {
                    System.arraycopy(data, Rows.checkRow(rows.row(i), shape) * width, buf, i * width, width);
                }
                ops.copyFromHost(dst, buf, 0);
            }
            return dst;
        }

        @Override
        public IntArray gather(int[] data, int[] shape, Rows rows) {
            int width = Rows.rowWidth("host int array", data.length, shape);
            int[] out = Rows.batchShape(shape, rows);
            IntArray dst = own(ops.allocInts(out));
            if (rows.isContiguous()) {
                ops.copyFromHost(dst, data, rows.first() * width);
            } else {
                int[] buf = new int[rows.count() * width];
                for (int i = 0; i < rows.count(); i++) {
                    System.arraycopy(data, Rows.checkRow(rows.row(i), shape) * width, buf, i * width, width);
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
}
