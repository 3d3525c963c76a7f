/**
 * The CPU backend, registered as {@code cpu}. Arrays live in heap {@code float[]}s (the JIT
 * vectorises loops over them; {@code benchmarks/MemoryLayoutBenchmark} records why we chose this over
 * off-heap memory); GEMM runs in OpenBLAS through Bytedeco's presets; elementwise kernels split over
 * one fixed pool when arrays are large and stay on the caller's thread when small.
 */
package dev.thinj.ops.cpu;
