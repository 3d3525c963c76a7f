// Layer normalisation, forward and backward (CudaNormalization). Row statistics reduce in double
// within one block per row, as the CPU backend sums each row in double; the parameter gradients are
// column sums done in two deterministic passes (no atomics), so two runs give the same bits.
#include "common.cuh"

// One block per row: mean[r] = mean(x[r]), var[r] = var(x[r]) + 1e-8, y[r] = (x[r] - mu) / sqrt(var) * g + b.
// The arithmetic order follows ops-cpu's RowKernels.layerNorm: the deviations are float differences
// widened to double, the variance is rounded to float before the epsilon is added.
extern "C" __global__ void thinj_layer_norm(const float* x, const float* g, const float* b, float* y, float* mean,
                                            float* var, int n) {
    __shared__ double scratch[THINJ_BLOCK];
    const long long o = (long long)blockIdx.x * n;
    double s = 0.0;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        s += x[o + j];
    }
    const float mu = (float)(thinj_block_sum_d(s, scratch) / n);
    double ss = 0.0;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        const double d = (double)(x[o + j] - mu);
        ss += d * d;
    }
    const float v = (float)(thinj_block_sum_d(ss, scratch) / n) + 1e-8f;
    if (threadIdx.x == 0) {
        mean[blockIdx.x] = mu;
        var[blockIdx.x] = v;
    }
    const float inv = (float)(1.0 / sqrt((double)v));
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        y[o + j] = (x[o + j] - mu) * inv * g[j] + b[j];
    }
}

// One block per row: dX = (n * dY' - sum(dY') - (X - mu) / var * sum(dY' * (X - mu))) * invStd / n,
// dY' = dY * g, the two row sums in double (RowKernels.backpropLayerNorm's order).
extern "C" __global__ void thinj_layer_norm_backprop(const float* dY, const float* x, const float* g, const float* mean,
                                                     const float* var, float* dX, int n) {
    __shared__ double scratch[THINJ_BLOCK];
    const long long o = (long long)blockIdx.x * n;
    const float mu = mean[blockIdx.x];
    const float v = var[blockIdx.x];
    const float invStd = (float)(1.0 / sqrt((double)v));
    double sumDy = 0.0;
    double sumDyDist = 0.0;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        const float dist = x[o + j] - mu;
        const float dyg = dY[o + j] * g[j];
        sumDy += dyg;
        sumDyDist += (double)(dyg * dist);
    }
    const float sDy = (float)thinj_block_sum_d(sumDy, scratch);
    const float sDyDist = (float)thinj_block_sum_d(sumDyDist, scratch);
    const float invVar = 1.0f / v;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        const float dist = x[o + j] - mu;
        const float dyg = dY[o + j] * g[j];
        const float dxhat = n * dyg - sDy - dist * invVar * sDyDist;
        dX[o + j] = dxhat * invStd / n;
    }
}

// First pass of the parameter gradients. Block k covers the columns [tile * 256, tile * 256 + 256) of
// the rows [chunk * chunkRows, ...) with tile = k % tiles, chunk = k / tiles; each thread sums one
// column of its chunk in double and writes partial[chunk * n + j] (dGain's terms dY * (X - mu) / std)
// and partial[(chunks + chunk) * n + j] (dBias's terms dY).
extern "C" __global__ void thinj_layer_norm_param_partials(const float* dY, const float* x, const float* mean,
                                                           const float* var, int rows, int n, int tiles,
                                                           int chunkRows, int chunks, double* partial) {
    const int tile = blockIdx.x % tiles;
    const int chunk = blockIdx.x / tiles;
    const int j = tile * THINJ_BLOCK + threadIdx.x;
    if (j >= n) {
        return;  // no __syncthreads below: leaving early is safe
    }
    const int from = chunk * chunkRows;
    const int to = min(rows, from + chunkRows);
    double sg = 0.0;
    double sb = 0.0;
    for (int r = from; r < to; r++) {
        const float invStd = (float)(1.0 / sqrt((double)var[r]));
        const float dy = dY[(long long)r * n + j];
        const float dist = x[(long long)r * n + j] - mean[r];
        sg += dy * dist * invStd;
        sb += dy;
    }
    partial[(long long)chunk * n + j] = sg;
    partial[(long long)(chunks + chunk) * n + j] = sb;
}

// Second pass: dGain[j] += sum of the chunks' partials, dBias[j] likewise, chunks in order.
extern "C" __global__ void thinj_layer_norm_param_finish(const double* partial, int n, int chunks, float* dGain,
                                                         float* dBias) {
    THINJ_FOR_EACH(j, n) {
        double sg = 0.0;
        double sb = 0.0;
        for (int c = 0; c < chunks; c++) {
            sg += partial[(long long)c * n + j];
            sb += partial[(long long)(chunks + c) * n + j];
        }
        dGain[j] += (float)sg;
        dBias[j] += (float)sb;
    }
}
