/**
 * The CPU backend, registered as {@code cpu}. Arrays live in heap {@code float[]}s (the JIT
 * vectorises loops over them; {@code benchmarks/MemoryLayoutBenchmark} records why we chose this over
 * off-heap memory); GEMM runs in single-threaded OpenBLAS calls through Bytedeco's presets and a small
 * JNI shim ({@link dev.thinj.ops.cpu.CriticalBlas}), a large product cut into blocks over the
 * backend's one pool ({@link dev.thinj.ops.cpu.Parallel}), which also splits large elementwise
 * kernels; small ones stay on the caller's thread and call their loop directly. The loops themselves
 * are plain static methods by kind ({@code ElementwiseMath}, {@code ActivationMath}, {@code RowKernels},
 * {@code LossMath}, {@code OptimizerMath}); the few the JIT leaves scalar run vectorised in the same
 * shim ({@link dev.thinj.ops.cpu.CriticalKernels}). A training step allocates under 1 KB of objects.
 */
package dev.thinj.ops.cpu;
