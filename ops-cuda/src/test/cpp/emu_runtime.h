// The emulated device's execution engine, as the JNI layer (emu_jni.cpp) sees it.
#pragma once

#include <string>

#include "emu_registry.h"

namespace thinj_emu {

/** @return how many kernels the generated wrappers registered */
int kernelCount();

/** @return the kernel at {@code index} (0 to kernelCount() - 1) */
const KernelInfo& kernelAt(int index);

/** @return the index of the kernel called {@code name}, or -1 */
int findKernel(const char* name);

/**
 * Runs a launch to completion on the calling thread: `grid` blocks of `block` threads, one block after
 * another, each block's threads as fibers. Not reentrant: the caller serialises launches.
 *
 * @return empty, or what went wrong (barrier divergence, a block size out of range)
 */
std::string launch(const KernelInfo& kernel, unsigned grid, unsigned block, void** params);

/** Sets the launch count the next launch's thread and block orders derive from. The caller serialises. */
void restartLaunchCount(uint64_t count);

}  // namespace thinj_emu
