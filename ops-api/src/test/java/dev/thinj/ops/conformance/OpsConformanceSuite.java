package dev.thinj.ops.conformance;

import dev.thinj.ops.Ops;
import org.junit.jupiter.api.Nested;

/**
 * The conformance suite every backend runs against itself: each kernel of {@link Ops}, forward and
 * backward, against the float64 {@code *Reference} classes on shapes from 1x1 through odd sizes to 210,000
 * elements and empty batches; the array contract (in place or not, views, copies, scopes, close);
 * and the error contract (bad shapes, indices and values; every operand of every kernel of the wrong
 * rank or extent, closed, or of another backend);
 * and batching (minibatch and multibatch through the backend's staging).
 *
 * <p>A backend module subclasses it once:
 *
 * <pre>{@code
 * class CpuConformanceTest extends OpsConformanceSuite {
 *     protected Ops ops() { return Ops.get("cpu"); }
 * }
 * }</pre>
 *
 * <p>The tests are grouped by kernel interface into nested classes, each of which asks this class
 * for the backend, so reports read {@code CpuConformanceTest$Linear}, {@code ...$Activation} and
 * so on.
 */
public abstract class OpsConformanceSuite {
    /** @return the backend under test; called once per test, so a shared instance is best */
    protected abstract Ops ops();

    /** {@link dev.thinj.ops.ArrayKernels}. */
    @Nested
    class Array extends ArrayContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** Array metadata, views, copies, {@code close()} and scopes. */
    @Nested
    class Lifecycle extends LifecycleContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** {@link dev.thinj.ops.LinearKernels}. */
    @Nested
    class Linear extends LinearContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** {@link dev.thinj.ops.ElementwiseKernels}. */
    @Nested
    class Elementwise extends ElementwiseContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** {@link dev.thinj.ops.ActivationKernels}. */
    @Nested
    class Activation extends ActivationContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** {@link dev.thinj.ops.NormalizationKernels}. */
    @Nested
    class Normalization extends NormalizationContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** {@link dev.thinj.ops.ReductionKernels}. */
    @Nested
    class Reduction extends ReductionContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** {@link dev.thinj.ops.OptimizerKernels}. */
    @Nested
    class Optimizer extends OptimizerContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** {@link dev.thinj.ops.LossKernels}. */
    @Nested
    class Loss extends LossContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** Every operand of every kernel: wrong rank, wrong extent, closed, of another backend. */
    @Nested
    class Operands extends OperandContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** Randomised properties relating kernels to each other. */
    @Nested
    class Properties extends PropertyContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }

    /** {@link dev.thinj.ops.BatchingOps}: minibatch and multibatch through the backend's staging. */
    @Nested
    class Batching extends BatchingContract {
        @Override
        protected Ops ops() {
            return OpsConformanceSuite.this.ops();
        }
    }
}
