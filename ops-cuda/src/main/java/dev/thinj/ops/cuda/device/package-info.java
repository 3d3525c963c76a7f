/**
 * The device layer under the CUDA backend: the {@link dev.thinj.ops.cuda.device.Device} interface
 * (memory, copies, streams, events, launches, GEMM by {@code long} handles), its Bytedeco CUDA 13
 * implementation, kernel compilation, the caching {@link dev.thinj.ops.cuda.device.DevicePool} and
 * the reusable launch argument block {@link dev.thinj.ops.cuda.device.KernelArgs}.
 */
package dev.thinj.ops.cuda.device;
