package dev.thinj.ops;

import dev.thinj.ops.batching.BatchStaging;
import dev.thinj.ops.batching.DefaultBatchStaging;
import java.util.List;

/**
 * A backend: it owns arrays and runs every kernel that layers, losses and optimizers need. The
 * kernels are grouped by job in the interfaces this one extends.
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

    /**
     * Stages batches through the public kernels; a backend overrides this to stage them more
     * directly (see {@link BatchStaging}).
     *
     * @return a new staging for one pass
     */
    @Override
    default BatchStaging batchStaging() {
        return new DefaultBatchStaging(this);
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
