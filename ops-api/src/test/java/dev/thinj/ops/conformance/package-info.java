/**
 * The conformance suite every backend runs against itself, shipped in the ops-api test-jar.
 *
 * <p><b>Using it.</b> A backend module depends on {@code thinj-ops-api} with
 * {@code <type>test-jar</type>} and {@code <scope>test</scope>} (plus
 * {@code junit-jupiter-params}), and subclasses {@link dev.thinj.ops.conformance.OpsConformanceSuite}
 * once:
 *
 * <pre>{@code
 * class CudaConformanceTest extends OpsConformanceSuite {
 *     protected Ops ops() { return Ops.get("cuda"); }
 * }
 * }</pre>
 *
 * The suite's tests then run against that backend, grouped into nested classes by kernel interface
 * ({@code $Linear}, {@code $Activation}, ..., {@code $Operands}, {@code $Properties}).
 * {@link dev.thinj.ops.conformance.ThincFixtureSuite} is subclassed the same way and replays numbers
 * recorded from Thinc itself.
 *
 * <p><b>What it checks.</b> Every kernel, forward and backward, against
 * the {@code *Reference} classes (one per kernel group), plain float64 loops written from the kernels' Javadoc
 * and Thinc 8.1.7, on shapes from 1x1 through odd sizes to 300x700 (past any parallel split) and
 * empty batches; the array contract (in-place kernels return their argument, the others leave
 * inputs untouched, reshape views share memory, copies do not, scopes close temporaries); and the
 * error contract (bad shapes, indices and values raise a {@link dev.thinj.ops.ThinjException} or
 * {@link java.lang.IllegalArgumentException} naming the kernel; closed arrays and arrays of another
 * backend raise {@link dev.thinj.ops.ArrayStateException}).
 *
 * <p><b>Tolerances.</b> Float32 results are compared with
 * {@code |actual - expected| <= rel * max(1, |expected|) + cond * scale}: {@code rel = 1e-5} for
 * elementwise kernels, {@code 1e-4} with {@code cond = 1e-6} times the sum of absolute terms for
 * products and reductions (see {@code Approx}). Every random input comes from a generator seeded by
 * the test case, so a failure reproduces when that one case is rerun.
 */
package dev.thinj.ops.conformance;
