// The emulator's kernel registry. build_emu.sh generates one wrapper per kernel source:
//
//     namespace {
//     #include "elementwise.cu"
//     }
//     THINJ_EMU_REGISTER(thinj_add, "elementwise.cu")
//     ...
//
// (compiled with -include cuda_emu.h -include emu_registry.h). The anonymous namespace keeps each
// file's helper functions private to it, as separately compiled modules are on the GPU; the
// `extern "C"` kernels stay global, so a kernel name defined twice fails to link, as it should.
//
// Each registration unpacks cuLaunchKernel's `void** kernelParams` (one pointer per parameter, to the
// parameter's value) into the kernel's typed parameters: `*(A*)params[i]` for parameter i of type A.
#pragma once

#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

namespace thinj_emu {

using Invoker = void (*)(void** params);

/** What the launcher knows of a kernel: how to call it, and its parameter list. */
struct KernelInfo {
    const char* name;
    const char* source;
    Invoker invoke;
    int arity;
    // Bit i set: parameter i is a pointer (checked against the device's allocations at launch).
    uint32_t pointerMask;
};

/** Adds a kernel at static-initialisation time (emu_runtime.cpp). */
void registerKernel(const KernelInfo& info);

template <class... A, std::size_t... I>
inline void unpack(void (*f)(A...), void** params, std::index_sequence<I...>) {
    f(*static_cast<std::remove_cv_t<std::remove_reference_t<A>>*>(params[I])...);
}

template <class... A>
constexpr int arityOf(void (*)(A...)) {
    return (int) sizeof...(A);
}

template <class... A>
constexpr uint32_t pointerMaskOf(void (*)(A...)) {
    uint32_t mask = 0;
    int i = 0;
    ((mask |= (std::is_pointer_v<A> ? (1u << i) : 0u), ++i), ...);
    return mask;
}

template <auto F>
void invoke(void** params) {
    unpack(F, params, std::make_index_sequence<arityOf(F)>{});
}

/** Registers at static-initialisation time (one object per kernel). */
struct Registration {
    Registration(const KernelInfo& info) { registerKernel(info); }
};

}  // namespace thinj_emu

#define THINJ_EMU_CONCAT2(a, b) a##b
#define THINJ_EMU_CONCAT(a, b) THINJ_EMU_CONCAT2(a, b)
#define THINJ_EMU_REGISTER(kernel, source)                                                              \
    static const thinj_emu::Registration THINJ_EMU_CONCAT(thinj_emu_registration_, kernel)(              \
            thinj_emu::KernelInfo{#kernel, source, &thinj_emu::invoke<&kernel>,                           \
                                  thinj_emu::arityOf(&kernel), thinj_emu::pointerMaskOf(&kernel)});
