// Elementwise arithmetic and whole-array sums (CudaElementwise).
#include "common.cuh"

// out = a + b; `out` may alias `a` (addInPlace).
extern "C" __global__ void thinj_add(const float* a, const float* b, float* out, long long n) {
    THINJ_FOR_EACH(i, n) { out[i] = a[i] + b[i]; }
}

extern "C" __global__ void thinj_sub(const float* a, const float* b, float* out, long long n) {
    THINJ_FOR_EACH(i, n) { out[i] = a[i] - b[i]; }
}

extern "C" __global__ void thinj_mul(const float* a, const float* b, float* out, long long n) {
    THINJ_FOR_EACH(i, n) { out[i] = a[i] * b[i]; }
}

// out = a * factor; `out` may alias `a`.
extern "C" __global__ void thinj_scale(const float* a, float* out, float factor, long long n) {
    THINJ_FOR_EACH(i, n) { out[i] = a[i] * factor; }
}

// y += alpha * x
extern "C" __global__ void thinj_axpy(float alpha, const float* x, float* y, long long n) {
    THINJ_FOR_EACH(i, n) { y[i] += alpha * x[i]; }
}

// First pass of a sum: block b writes the double sum of its grid-stride share to partial[b].
// squares != 0 sums x^2 instead of x.
extern "C" __global__ void thinj_partial_sums(const float* x, long long n, int squares, double* partial) {
    __shared__ double scratch[THINJ_BLOCK];
    double acc = 0.0;
    THINJ_FOR_EACH(i, n) {
        double v = x[i];
        acc += squares ? v * v : v;
    }
    double total = thinj_block_sum_d(acc, scratch);
    if (threadIdx.x == 0) {
        partial[blockIdx.x] = total;
    }
}

// Second pass, one block: out[0] = (float) sum of partial[0..count).
extern "C" __global__ void thinj_finish_sum(const double* partial, int count, float* out) {
    __shared__ double scratch[THINJ_BLOCK];
    double acc = 0.0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) {
        acc += partial[i];
    }
    double total = thinj_block_sum_d(acc, scratch);
    if (threadIdx.x == 0) {
        out[0] = (float) total;
    }
}
