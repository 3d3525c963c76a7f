/**
 * The CUDA backend: {@link dev.thinj.ops.cuda.CudaOps}, registered as {@code cuda} by
 * {@code CudaOpsProvider}. Arrays live in device memory from a caching pool; GEMM runs on cuBLAS;
 * every other kernel is CUDA C++ from the repository's {@code native/} folder, compiled for the
 * device at first use. One class per kernel group of the SPI ({@code CudaArrays},
 * {@code CudaLinear}, {@code CudaElementwise}, ...), all sharing one {@code CudaContext} (device,
 * compute stream, pool, launch shapes).
 */
package dev.thinj.ops.cuda;
