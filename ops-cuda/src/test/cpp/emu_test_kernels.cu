// Test-only kernels for the emulator's own tests (EmulatedDeviceTest): they are registered like the
// kernels of native/ but never shipped. Each exercises one property of the emulation.
#include "common.cuh"

// Every thread writes its value to shared memory, then reads its right neighbour's. With `sync` the
// barrier makes that read see the neighbour's write; without it the read races the write, and the
// emulator's shuffled thread order must make some threads see stale data.
extern "C" __global__ void thinj_test_neighbour(const float* x, float* out, int sync) {
    __shared__ float s[THINJ_BLOCK];
    unsigned t = threadIdx.x;
    s[t] = x[blockIdx.x * blockDim.x + t];
    if (sync) {  // uniform over the block, so every thread reaches the barrier or none does
        __syncthreads();
    }
    out[blockIdx.x * blockDim.x + t] = s[(t + 1) % blockDim.x];
    __syncthreads();  // s is overwritten by the next block's threads
}

// Only half the block reaches the barrier: undefined on a GPU, reported by the emulator.
extern "C" __global__ void thinj_test_divergent_barrier(float* out) {
    if (threadIdx.x < blockDim.x / 2) {
        __syncthreads();
    }
    out[threadIdx.x] = 1.0f;
}

// Two halves of the block wait at two different barriers: also reported.
extern "C" __global__ void thinj_test_split_barrier(float* out) {
    if (threadIdx.x < blockDim.x / 2) {
        __syncthreads();
        out[threadIdx.x] = 1.0f;
    } else {
        __syncthreads();
        out[threadIdx.x] = 2.0f;
    }
}

// One block per row of x (rows x cols): out[row] = {sum, max} through common.cuh's block reductions.
extern "C" __global__ void thinj_test_row_sum_max(const float* x, int cols, float* out) {
    __shared__ float scratch[THINJ_BLOCK];
    const float* row = x + (long long) blockIdx.x * cols;
    float acc = 0.0f;
    float m = -INFINITY;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        acc += row[j];
        m = fmaxf(m, row[j]);
    }
    float total = thinj_block_sum(acc, scratch);
    float best = thinj_block_max(m, scratch);
    if (threadIdx.x == 0) {
        out[2 * blockIdx.x] = total;
        out[2 * blockIdx.x + 1] = best;
    }
}

// Every parameter type the kernel rules allow, each written back as a double: out[i] is parameter i.
extern "C" __global__ void thinj_test_param_types(double* out, int i, long long l, float f, double d,
        unsigned long long u, const int* p) {
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        out[0] = (double) i;
        out[1] = (double) l;
        out[2] = (double) f;
        out[3] = d;
        out[4] = (double) u;
        out[5] = (double) p[0];
    }
}
