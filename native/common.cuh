// Shared device helpers of thinj's kernels. Every kernel file includes this header.
//
// Conventions (see ops-cuda's CudaContext):
//  - every kernel is `extern "C" __global__`, named `thinj_<what>`, launched with blocks of
//    THINJ_BLOCK threads;
//  - elementwise kernels are grid-stride loops over `n` elements (THINJ_FOR_EACH);
//  - row kernels get one block per row (blockIdx.x is the row) and reduce with the shared-memory
//    helpers below;
//  - no warp intrinsics and no warp-synchronous tricks: every step of a reduction is separated by
//    __syncthreads(), which keeps the kernels correct on any warp size and lets the host emulator used
//    by the tests run them.
#pragma once

#define THINJ_BLOCK 256

// Grid-stride loop over [0, n).
#define THINJ_FOR_EACH(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)

// Sum of `v` over the block; every thread gets the result. `scratch` is __shared__ float[THINJ_BLOCK].
__device__ inline float thinj_block_sum(float v, float* scratch) {
    scratch[threadIdx.x] = v;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            scratch[threadIdx.x] += scratch[threadIdx.x + s];
        }
        __syncthreads();
    }
    float total = scratch[0];
    __syncthreads();  // scratch may be reused right after
    return total;
}

// Double-precision variant, for norms and losses summed over many elements.
__device__ inline double thinj_block_sum_d(double v, double* scratch) {
    scratch[threadIdx.x] = v;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            scratch[threadIdx.x] += scratch[threadIdx.x + s];
        }
        __syncthreads();
    }
    double total = scratch[0];
    __syncthreads();
    return total;
}

// Max of `v` over the block; every thread gets the result.
__device__ inline float thinj_block_max(float v, float* scratch) {
    scratch[threadIdx.x] = v;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            scratch[threadIdx.x] = fmaxf(scratch[threadIdx.x], scratch[threadIdx.x + s]);
        }
        __syncthreads();
    }
    float m = scratch[0];
    __syncthreads();
    return m;
}

// SplitMix64's finaliser keyed by seed and counter: the same bits as dev.thinj.ops.CounterRandom.bits.
__device__ inline unsigned long long thinj_counter_bits(unsigned long long seed, unsigned long long index) {
    unsigned long long z = seed + (index + 1ULL) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Uniform in [0, 1) with 24 random bits: the same float as CounterRandom.uniform.
__device__ inline float thinj_counter_uniform(unsigned long long seed, unsigned long long index) {
    return (float)(thinj_counter_bits(seed, index) >> 40) * 5.9604644775390625e-08f;  // 2^-24
}
