/**
 * An emulated CUDA device, so that the CUDA backend is tested on machines without a GPU (this
 * project's development machines and CI).
 *
 * <p>{@link dev.thinj.ops.cuda.emulated.EmulatedDevice} implements the backend's
 * {@link dev.thinj.ops.cuda.device.Device} with a small JNI library built from
 * {@code src/test/cpp} at {@code process-test-classes}: the very {@code native/*.cu} sources that
 * NVRTC compiles for the GPU are compiled by g++ with a CUDA emulation header ({@code cuda_emu.h}) and
 * executed on the host, each block's threads as fibers that switch at {@code __syncthreads()}. The
 * real {@code CudaOps} drives it through the same kernel names and the same argument slots as
 * {@code cuLaunchKernel}, so the conformance suite run on it checks the Java side (validation,
 * launches, memory management) and the kernels' arithmetic together.
 *
 * <p>What it cannot check: timing and concurrency between streams (everything is synchronous),
 * warp-level behaviour (warp intrinsics are not emulated, and the kernel rules forbid them), the GPU's
 * FMA contraction and fast-math functions (results may differ from the GPU's in the last bits), and
 * out-of-bounds accesses inside a kernel that stay within host memory. It is stricter than a GPU where
 * that is cheap: barrier divergence, pointer arguments outside live allocations, argument counts and
 * out-of-range copies are reported as {@link dev.thinj.ops.cuda.device.CudaException}s, and threads
 * run in a different order after every barrier so a missing {@code __syncthreads()} gives a wrong
 * answer rather than a lucky right one.
 *
 * <p>{@link dev.thinj.ops.cuda.emulated.Emulated#ops()} is the backend the emulated test suites share;
 * {@link dev.thinj.ops.cuda.emulated.RequiresEmulator} skips a test class, naming the reason, where no
 * C++ compiler was available to build the library.
 */
package dev.thinj.ops.cuda.emulated;
