package dev.thinj.ops.cpu;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.Check;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Shapes;

/**
 * What every CPU kernel group shares: the backend that owns the arrays, the thread pool, and the
 * two steps around each kernel — checking an argument and taking its storage on the way in, wrapping
 * a result on the way out. The CUDA backend's {@code CudaContext} plays the same part.
 */
final class CpuContext {
    private final CpuOps owner;
    private final Parallel parallel;

    CpuContext(CpuOps owner, Parallel parallel) {
        this.owner = owner;
        this.parallel = parallel;
    }

    /** @return the backend whose arrays these kernels take and make */
    CpuOps ops() {
        return owner;
    }

    /** @return the pool that splits large elementwise work (its size is also OpenBLAS's) */
    Parallel parallel() {
        return parallel;
    }

    /** Checks a float argument belongs to this backend and is open, and returns its storage. */
    float[] f(String kernel, String name, FloatArray a) {
        Check.usable(owner, kernel, name, a);
        return ((CpuFloatArray) a).data();
    }

    /** Checks an int argument belongs to this backend and is open, and returns its storage. */
    int[] i(String kernel, String name, IntArray a) {
        Check.usable(owner, kernel, name, a);
        return ((CpuIntArray) a).data();
    }

    /** Wraps storage (not copied) as a new array of this backend, tracked by the open scope. */
    CpuFloatArray wrap(float[] data, int[] shape) {
        return ArrayScope.track(new CpuFloatArray(owner, data, shape));
    }

    /**
     * The shape of an array this backend made, not copied, for a result of the same shape: a CPU
     * array's shape is fixed at construction and only ever handed out as a copy, so arrays may share it.
     */
    static int[] shapeOf(FloatArray a) {
        return ((CpuArray) a).shapeRef();
    }

    /** Int variant of {@link #wrap(float[], int[])}. */
    CpuIntArray wrapInts(int[] data, int[] shape) {
        return ArrayScope.track(new CpuIntArray(owner, data, shape));
    }

    /** A new zero-filled array; {@code kernel} names the caller in a bad-shape message. */
    CpuFloatArray newFloats(String kernel, int... shape) {
        return wrap(zeros(Shapes.checkedSize(kernel, shape)), shape.clone());
    }

    /**
     * Storage for a result the kernel writes in full: recycled from a closed array when one of the
     * length is free (its old values are overwritten), else new.
     */
    float[] empty(int n) {
        return owner.heap().takeUninitialized(n);
    }

    /** Zeroed storage for a result the kernel writes only in part, or adds into. */
    float[] zeros(int n) {
        return owner.heap().takeZeroed(n);
    }

    /** Int variant of {@link #newFloats(String, int...)}. */
    CpuIntArray newInts(String kernel, int... shape) {
        return wrapInts(new int[Shapes.checkedSize(kernel, shape)], shape.clone());
    }

    /** {@code d *= factor}, split over the pool when large (gemm's beta, scale, gradient clipping). */
    void scale(float[] d, float factor) {
        if (parallel.splits(d.length, Parallel.CHEAP)) {
            parallel.forRange(d.length, Parallel.CHEAP, (from, to) -> ElementwiseMath.scale(d, factor, from, to));
        } else {
            ElementwiseMath.scale(d, factor, 0, d.length);
        }
    }
}
