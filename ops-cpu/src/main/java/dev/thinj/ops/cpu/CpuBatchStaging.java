package dev.thinj.ops.cpu;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Shapes;
import dev.thinj.ops.batching.BatchSlot;
import dev.thinj.ops.batching.DefaultBatchStaging;
import dev.thinj.ops.batching.Rows;

/**
 * The CPU backend's batch staging: rows are copied straight from the source (a host array or a CPU
 * array) into the new array the kernels will read, one {@code arraycopy} per row (one for a
 * contiguous batch), without the host buffer, index array or second copy of the default staging.
 * Sources of another backend go through the default path. Batches are arrays owned by the consumer:
 * nothing is recycled behind its back, so a batch is never overwritten while it is used; their storage
 * comes from the backend's pool, to which the consumer returns it by closing the batch.
 */
final class CpuBatchStaging extends DefaultBatchStaging {
    private final CpuOps ops;

    CpuBatchStaging(CpuOps ops) {
        super(ops);
        this.ops = ops;
    }

    @Override
    public BatchSlot open() {
        return new CpuSlot(ops);
    }

    /** A slot that writes batches directly into CPU arrays. */
    private static final class CpuSlot extends Slot {
        private final CpuOps cpu;

        CpuSlot(CpuOps ops) {
            super(ops);
            this.cpu = ops;
        }

        @Override
        public FloatArray gather(float[] data, int[] shape, Rows rows) {
            int width = Rows.rowWidth("host float array", data.length, shape);
            int[] out = Rows.batchShape(shape, rows);
            float[] values = cpu.heap().takeUninitialized(Math.multiplyExact(rows.count(), width));
            return own(ArrayScope.track(new CpuFloatArray(cpu, Rows.gatherRows(data, shape, width, rows, values), out)));
        }

        @Override
        public IntArray gather(int[] data, int[] shape, Rows rows) {
            int width = Rows.rowWidth("host int array", data.length, shape);
            int[] out = Rows.batchShape(shape, rows);
            return own(ArrayScope.track(new CpuIntArray(cpu, Rows.gatherRows(data, shape, width, rows), out)));
        }

        @Override
        public FloatArray gather(FloatArray data, Rows rows) {
            if (data.ops() != cpu) {
                return super.gather(data, rows);
            }
            Check.usable(cpu, "minibatch", "data", data);
            int[] shape = data.shape();
            float[] src = ((CpuFloatArray) data).data();
            int width = Shapes.rowWidth(shape);
            float[] values = cpu.heap().takeUninitialized(Math.multiplyExact(rows.count(), width));
            return own(ArrayScope.track(new CpuFloatArray(cpu, Rows.gatherRows(src, shape, width, rows, values),
                    Rows.batchShape(shape, rows))));
        }

        @Override
        public IntArray gather(IntArray data, Rows rows) {
            if (data.ops() != cpu) {
                return super.gather(data, rows);
            }
            Check.usable(cpu, "minibatch", "data", data);
            int[] shape = data.shape();
            int[] src = ((CpuIntArray) data).data();
            return own(ArrayScope.track(new CpuIntArray(cpu, Rows.gatherRows(src, shape, Shapes.rowWidth(shape), rows),
                    Rows.batchShape(shape, rows))));
        }
    }
}
