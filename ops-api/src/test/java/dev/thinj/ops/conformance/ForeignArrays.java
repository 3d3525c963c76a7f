package dev.thinj.ops.conformance;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.NdArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.Shapes;
import java.lang.reflect.Proxy;
import java.util.Arrays;

/**
 * Arrays of a pretend second backend: host-backed {@link FloatArray}s and {@link IntArray}s whose
 * {@link NdArray#ops()} is an {@link Ops} proxy that answers only its name. A backend must refuse
 * them in every kernel ({@code ArrayStateException}) and copy them in {@code asArray(other)}.
 */
final class ForeignArrays {
    /** The name the pretend backend reports. */
    static final String NAME = "foreign-test-backend";

    /** The pretend backend; every method but {@code name}, {@code isGpu} and {@code toString} throws. */
    static final Ops FOREIGN_OPS = (Ops) Proxy.newProxyInstance(Ops.class.getClassLoader(), new Class<?>[] {Ops.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "name", "toString" -> NAME;
                case "isGpu" -> false;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "synchronize" -> null;
                default -> throw new UnsupportedOperationException(NAME + " cannot run " + method.getName());
            });

    private ForeignArrays() {
    }

    /**
     * @param data the values (copied)
     * @param shape the dimensions
     * @return a float array owned by the pretend backend
     */
    static FloatArray floats(float[] data, int... shape) {
        return new ForeignFloats(data.clone(), shape.clone());
    }

    /**
     * @param shape the dimensions
     * @return a zero float array owned by the pretend backend
     */
    static FloatArray floats(int... shape) {
        return floats(new float[Shapes.size(shape)], shape);
    }

    /**
     * @param data the values (copied)
     * @param shape the dimensions
     * @return an int array owned by the pretend backend
     */
    static IntArray ints(int[] data, int... shape) {
        return new ForeignInts(data.clone(), shape.clone());
    }

    private abstract static class Base implements NdArray {
        final int[] shape;
        private boolean closed;

        Base(int[] shape) {
            this.shape = shape;
        }

        @Override
        public Ops ops() {
            return FOREIGN_OPS;
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public int rank() {
            return shape.length;
        }

        @Override
        public int dim(int axis) {
            return shape[axis < 0 ? shape.length + axis : axis];
        }

        @Override
        public int size() {
            return Shapes.size(shape);
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
        }

        int flat(int... index) {
            int f = 0;
            for (int d = 0; d < shape.length; d++) {
                f = f * shape[d] + index[d];
            }
            return f;
        }

        @Override
        public String toString() {
            return NAME + " array " + Shapes.format(shape);
        }
    }

    private static final class ForeignFloats extends Base implements FloatArray {
        private final float[] data;

        ForeignFloats(float[] data, int[] shape) {
            super(shape);
            this.data = data;
        }

        @Override
        public float[] toFloatArray() {
            return data.clone();
        }

        @Override
        public float get(int... index) {
            return data[flat(index)];
        }

        @Override
        public FloatArray reshape(int... newShape) {
            return new ForeignFloats(data, Shapes.reshaped("reshape", shape, newShape));
        }
    }

    private static final class ForeignInts extends Base implements IntArray {
        private final int[] data;

        ForeignInts(int[] data, int[] shape) {
            super(shape);
            this.data = data;
        }

        @Override
        public int[] toIntArray() {
            return Arrays.copyOf(data, data.length);
        }

        @Override
        public int get(int... index) {
            return data[flat(index)];
        }

        @Override
        public IntArray reshape(int... newShape) {
            return new ForeignInts(data, Shapes.reshaped("reshape", shape, newShape));
        }
    }
}
