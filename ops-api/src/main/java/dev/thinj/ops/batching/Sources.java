package dev.thinj.ops.batching;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import java.util.ArrayList;
import java.util.List;

/** The built-in {@link BatchSource}s: each hands its rows to the slot, or copies list items. */
final class Sources {
    private Sources() {
    }

    /** Rows of a backend float array. */
    record FloatArrays(FloatArray data) implements BatchSource<FloatArray> {
        @Override
        public int length() {
            return data.dim(0);
        }

        @Override
        public FloatArray batch(BatchSlot slot, Rows rows) {
            return slot.gather(data, rows);
        }
    }

    /** Rows of a backend int array. */
    record IntArrays(IntArray data) implements BatchSource<IntArray> {
        @Override
        public int length() {
            return data.dim(0);
        }

        @Override
        public IntArray batch(BatchSlot slot, Rows rows) {
            return slot.gather(data, rows);
        }
    }

    /** Rows of a row-major host float array. */
    record HostFloats(float[] data, int[] shape) implements BatchSource<FloatArray> {
        @Override
        public int length() {
            return shape[0];
        }

        @Override
        public FloatArray batch(BatchSlot slot, Rows rows) {
            return slot.gather(data, shape, rows);
        }
    }

    /** Rows of a row-major host int array. */
    record HostInts(int[] data, int[] shape) implements BatchSource<IntArray> {
        @Override
        public int length() {
            return shape[0];
        }

        @Override
        public IntArray batch(BatchSlot slot, Rows rows) {
            return slot.gather(data, shape, rows);
        }
    }

    /** Items of a list; a batch is a new list, as Thinc's {@code [sequence[i] for i in indices]}. */
    record Items<E>(List<E> data) implements BatchSource<List<E>> {
        @Override
        public int length() {
            return data.size();
        }

        @Override
        public List<E> batch(BatchSlot slot, Rows rows) {
            List<E> out = new ArrayList<>(rows.count());
            for (int i = 0; i < rows.count(); i++) {
                out.add(data.get(rows.row(i)));
            }
            return out;
        }
    }

    /** Several sources cut by the same rows: {@code multibatch}. */
    record Together(List<BatchSource<?>> parts) implements BatchSource<Batch> {
        @Override
        public int length() {
            return parts.get(0).length();
        }

        @Override
        public Batch batch(BatchSlot slot, Rows rows) {
            Object[] out = new Object[parts.size()];
            for (int p = 0; p < out.length; p++) {
                out[p] = parts.get(p).batch(slot, rows);
            }
            return new Batch(out, rows.count());
        }
    }
}
