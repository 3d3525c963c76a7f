package dev.thinj.ops;

import java.util.List;

/**
 * A backend: it owns arrays and runs every kernel that layers, losses and optimizers need. The
 * kernels are grouped by job in the interfaces this one extends, which a backend implements one
 * class per group (see {@link dev.thinj.ops.spi.GroupedOps}); the conveniences that combine groups
 * (a product into a new array) are defaults here. Batches are staged by the backend's
 * {@link #batchStaging()} ({@code DefaultBatchStaging} works for any backend).
 *
 * <p><b>Asynchronous by contract.</b> A kernel may return before its result is computed (a GPU
 * backend enqueues on its stream; the CPU backend runs synchronously). Kernels of one {@code Ops}
 * run in call order; reading an array on the host ({@code toFloatArray}, {@code get}, {@code item})
 * synchronises.
 *
 * <p><b>Selection.</b> Backends are found with {@link java.util.ServiceLoader} through
 * {@link dev.thinj.ops.spi.OpsProvider}. {@link #get(String)} returns one by name ({@code "cpu"},
 * {@code "cuda"}, or {@code "auto"} for the best available); {@link #current()} is the one in force
 * on this thread: the innermost {@link #use(String)} scope, else the default named by the system
 * property {@code thinj.ops} or the environment variable {@code THINJ_OPS}, else {@code "auto"}.
 *
 * <pre>{@code
 * try (var scope = Ops.use("cpu")) {
 *     Ops ops = Ops.current();
 *     FloatArray y = ops.relu(ops.asArray(new float[] {-1, 2}), false);
 * }
 * }</pre>
 */
public interface Ops extends ArrayKernels, LinearKernels, ElementwiseKernels, ActivationKernels,
        NormalizationKernels, ReductionKernels, OptimizerKernels, LossKernels, BatchingOps, AutoCloseable {

    /** @return the backend's name, as passed to {@link #get(String)} */
    String name();

    /** @return whether this backend computes on a GPU */
    boolean isGpu();

    /** @return a one-line description of the device and its settings (library, threads, memory) */
    String description();

    /** Waits until every kernel enqueued so far has finished. A no-op on synchronous backends. */
    void synchronize();

    /**
     * Opens a scope that closes, when it ends, every array this backend creates on this thread
     * inside it, except those passed to {@link ArrayScope#keep}.
     *
     * @return the scope, for try-with-resources
     */
    default ArrayScope scope() {
        return ArrayScope.open(this);
    }

    // ---- products that allocate their result (LinearKernels' kernels underneath) --------------

    /**
     * @param a 2-d (not modified)
     * @param b 2-d (not modified)
     * @param transA use {@code a}'s transpose
     * @param transB use {@code b}'s transpose
     * @return a new array {@code op(a) @ op(b)}
     */
    default FloatArray gemm(FloatArray a, FloatArray b, boolean transA, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new ShapeException("gemm: expected 2-d arrays, got " + Shapes.format(a.shape()) + " and "
                    + Shapes.format(b.shape()));
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        FloatArray out = empty(m, n);  // beta 0: every cell is written
        gemm(a, b, out, transA, transB, 1f, 0f);
        return out;
    }

    /**
     * @param a 2-d (not modified)
     * @param b 2-d (not modified)
     * @return a new array {@code a @ b}
     */
    default FloatArray gemm(FloatArray a, FloatArray b) {
        return gemm(a, b, false, false);
    }

    /**
     * Thinc's {@code affine}: {@code Y = X @ W.T + b}.
     *
     * @param x inputs (batch, nI) (not modified)
     * @param w weights (nO, nI) (not modified)
     * @param b bias (nO) (not modified)
     * @return a new (batch, nO) array
     */
    default FloatArray affine(FloatArray x, FloatArray w, FloatArray b) {
        FloatArray y = gemm(x, w, false, true);
        addBias(y, b);
        return y;
    }

    /**
     * @param x 2-d (not modified)
     * @return a new 1-d array of column sums
     */
    default FloatArray sumRows(FloatArray x) {
        if (x.rank() != 2) {
            throw new ShapeException("sumRows: expected a 2-d array, got " + Shapes.format(x.shape()));
        }
        FloatArray out = alloc(x.dim(1));
        sumRows(x, out, false);
        return out;
    }

    /**
     * Releases what the backend holds (device memory, streams, threads). Shared instances returned
     * by {@link #get(String)} live for the process; closing them is for backends created directly.
     */
    @Override
    default void close() {
    }

    /**
     * @param name {@code "cpu"}, {@code "cuda"}, another provider's name, or {@code "auto"}
     * @return the shared instance of that backend, created on first use
     * @throws BackendUnavailableException if the name is unknown or the backend cannot run here; the
     *     message lists every backend and why each is or is not available
     */
    static Ops get(String name) {
        return Backends.get(name);
    }

    /** @return the backend in force on this thread (see the class comment) */
    static Ops current() {
        return Backends.current();
    }

    /**
     * Makes a backend current on this thread until the returned scope closes, as Thinc's
     * {@code use_ops}. Scopes nest.
     *
     * @param name a backend name or {@code "auto"}
     * @return the scope; close it to restore the previous backend
     */
    static OpsScope use(String name) {
        return Backends.use(get(name));
    }

    /**
     * @param ops the backend to make current on this thread
     * @return the scope; close it to restore the previous backend
     */
    static OpsScope use(Ops ops) {
        return Backends.use(ops);
    }

    /**
     * Makes the best available GPU backend the process default, as Thinc's {@code prefer_gpu}.
     *
     * @return whether a GPU backend was found and selected
     */
    static boolean preferGpu() {
        return Backends.preferGpu();
    }

    /**
     * Makes the best GPU backend the process default or fails, as Thinc's {@code require_gpu}.
     *
     * @return the GPU backend
     * @throws BackendUnavailableException with the reason no GPU backend can run
     */
    static Ops requireGpu() {
        return Backends.requireGpu();
    }

    /** @return the providers found on the class path, highest priority first */
    static List<BackendInfo> backends() {
        return Backends.infos();
    }

    /** @return a printable table of the backends found, their priority, and why each is or isn't available */
    static String describe() {
        return Backends.describe();
    }
}
