/**
 * The backend abstraction every numeric operation goes through.
 *
 * <p>{@link dev.thinj.ops.Ops} is the interface a backend implements: it creates and owns
 * {@link dev.thinj.ops.FloatArray}s and {@link dev.thinj.ops.IntArray}s (rank 1 to 4, row-major) and
 * runs the kernels grouped in {@code ArrayKernels}, {@code LinearKernels}, {@code ElementwiseKernels},
 * {@code ActivationKernels}, {@code NormalizationKernels}, {@code ReductionKernels},
 * {@code OptimizerKernels} and {@code LossKernels}. Kernel definitions follow Thinc's
 * {@code thinc/backends/ops.py}. Backends are selected at run time ({@link dev.thinj.ops.Ops#get},
 * {@link dev.thinj.ops.Ops#current}, {@link dev.thinj.ops.Ops#use}); model code never names one.
 *
 * <p>Errors are unchecked and share the root {@link dev.thinj.ops.ThinjException}.
 */
package dev.thinj.ops;
