// The arithmetic of Thinc's losses (CudaLosses).
#include "common.cuh"

// out[r, c] = gold where c == labels[r], else nongold; labels were range-checked on the host.
extern "C" __global__ void thinj_one_hot(const int* labels, float* out, int nClasses, float gold, float nongold,
                                         long long n) {
    THINJ_FOR_EACH(i, n) {
        const long long r = i / nClasses;
        const int c = (int)(i % nClasses);
        out[i] = labels[r] == c ? gold : nongold;
    }
}

// out = (guesses - truths) * mask * scale; `mask` may be null (all ones).
extern "C" __global__ void thinj_scaled_difference(const float* guesses, const float* truths, const float* mask,
                                                   float* out, float scale, long long n) {
    THINJ_FOR_EACH(i, n) {
        const float d = guesses[i] - truths[i];
        out[i] = mask ? d * mask[i] * scale : d * scale;
    }
}

// *outside = 1 if any element is NaN or outside [low, high]; the host zeroes it first. Every writer
// writes the same value, so the result does not depend on which thread wins.
extern "C" __global__ void thinj_all_in_range(const float* x, float low, float high, int* outside, long long n) {
    THINJ_FOR_EACH(i, n) {
        const float v = x[i];
        if (!(v >= low && v <= high)) {
            *outside = 1;
        }
    }
}

// One block per row of Thinc's CosineDistance, in double as ops-cpu's LossMath.cosine: with
// yh = guess + 1e-8 and y = truth + 1e-8, cos = yh.y / (|yh| |y|),
// grad = -(y / (|yh| |y|) - cos * yh / |yh|^2) * scale, rowLoss[r] = |cos - 1| * scale. Rows whose
// truth is all zeros get no gradient and no loss when ignoreZeros != 0. The host sums rowLoss.
extern "C" __global__ void thinj_cosine_distance(const float* guesses, const float* truths, float* grad,
                                                 double* rowLoss, int n, int ignoreZeros, float scale) {
    __shared__ double scratch[THINJ_BLOCK];
    const double offset = 1e-8;
    const long long o = (long long)blockIdx.x * n;
    double nyh = 0.0;
    double ny = 0.0;
    double dot = 0.0;
    double absT = 0.0;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        const double yh = guesses[o + j] + offset;
        const double y = truths[o + j] + offset;
        nyh += yh * yh;
        ny += y * y;
        dot += yh * y;
        absT += fabs((double)truths[o + j]);
    }
    nyh = sqrt(thinj_block_sum_d(nyh, scratch));
    ny = sqrt(thinj_block_sum_d(ny, scratch));
    dot = thinj_block_sum_d(dot, scratch);
    absT = thinj_block_sum_d(absT, scratch);
    const bool skip = ignoreZeros && absT == 0.0;
    const double mul = nyh * ny;
    const double cos = dot / mul;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        if (skip) {
            grad[o + j] = 0.0f;
        } else {
            const double yh = guesses[o + j] + offset;
            const double y = truths[o + j] + offset;
            const double d = y / mul - cos * (yh / (nyh * nyh));
            grad[o + j] = (float)(-d * scale);
        }
    }
    if (threadIdx.x == 0) {
        rowLoss[blockIdx.x] = skip ? 0.0 : fabs(cos - 1.0) * scale;
    }
}
