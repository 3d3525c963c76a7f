package dev.thinj.ops;

/**
 * Argument checks shared by backends, so every kernel reports bad input the same way: the kernel's
 * name, the argument, the shape seen and the shape expected.
 */
public final class Check {
    private Check() {
    }

    /**
     * @param ops the backend running the kernel
     * @param kernel the kernel's name
     * @param name the argument's name
     * @param array the argument
     * @throws ArrayStateException if it is null, closed, or owned by another backend
     */
    public static void usable(Ops ops, String kernel, String name, NdArray array) {
        if (array == null) {
            throw new IllegalArgumentException(kernel + ": argument '" + name + "' is null");
        }
        if (array.ops() != ops) {
            throw new ArrayStateException(kernel + ": argument '" + name + "' belongs to backend '" + array.ops().name()
                    + "', not '" + ops.name() + "'; copy it across with ops.asArray(array) first");
        }
        if (array.isClosed()) {
            throw new ArrayStateException(kernel + ": argument '" + name + "' was used after close()");
        }
    }

    /**
     * @param kernel the kernel's name
     * @param name the argument's name
     * @param array the argument
     * @param rank the rank required
     */
    public static void rank(String kernel, String name, NdArray array, int rank) {
        if (array.rank() != rank) {
            throw new ShapeException(kernel + ": '" + name + "' must be " + rank + "-d, got shape "
                    + Shapes.format(array.shape()));
        }
    }

    /**
     * @param kernel the kernel's name
     * @param nameA the first argument's name
     * @param a the first argument
     * @param nameB the second argument's name
     * @param b the second argument
     */
    public static void sameShape(String kernel, String nameA, NdArray a, String nameB, NdArray b) {
        if (!Shapes.same(a.shape(), b.shape())) {
            throw new ShapeException(kernel + ": '" + nameA + "' and '" + nameB + "' must have the same shape, got "
                    + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()));
        }
    }

    /**
     * @param kernel the kernel's name
     * @param nameA the first argument's name
     * @param a the first argument
     * @param nameB the second argument's name
     * @param b the second argument
     */
    public static void sameSize(String kernel, String nameA, NdArray a, String nameB, NdArray b) {
        if (a.size() != b.size()) {
            throw new ShapeException(kernel + ": '" + nameA + "' and '" + nameB + "' must have the same number of elements, got "
                    + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()));
        }
    }

    /**
     * @param kernel the kernel's name
     * @param name the argument's name
     * @param array the argument
     * @param axis the dimension
     * @param expected its required extent
     */
    public static void dim(String kernel, String name, NdArray array, int axis, int expected) {
        if (array.dim(axis) != expected) {
            throw new ShapeException(kernel + ": '" + name + "' must have " + expected + " in dimension " + axis
                    + ", got shape " + Shapes.format(array.shape()));
        }
    }
}
