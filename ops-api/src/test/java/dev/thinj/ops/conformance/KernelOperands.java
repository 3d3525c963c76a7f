package dev.thinj.ops.conformance;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every kernel of {@link Ops} that takes arrays, as a table: each entry is one call with valid
 * arguments, and each of its array operands says which wrong shapes the kernel must refuse. From
 * the table {@link OperandContract} derives, for every operand of every kernel, a call with that one
 * operand of the wrong rank, of a wrong extent in each constrained dimension, closed, or owned by
 * another backend, all other arguments valid; so deleting any one argument check of a backend fails
 * a test.
 *
 * <p>A wrong rank appends a dimension of 2 (which also doubles the size, so a kernel that compares
 * operands by size refuses it too) or drops the last dimension. A wrong extent adds one to that
 * dimension, or takes one away where only fewer is an error (rows past the sequence lengths' sum).
 * An int operand of a new shape repeats its values cyclically, so its values stay valid.
 */
final class KernelOperands {
    private KernelOperands() {
    }

    /** The arguments of one call, by operand position. */
    interface Args {
        /** @return operand {@code i}, a float array */
        FloatArray f(int i);

        /** @return operand {@code i}, an int array */
        IntArray i(int i);
    }

    /** One kernel call; the arrays come from {@link Args} in the order the operands are listed. */
    interface Call {
        void run(Ops ops, Args args);
    }

    /**
     * One array argument.
     *
     * @param name the argument's name, for test names
     * @param shape its valid shape
     * @param values for an int operand, valid values filling {@code shape}; null for a float operand
     * @param shapeFree whether any shape is valid (elementwise kernels of one operand)
     * @param lowerRankOk whether dropping the last dimension is valid
     * @param freeAxes the dimensions that may take any extent
     * @param shrinkAxes the dimensions that may grow but not shrink
     */
    record Operand(String name, int[] shape, int[] values, boolean shapeFree, boolean lowerRankOk, List<Integer> freeAxes,
            List<Integer> shrinkAxes) {

        /** @return the same operand, with these dimensions free */
        Operand free(Integer... axes) {
            return new Operand(name, shape, values, shapeFree, lowerRankOk, List.of(axes), shrinkAxes);
        }

        /** @return the same operand, where only a smaller extent of {@code axis} is an error */
        Operand shrinks(int axis) {
            return new Operand(name, shape, values, shapeFree, lowerRankOk, freeAxes, List.of(axis));
        }

        /** @return the same operand, where one dimension fewer is valid */
        Operand lowerRank() {
            return new Operand(name, shape, values, shapeFree, true, freeAxes, shrinkAxes);
        }

        /** @return the same operand, of any shape */
        Operand anyShape() {
            return new Operand(name, shape, values, true, lowerRankOk, freeAxes, shrinkAxes);
        }

        boolean isInt() {
            return values != null;
        }

        /** @return the shapes of the wrong rank the kernel must refuse */
        List<int[]> wrongRanks() {
            List<int[]> out = new ArrayList<>();
            if (shapeFree) {
                return out;
            }
            if (shape.length < Shapes.MAX_RANK) {
                int[] up = Arrays.copyOf(shape, shape.length + 1);
                up[shape.length] = 2;
                out.add(up);
            }
            if (shape.length > 1 && !lowerRankOk) {
                out.add(Arrays.copyOf(shape, shape.length - 1));
            }
            return out;
        }

        /** @return the shapes with one wrong extent the kernel must refuse */
        List<int[]> wrongDims() {
            List<int[]> out = new ArrayList<>();
            if (shapeFree) {
                return out;
            }
            for (int axis = 0; axis < shape.length; axis++) {
                if (freeAxes.contains(axis)) {
                    continue;
                }
                int[] s = shape.clone();
                s[axis] += shrinkAxes.contains(axis) ? -1 : 1;
                out.add(s);
            }
            return out;
        }

        /** @return this operand's values cycled to fill {@code newShape} (int operands) */
        int[] valuesFor(int[] newShape) {
            int[] v = new int[Shapes.size(newShape)];
            for (int k = 0; k < v.length; k++) {
                v[k] = values[k % values.length];
            }
            return v;
        }

        /** @return a valid array for this operand */
        NdArray make(Ops ops) {
            return make(ops, shape);
        }

        /** @return an array of this operand's kind in the given shape */
        NdArray make(Ops ops, int[] newShape) {
            return isInt() ? ops.asInts(valuesFor(newShape), newShape) : ops.alloc(newShape);
        }

        /** @return the valid array, owned by a pretend second backend */
        NdArray foreign() {
            return isInt() ? ForeignArrays.ints(values, shape) : ForeignArrays.floats(shape);
        }
    }

    /**
     * One kernel call.
     *
     * @param label the kernel and, where it has several forms, which one
     * @param names what the error message may name: the kernel, or for a default method the kernel it
     *     delegates to
     * @param call the call
     * @param copiesForeign whether an array of another backend is valid (it is copied)
     * @param operands its array arguments, in the order {@link Args} hands them out
     */
    record Kernel(String label, List<String> names, Call call, boolean copiesForeign, List<Operand> operands) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Operand f(String name, int... shape) {
        return new Operand(name, shape, null, false, false, List.of(), List.of());
    }

    static Operand ints(String name, int[] values, int... shape) {
        if (values.length != Shapes.size(shape) || values.length == 0) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for " + Shapes.format(shape));
        }
        return new Operand(name, shape, values, false, false, List.of(), List.of());
    }

    private static Kernel k(String name, Call call, Operand... operands) {
        return new Kernel(name, List.of(name), call, false, List.of(operands));
    }

    /** A kernel in one of several forms: {@code label} tells them apart, {@code name} is the kernel. */
    private static Kernel form(String label, String name, Call call, Operand... operands) {
        return new Kernel(label, List.of(name), call, false, List.of(operands));
    }

    /** A default method whose errors may name the kernels it delegates to. */
    private static Kernel delegating(String name, List<String> names, Call call, Operand... operands) {
        return new Kernel(name, names, call, false, List.of(operands));
    }

    private static Kernel copying(String name, List<String> names, Call call, Operand operand) {
        return new Kernel(name, names, call, true, List.of(operand));
    }

    private static final int[] TWO_SEQUENCES = {2, 2};

    /** @return every kernel that takes arrays */
    static List<Kernel> all() {
        return List.of(
                // arrays
                copying("asArray", List.of("asArray", "toFloatArray"), (o, a) -> o.asArray(a.f(0)), f("other", 4, 3).anyShape()),
                copying("asInts", List.of("asInts", "toIntArray"), (o, a) -> o.asInts(a.i(0)),
                        ints("other", new int[] {1, 2}, 2).anyShape()),
                k("copy", (o, a) -> o.copy(a.f(0)), f("x", 4, 3).anyShape()),
                k("copyInto", (o, a) -> o.copyInto(a.f(0), a.f(1)), f("dst", 4, 3), f("src", 4, 3)),
                // The host array holds 12 values: a destination of fewer is fine, of more is not.
                form("copyFromHost", "copyFromHost", (o, a) -> o.copyFromHost(a.f(0), new float[12], 0),
                        f("dst", 4, 3).lowerRank()),
                form("copyFromHost ints", "copyFromHost", (o, a) -> o.copyFromHost(a.i(0), new int[4], 0),
                        ints("dst", new int[4], 4)),
                k("fill", (o, a) -> o.fill(a.f(0), 1f), f("x", 4, 3).anyShape()),
                k("sliceRows", (o, a) -> o.sliceRows(a.f(0), 0, 2), f("x", 4, 3).anyShape()),
                form("sliceRows ints", "sliceRows", (o, a) -> o.sliceRows(a.i(0), 0, 2),
                        ints("x", new int[4], 4).anyShape()),
                k("gatherRows", (o, a) -> o.gatherRows(a.f(0), a.i(1)), f("x", 4, 3).anyShape(),
                        ints("rows", new int[] {1}, 1).free(0)),
                form("gatherRows ints", "gatherRows", (o, a) -> o.gatherRows(a.i(0), a.i(1)),
                        ints("x", new int[8], 4, 2).anyShape(), ints("rows", new int[] {3, 0}, 2).free(0)),
                k("concatColumns", (o, a) -> o.concatColumns(List.of(a.f(0), a.f(1))), f("parts[0]", 4, 2).free(1),
                        f("parts[1]", 4, 3).free(1)),
                k("sliceColumns", (o, a) -> o.sliceColumns(a.f(0), 0, 2), f("x", 4, 3).free(0, 1)),
                // linear
                k("gemm", (o, a) -> o.gemm(a.f(0), a.f(1), a.f(2), false, false, 1f, 0f), f("a", 4, 3), f("b", 3, 2),
                        f("out", 4, 2)),
                form("gemm transposed", "gemm", (o, a) -> o.gemm(a.f(0), a.f(1), a.f(2), true, true, 1f, 0f),
                        f("a", 3, 4), f("b", 2, 3), f("out", 4, 2)),
                form("gemm allocating", "gemm", (o, a) -> o.gemm(a.f(0), a.f(1)), f("a", 4, 3).free(0),
                        f("b", 3, 2).free(1)),
                form("gemm allocating transposed", "gemm", (o, a) -> o.gemm(a.f(0), a.f(1), true, true),
                        f("a", 3, 4).free(1), f("b", 2, 3).free(0)),
                delegating("affine", List.of("affine", "gemm", "addBias"), (o, a) -> o.affine(a.f(0), a.f(1), a.f(2)),
                        f("x", 4, 3).free(0), f("w", 2, 3), f("b", 2)),
                k("addBias", (o, a) -> o.addBias(a.f(0), a.f(1)), f("y", 4, 3).free(0), f("bias", 3)),
                k("sumRows", (o, a) -> o.sumRows(a.f(0), a.f(1), false), f("x", 4, 3).free(0), f("out", 3)),
                form("sumRows accumulating", "sumRows", (o, a) -> o.sumRows(a.f(0), a.f(1), true), f("x", 4, 3).free(0),
                        f("out", 3)),
                form("sumRows allocating", "sumRows", (o, a) -> o.sumRows(a.f(0)), f("x", 4, 3).free(0, 1)),
                // elementwise
                k("add", (o, a) -> o.add(a.f(0), a.f(1)), f("a", 4, 3), f("b", 4, 3)),
                k("sub", (o, a) -> o.sub(a.f(0), a.f(1)), f("a", 4, 3), f("b", 4, 3)),
                k("mul", (o, a) -> o.mul(a.f(0), a.f(1)), f("a", 4, 3), f("b", 4, 3)),
                k("addInPlace", (o, a) -> o.addInPlace(a.f(0), a.f(1)), f("a", 4, 3), f("b", 4, 3)),
                k("mulInPlace", (o, a) -> o.mulInPlace(a.f(0), a.f(1)), f("a", 4, 3), f("b", 4, 3)),
                k("scale", (o, a) -> o.scale(a.f(0), 2f), f("a", 4, 3).anyShape()),
                k("scaleInPlace", (o, a) -> o.scaleInPlace(a.f(0), 2f), f("a", 4, 3).anyShape()),
                k("axpy", (o, a) -> o.axpy(2f, a.f(0), a.f(1)), f("x", 4, 3), f("y", 4, 3)),
                k("sum", (o, a) -> o.sum(a.f(0)), f("x", 4, 3).anyShape()),
                k("sumOfSquares", (o, a) -> o.sumOfSquares(a.f(0)), f("x", 4, 3).anyShape()),
                // activations, each in place and not
                k("relu", (o, a) -> o.relu(a.f(0), false), f("x", 4, 3).anyShape()),
                form("relu in place", "relu", (o, a) -> o.relu(a.f(0), true), f("x", 4, 3).anyShape()),
                k("backpropRelu", (o, a) -> o.backpropRelu(a.f(0), a.f(1), false), f("dY", 4, 3), f("y", 4, 3)),
                form("backpropRelu in place", "backpropRelu", (o, a) -> o.backpropRelu(a.f(0), a.f(1), true),
                        f("dY", 4, 3), f("y", 4, 3)),
                k("sigmoid", (o, a) -> o.sigmoid(a.f(0), false), f("x", 4, 3).anyShape()),
                form("sigmoid in place", "sigmoid", (o, a) -> o.sigmoid(a.f(0), true), f("x", 4, 3).anyShape()),
                k("backpropSigmoid", (o, a) -> o.backpropSigmoid(a.f(0), a.f(1), false), f("dY", 4, 3), f("y", 4, 3)),
                form("backpropSigmoid in place", "backpropSigmoid", (o, a) -> o.backpropSigmoid(a.f(0), a.f(1), true),
                        f("dY", 4, 3), f("y", 4, 3)),
                k("tanh", (o, a) -> o.tanh(a.f(0), false), f("x", 4, 3).anyShape()),
                form("tanh in place", "tanh", (o, a) -> o.tanh(a.f(0), true), f("x", 4, 3).anyShape()),
                k("backpropTanh", (o, a) -> o.backpropTanh(a.f(0), a.f(1), false), f("dY", 4, 3), f("y", 4, 3)),
                form("backpropTanh in place", "backpropTanh", (o, a) -> o.backpropTanh(a.f(0), a.f(1), true),
                        f("dY", 4, 3), f("y", 4, 3)),
                k("gelu", (o, a) -> o.gelu(a.f(0), false), f("x", 4, 3).anyShape()),
                form("gelu in place", "gelu", (o, a) -> o.gelu(a.f(0), true), f("x", 4, 3).anyShape()),
                k("backpropGelu", (o, a) -> o.backpropGelu(a.f(0), a.f(1), false), f("dY", 4, 3), f("x", 4, 3)),
                form("backpropGelu in place", "backpropGelu", (o, a) -> o.backpropGelu(a.f(0), a.f(1), true),
                        f("dY", 4, 3), f("x", 4, 3)),
                k("swish", (o, a) -> o.swish(a.f(0), false), f("x", 4, 3).anyShape()),
                form("swish in place", "swish", (o, a) -> o.swish(a.f(0), true), f("x", 4, 3).anyShape()),
                k("backpropSwish", (o, a) -> o.backpropSwish(a.f(0), a.f(1), a.f(2), false), f("dY", 4, 3), f("x", 4, 3),
                        f("y", 4, 3)),
                form("backpropSwish in place", "backpropSwish", (o, a) -> o.backpropSwish(a.f(0), a.f(1), a.f(2), true),
                        f("dY", 4, 3), f("x", 4, 3), f("y", 4, 3)),
                k("softmax", (o, a) -> o.softmax(a.f(0), 1f, false), f("x", 4, 3).anyShape()),
                form("softmax in place", "softmax", (o, a) -> o.softmax(a.f(0), 2f, true), f("x", 4, 3).anyShape()),
                k("backpropSoftmax", (o, a) -> o.backpropSoftmax(a.f(0), a.f(1), 1f), f("y", 4, 3), f("dY", 4, 3)),
                k("maxout", (o, a) -> o.maxout(a.f(0)), f("x", 2, 3, 4).free(0, 1, 2)),
                k("backpropMaxout", (o, a) -> o.backpropMaxout(a.f(0), a.i(1), 4), f("dY", 2, 3),
                        ints("which", new int[] {0, 1, 2, 3, 0, 1}, 2, 3)),
                k("argmax", (o, a) -> o.argmax(a.f(0)), f("x", 4, 3).free(0, 1).lowerRank()),
                // normalisation
                k("layerNorm", (o, a) -> o.layerNorm(a.f(0), a.f(1), a.f(2)), f("x", 4, 3).free(0), f("gain", 3),
                        f("bias", 3)),
                k("backpropLayerNorm", (o, a) -> o.backpropLayerNorm(a.f(0), a.f(1), a.f(2),
                        new LayerNormResult(o.alloc(4, 3), a.f(3), a.f(4)), a.f(5), a.f(6)),
                        f("dY", 4, 3), f("x", 4, 3), f("gain", 3), f("forward.mean", 4), f("forward.variance", 4),
                        f("dGain", 3), f("dBias", 3)),
                // sequence reductions: two sequences of two rows
                k("reduceSum", (o, a) -> o.reduceSum(a.f(0), a.i(1)), f("x", 4, 3).shrinks(0).free(1),
                        ints("lengths", TWO_SEQUENCES, 2)),
                k("reduceMean", (o, a) -> o.reduceMean(a.f(0), a.i(1)), f("x", 4, 3).shrinks(0).free(1),
                        ints("lengths", TWO_SEQUENCES, 2)),
                k("reduceMax", (o, a) -> o.reduceMax(a.f(0), a.i(1)), f("x", 4, 3).shrinks(0).free(1),
                        ints("lengths", TWO_SEQUENCES, 2)),
                k("backpropReduceSum", (o, a) -> o.backpropReduceSum(a.f(0), a.i(1)), f("dY", 2, 3).free(1),
                        ints("lengths", TWO_SEQUENCES, 2)),
                k("backpropReduceMean", (o, a) -> o.backpropReduceMean(a.f(0), a.i(1)), f("dY", 2, 3).free(1),
                        ints("lengths", TWO_SEQUENCES, 2)),
                k("backpropReduceMax", (o, a) -> o.backpropReduceMax(a.f(0), a.i(1), a.i(2)), f("dY", 2, 3),
                        ints("which", new int[] {0, 1, 0, 1, 0, 1}, 2, 3), ints("lengths", TWO_SEQUENCES, 2)),
                // optimizers
                k("adam", (o, a) -> o.adam(a.f(0), a.f(1), a.f(2), a.f(3), 0.9f, 0.999f, 1e-8f, 1e-3f, 1f),
                        f("weights", 6), f("gradient", 6), f("mom1", 6), f("mom2", 6)),
                k("adamUpdate", (o, a) -> o.adamUpdate(a.f(0), a.f(1), a.f(2), a.f(3), a.f(4), 0.9f, 0.999f, 1e-8f, 1e-3f,
                        1f, -1e-9f, 0.1f), f("weights", 6), f("gradient", 6), f("mom1", 6), f("mom2", 6), f("averages", 6)),
                form("adamUpdate without averages", "adamUpdate",
                        (o, a) -> o.adamUpdate(a.f(0), a.f(1), a.f(2), a.f(3), null, 0.9f, 0.999f, 1e-8f, 1e-3f, 1f, 0f, 0f),
                        f("weights", 6), f("gradient", 6), f("mom1", 6), f("mom2", 6)),
                k("radam", (o, a) -> o.radam(a.f(0), a.f(1), a.f(2), a.f(3), 0.9f, 0.999f, 1e-8f, 1e-3f, true),
                        f("weights", 6), f("gradient", 6), f("mom1", 6), f("mom2", 6)),
                form("radam unrectified", "radam",
                        (o, a) -> o.radam(a.f(0), a.f(1), a.f(2), a.f(3), 0.9f, 0.999f, 1e-8f, 1e-3f, false),
                        f("weights", 6), f("gradient", 6), f("mom1", 6), f("mom2", 6)),
                k("sgd", (o, a) -> o.sgd(a.f(0), a.f(1), 0.1f), f("weights", 6), f("gradient", 6)),
                k("updateAverages", (o, a) -> o.updateAverages(a.f(0), a.f(1), 1, 0.9999), f("ema", 6), f("weights", 6)),
                k("clipGradient", (o, a) -> o.clipGradient(a.f(0), 1f), f("gradient", 6).anyShape()),
                // losses
                k("oneHot", (o, a) -> o.oneHot(a.i(0), 3, 0f), ints("labels", new int[] {0, 2}, 2).free(0)),
                k("scaledDifference", (o, a) -> o.scaledDifference(a.f(0), a.f(1), a.f(2), 1f), f("guesses", 4, 3),
                        f("truths", 4, 3), f("mask", 4, 3)),
                form("scaledDifference without mask", "scaledDifference",
                        (o, a) -> o.scaledDifference(a.f(0), a.f(1), null, 0.5f), f("guesses", 4, 3), f("truths", 4, 3)),
                k("allInRange", (o, a) -> o.allInRange(a.f(0), 0f, 1f), f("x", 4, 3).anyShape()),
                k("cosineDistance", (o, a) -> o.cosineDistance(a.f(0), a.f(1), false, 1f), f("guesses", 4, 3),
                        f("truths", 4, 3)),
                form("cosineDistance ignoring zeros", "cosineDistance", (o, a) -> o.cosineDistance(a.f(0), a.f(1), true, 1f),
                        f("guesses", 4, 3), f("truths", 4, 3)));
    }
}
