// The CUDA dialect of thinj's kernels (native/*.cu), as host C++17: force-included before each kernel
// source so the very same file that NVRTC compiles for the GPU compiles with g++ for the emulated
// device of the tests (ops-cuda/src/test/java/dev/thinj/ops/cuda/emulated).
//
// Execution model (emu_runtime.cpp): the blocks of a launch run one after another on the calling
// thread; the threads of a block are fibers on that one OS thread. A fiber runs until it returns or
// reaches __syncthreads(); when every fiber of the block has arrived, the next phase starts, in a
// different deterministic order, so a missing barrier shows up as a wrong answer instead of passing by
// luck. Because blocks never overlap, a function-local `static` is exactly one block's shared memory.
//
// Only what the kernel rules in native/README.md allow is defined. Warp intrinsics (__shfl*,
// __ballot*, __syncwarp), `extern __shared__`, printf and cooperative groups are deliberately missing,
// so a kernel that uses them fails to compile here, as the rules say it must not use them.
#pragma once

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <type_traits>

// ---- qualifiers --------------------------------------------------------------------------------
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __launch_bounds__(...)
// One block runs at a time, so a static local is shared by exactly the threads of the running block.
// `extern __shared__` (dynamic shared memory) becomes `extern static`: a compile error, as intended.
#define __shared__ static
#define __constant__ static const
// __restrict__ is a g++ keyword already.

// ---- built-in variables ------------------------------------------------------------------------
struct uint3 {
    unsigned int x, y, z;
};
struct dim3 {
    unsigned int x, y, z;
};

// Set by the scheduler before it switches to a fiber (threadIdx) or starts a block (blockIdx).
// Reading them after __syncthreads() is safe: the barrier is an opaque call, so the compiler reloads.
extern uint3 threadIdx;
extern uint3 blockIdx;
extern dim3 blockDim;
extern dim3 gridDim;

// ---- synchronisation -----------------------------------------------------------------------------
// Suspends the calling fiber until every thread of its block has arrived. The call site is recorded
// so that threads waiting at different barriers, or a barrier some threads skip, are reported.
void thinj_emu_syncthreads(const char* file, int line);
#define __syncthreads() thinj_emu_syncthreads(__FILE__, __LINE__)

// Memory fences order nothing on one OS thread.
inline void __threadfence() {}
inline void __threadfence_block() {}

// ---- math --------------------------------------------------------------------------------------
// <math.h> (libstdc++'s wrapper) already gives expf, logf, tanhf, erff, sqrtf, fmaxf, fminf, fabsf,
// fmaf, powf, isnan, isinf, isfinite, INFINITY, NAN in the global namespace.
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / sqrt(x); }
inline float __expf(float x) { return expf(x); }
inline float __logf(float x) { return logf(x); }
inline float __powf(float x, float y) { return powf(x, y); }
inline float __fdividef(float x, float y) { return x / y; }
inline float fdividef(float x, float y) { return x / y; }
inline float __saturatef(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x); }
inline float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }

inline int __float_as_int(float f) {
    int i;
    memcpy(&i, &f, 4);
    return i;
}
inline unsigned int __float_as_uint(float f) {
    unsigned int i;
    memcpy(&i, &f, 4);
    return i;
}
inline float __int_as_float(int i) {
    float f;
    memcpy(&f, &i, 4);
    return f;
}
inline float __uint_as_float(unsigned int i) {
    float f;
    memcpy(&f, &i, 4);
    return f;
}
inline long long __double_as_longlong(double d) {
    long long i;
    memcpy(&i, &d, 8);
    return i;
}
inline double __longlong_as_double(long long i) {
    double d;
    memcpy(&d, &i, 8);
    return d;
}

// CUDA's integer (and mixed) min/max overloads: the usual arithmetic conversions, as in CUDA.
template <class A, class B, class = std::enable_if_t<std::is_arithmetic_v<A> && std::is_arithmetic_v<B>>>
inline std::common_type_t<A, B> min(A a, B b) {
    using C = std::common_type_t<A, B>;
    return (C) b < (C) a ? (C) b : (C) a;
}
template <class A, class B, class = std::enable_if_t<std::is_arithmetic_v<A> && std::is_arithmetic_v<B>>>
inline std::common_type_t<A, B> max(A a, B b) {
    using C = std::common_type_t<A, B>;
    return (C) a < (C) b ? (C) b : (C) a;
}

// Read-only cache load: a plain load here.
template <class T>
inline T __ldg(const T* p) {
    return *p;
}

// ---- atomics -----------------------------------------------------------------------------------
// Fibers switch only at __syncthreads() and blocks run one at a time, so a read-modify-write is atomic.
inline float atomicAdd(float* p, float v) {
    float old = *p;
    *p = old + v;
    return old;
}
inline double atomicAdd(double* p, double v) {
    double old = *p;
    *p = old + v;
    return old;
}
inline int atomicAdd(int* p, int v) {
    int old = *p;
    *p = old + v;
    return old;
}
inline unsigned int atomicAdd(unsigned int* p, unsigned int v) {
    unsigned int old = *p;
    *p = old + v;
    return old;
}
inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
    unsigned long long old = *p;
    *p = old + v;
    return old;
}
inline int atomicMax(int* p, int v) {
    int old = *p;
    if (v > old) *p = v;
    return old;
}
inline int atomicMin(int* p, int v) {
    int old = *p;
    if (v < old) *p = v;
    return old;
}
inline int atomicExch(int* p, int v) {
    int old = *p;
    *p = v;
    return old;
}
inline float atomicExch(float* p, float v) {
    float old = *p;
    *p = v;
    return old;
}
inline int atomicCAS(int* p, int compare, int v) {
    int old = *p;
    if (old == compare) *p = v;
    return old;
}
inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long compare, unsigned long long v) {
    unsigned long long old = *p;
    if (old == compare) *p = v;
    return old;
}
