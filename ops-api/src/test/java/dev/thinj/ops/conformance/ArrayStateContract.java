package dev.thinj.ops.conformance;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.LayerNormResult;
import dev.thinj.ops.Ops;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel refuses an array it cannot use, with an {@link dev.thinj.ops.ArrayStateException}
 * naming the kernel: one closed by {@code close()} (its memory may be gone; reading it could crash
 * an off-heap or GPU backend) and one owned by another backend (copy it with
 * {@code ops.asArray(other)} first). Each entry of the table below puts one such array in one
 * argument of one kernel, with every other argument valid.
 */
abstract class ArrayStateContract extends KernelContract {

    /** Makes the one unusable array a call receives. */
    interface Bad {
        /** @return an unusable float array of this shape */
        FloatArray f(int... shape);

        /** @return an unusable int array holding these values */
        IntArray i(int[] values, int... shape);
    }

    /** One kernel call with one unusable argument. */
    interface Call {
        void run(Ops ops, Bad bad);
    }

    /**
     * @param kernels names the message may give: the kernel, or for a default method the one it
     *     delegates to
     * @param argument which argument is unusable
     * @param call the call
     * @param foreignToo whether an array of another backend is refused too ({@code asArray} copies it)
     */
    record Entry(List<String> kernels, String argument, Call call, boolean foreignToo) {
        @Override
        public String toString() {
            return kernels.get(0) + "(" + argument + ")";
        }
    }

    private static Entry e(String kernel, String argument, Call call) {
        return new Entry(List.of(kernel), argument, call, true);
    }

    private static final float[] ROWS_4X3 = new float[12];

    static Stream<Named<Entry>> entries() {
        return Stream.of(
                // arrays
                new Entry(List.of("asArray", "toFloatArray"), "other", (o, b) -> o.asArray(b.f(4, 3)), false),
                new Entry(List.of("asInts", "toIntArray"), "other", (o, b) -> o.asInts(b.i(new int[] {1, 2}, 2)), false),
                e("copy", "x", (o, b) -> o.copy(b.f(4, 3))),
                e("copyInto", "dst", (o, b) -> o.copyInto(b.f(4, 3), o.alloc(4, 3))),
                e("copyInto", "src", (o, b) -> o.copyInto(o.alloc(4, 3), b.f(4, 3))),
                e("copyFromHost", "dst", (o, b) -> o.copyFromHost(b.f(4, 3), ROWS_4X3, 0)),
                e("copyFromHost", "dst ints", (o, b) -> o.copyFromHost(b.i(new int[4], 4), new int[4], 0)),
                e("fill", "x", (o, b) -> o.fill(b.f(4, 3), 1f)),
                e("sliceRows", "x", (o, b) -> o.sliceRows(b.f(4, 3), 0, 2)),
                e("sliceRows", "x ints", (o, b) -> o.sliceRows(b.i(new int[4], 4), 0, 2)),
                e("gatherRows", "x", (o, b) -> o.gatherRows(b.f(4, 3), o.asInts(new int[] {1}))),
                e("gatherRows", "rows", (o, b) -> o.gatherRows(o.alloc(4, 3), b.i(new int[] {1}, 1))),
                e("gatherRows", "x ints", (o, b) -> o.gatherRows(b.i(new int[4], 4), o.asInts(new int[] {1}))),
                e("concatColumns", "parts[1]", (o, b) -> o.concatColumns(List.of(o.alloc(4, 2), b.f(4, 3)))),
                e("sliceColumns", "x", (o, b) -> o.sliceColumns(b.f(4, 3), 0, 2)),
                // linear
                e("gemm", "a", (o, b) -> o.gemm(b.f(4, 3), o.alloc(3, 2), o.alloc(4, 2), false, false, 1f, 0f)),
                e("gemm", "b", (o, b) -> o.gemm(o.alloc(4, 3), b.f(3, 2), o.alloc(4, 2), false, false, 1f, 0f)),
                e("gemm", "out", (o, b) -> o.gemm(o.alloc(4, 3), o.alloc(3, 2), b.f(4, 2), false, false, 1f, 0f)),
                e("gemm", "a (allocating form)", (o, b) -> o.gemm(b.f(4, 3), o.alloc(3, 2))),
                new Entry(List.of("affine", "gemm"), "x", (o, b) -> o.affine(b.f(4, 3), o.alloc(2, 3), o.alloc(2)), true),
                new Entry(List.of("affine", "addBias"), "b", (o, b) -> o.affine(o.alloc(4, 3), o.alloc(2, 3), b.f(2)), true),
                e("addBias", "y", (o, b) -> o.addBias(b.f(4, 3), o.alloc(3))),
                e("addBias", "bias", (o, b) -> o.addBias(o.alloc(4, 3), b.f(3))),
                e("sumRows", "x", (o, b) -> o.sumRows(b.f(4, 3), o.alloc(3), false)),
                e("sumRows", "out", (o, b) -> o.sumRows(o.alloc(4, 3), b.f(3), true)),
                // elementwise
                e("add", "a", (o, b) -> o.add(b.f(4, 3), o.alloc(4, 3))),
                e("add", "b", (o, b) -> o.add(o.alloc(4, 3), b.f(4, 3))),
                e("sub", "b", (o, b) -> o.sub(o.alloc(4, 3), b.f(4, 3))),
                e("mul", "a", (o, b) -> o.mul(b.f(4, 3), o.alloc(4, 3))),
                e("addInPlace", "a", (o, b) -> o.addInPlace(b.f(4, 3), o.alloc(4, 3))),
                e("addInPlace", "b", (o, b) -> o.addInPlace(o.alloc(4, 3), b.f(4, 3))),
                e("mulInPlace", "a", (o, b) -> o.mulInPlace(b.f(4, 3), o.alloc(4, 3))),
                e("scale", "a", (o, b) -> o.scale(b.f(4, 3), 2f)),
                e("scaleInPlace", "a", (o, b) -> o.scaleInPlace(b.f(4, 3), 2f)),
                e("axpy", "x", (o, b) -> o.axpy(2f, b.f(4, 3), o.alloc(4, 3))),
                e("axpy", "y", (o, b) -> o.axpy(2f, o.alloc(4, 3), b.f(4, 3))),
                e("sum", "x", (o, b) -> o.sum(b.f(4, 3))),
                e("sumOfSquares", "x", (o, b) -> o.sumOfSquares(b.f(4, 3))),
                // activations
                e("relu", "x", (o, b) -> o.relu(b.f(4, 3), false)),
                e("relu", "x inplace", (o, b) -> o.relu(b.f(4, 3), true)),
                e("backpropRelu", "dY", (o, b) -> o.backpropRelu(b.f(4, 3), o.alloc(4, 3), true)),
                e("backpropRelu", "y", (o, b) -> o.backpropRelu(o.alloc(4, 3), b.f(4, 3), false)),
                e("sigmoid", "x", (o, b) -> o.sigmoid(b.f(4, 3), false)),
                e("backpropSigmoid", "y", (o, b) -> o.backpropSigmoid(o.alloc(4, 3), b.f(4, 3), false)),
                e("tanh", "x", (o, b) -> o.tanh(b.f(4, 3), true)),
                e("backpropTanh", "dY", (o, b) -> o.backpropTanh(b.f(4, 3), o.alloc(4, 3), false)),
                e("gelu", "x", (o, b) -> o.gelu(b.f(4, 3), false)),
                e("backpropGelu", "x", (o, b) -> o.backpropGelu(o.alloc(4, 3), b.f(4, 3), false)),
                e("swish", "x", (o, b) -> o.swish(b.f(4, 3), false)),
                e("backpropSwish", "y", (o, b) -> o.backpropSwish(o.alloc(4, 3), o.alloc(4, 3), b.f(4, 3), false)),
                e("softmax", "x", (o, b) -> o.softmax(b.f(4, 3), 1f, false)),
                e("backpropSoftmax", "dY", (o, b) -> o.backpropSoftmax(o.alloc(4, 3), b.f(4, 3), 1f)),
                e("maxout", "x", (o, b) -> o.maxout(b.f(2, 3, 4))),
                e("backpropMaxout", "dY", (o, b) -> o.backpropMaxout(b.f(2, 3), o.allocInts(2, 3), 4)),
                e("backpropMaxout", "which", (o, b) -> o.backpropMaxout(o.alloc(2, 3), b.i(new int[6], 2, 3), 4)),
                e("argmax", "x", (o, b) -> o.argmax(b.f(4, 3))),
                // normalisation
                e("layerNorm", "x", (o, b) -> o.layerNorm(b.f(4, 3), o.alloc(3), o.alloc(3))),
                e("layerNorm", "gain", (o, b) -> o.layerNorm(o.alloc(4, 3), b.f(3), o.alloc(3))),
                e("backpropLayerNorm", "dY", (o, b) -> {
                    LayerNormResult r = o.layerNorm(o.alloc(4, 3), o.alloc(3), o.alloc(3));
                    o.backpropLayerNorm(b.f(4, 3), o.alloc(4, 3), o.alloc(3), r, o.alloc(3), o.alloc(3));
                }),
                e("backpropLayerNorm", "dGain", (o, b) -> {
                    LayerNormResult r = o.layerNorm(o.alloc(4, 3), o.alloc(3), o.alloc(3));
                    o.backpropLayerNorm(o.alloc(4, 3), o.alloc(4, 3), o.alloc(3), r, b.f(3), o.alloc(3));
                }),
                // sequence reductions
                e("reduceSum", "x", (o, b) -> o.reduceSum(b.f(4, 3), o.asInts(new int[] {2, 2}))),
                e("reduceSum", "lengths", (o, b) -> o.reduceSum(o.alloc(4, 3), b.i(new int[] {2, 2}, 2))),
                e("backpropReduceSum", "dY", (o, b) -> o.backpropReduceSum(b.f(2, 3), o.asInts(new int[] {2, 2}))),
                e("reduceMean", "x", (o, b) -> o.reduceMean(b.f(4, 3), o.asInts(new int[] {2, 2}))),
                e("backpropReduceMean", "lengths", (o, b) -> o.backpropReduceMean(o.alloc(2, 3), b.i(new int[] {2, 2}, 2))),
                e("reduceMax", "x", (o, b) -> o.reduceMax(b.f(4, 3), o.asInts(new int[] {2, 2}))),
                e("backpropReduceMax", "which",
                        (o, b) -> o.backpropReduceMax(o.alloc(2, 3), b.i(new int[6], 2, 3), o.asInts(new int[] {2, 2}))),
                // optimizers
                e("radam", "weights", (o, b) -> o.radam(b.f(6), o.alloc(6), o.alloc(6), o.alloc(6), 0.9f, 0.999f, 1e-8f, 1e-3f, true)),
                e("adam", "weights", (o, b) -> o.adam(b.f(6), o.alloc(6), o.alloc(6), o.alloc(6), 0.9f, 0.999f, 1e-8f, 1e-3f, 1f)),
                e("adam", "mom2", (o, b) -> o.adam(o.alloc(6), o.alloc(6), o.alloc(6), b.f(6), 0.9f, 0.999f, 1e-8f, 1e-3f, 1f)),
                e("sgd", "gradient", (o, b) -> o.sgd(o.alloc(6), b.f(6), 0.1f)),
                e("updateAverages", "ema", (o, b) -> o.updateAverages(b.f(6), o.alloc(6), 1, 0.9999)),
                e("clipGradient", "gradient", (o, b) -> o.clipGradient(b.f(6), 1f)),
                // losses
                e("oneHot", "labels", (o, b) -> o.oneHot(b.i(new int[] {0, 1}, 2), 3, 0f)),
                e("scaledDifference", "guesses", (o, b) -> o.scaledDifference(b.f(4, 3), o.alloc(4, 3), null, 1f)),
                e("scaledDifference", "mask", (o, b) -> o.scaledDifference(o.alloc(4, 3), o.alloc(4, 3), b.f(4, 3), 1f)),
                e("allInRange", "x", (o, b) -> o.allInRange(b.f(4, 3), 0f, 1f)),
                e("cosineDistance", "truths", (o, b) -> o.cosineDistance(o.alloc(4, 3), b.f(4, 3), false, 1f)))
                .map(entry -> Named.of(entry.toString(), entry));
    }

    static Stream<Named<Entry>> foreignEntries() {
        return entries().filter(n -> n.getPayload().foreignToo());
    }

    /** Arrays of this backend, closed before use. */
    private Bad closed() {
        return new Bad() {
            @Override
            public FloatArray f(int... shape) {
                FloatArray a = ops().alloc(shape);
                a.close();
                return a;
            }

            @Override
            public IntArray i(int[] values, int... shape) {
                IntArray a = ops().asInts(values, shape);
                a.close();
                return a;
            }
        };
    }

    /** Arrays of a pretend second backend. */
    private static Bad foreign() {
        return new Bad() {
            @Override
            public FloatArray f(int... shape) {
                return ForeignArrays.floats(shape);
            }

            @Override
            public IntArray i(int[] values, int... shape) {
                return ForeignArrays.ints(values, shape);
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void closedArrayIsRefused(Entry entry) {
        Rejects.arrayState(entry + " with a closed array", () -> entry.call().run(ops(), closed()),
                entry.kernels().toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignEntries")
    void arrayOfAnotherBackendIsRefused(Entry entry) {
        Rejects.arrayState(entry + " with an array of another backend", () -> entry.call().run(ops(), foreign()),
                entry.kernels().toArray(String[]::new));
    }
}
