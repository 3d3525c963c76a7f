// The optimizers' fused updates and gradient clipping (CudaOptimizers). Each update reads and writes
// every array once and zeroes the gradient in the same pass, in the operation order of ops-cpu's
// OptimizerMath, so one step costs one launch.
#include "common.cuh"

// One element of Thinc's Adam: m1 = b1*m1 + (1-b1)*g; m2 = b2*m2 + (1-b2)*g^2; g = 0; returns the new
// weight w - lr * m1 / (mod*sqrt(m2) + eps), which the caller stores (ob1 = 1 - b1, ob2 = 1 - b2).
__device__ inline float thinj_adam_element(long long i, const float* w, float* g, float* m1, float* m2, float b1,
                                           float b2, float ob1, float ob2, float eps, float lr, float mod) {
    const float gi = g[i];
    const float a = m1[i] * b1 + gi * ob1;
    const float v = m2[i] * b2 + ob2 * (gi * gi);
    m1[i] = a;
    m2[i] = v;
    g[i] = 0.0f;
    return w[i] - lr * (a / (mod * sqrtf(v) + eps));
}

// Thinc's Adam, thinj_adam_element over every weight.
extern "C" __global__ void thinj_adam(float* w, float* g, float* m1, float* m2, float b1, float b2, float eps,
                                      float lr, float mod, long long n) {
    const float ob1 = 1.0f - b1;
    const float ob2 = 1.0f - b2;
    THINJ_FOR_EACH(i, n) {
        w[i] = thinj_adam_element(i, w, g, m1, m2, b1, b2, ob1, ob2, eps, lr, mod);
    }
}

// Thinc's whole Adam update of a parameter (CpuOptimizers.adamUpdate's order): Adam as above; then
// w += decay * w when decay != 0 (L2 as weight decay); then ema -= k * (ema - w) when ema is given.
extern "C" __global__ void thinj_adam_update(float* w, float* g, float* m1, float* m2, float* ema, float b1, float b2,
                                             float eps, float lr, float mod, float decay, float k, long long n) {
    const float ob1 = 1.0f - b1;
    const float ob2 = 1.0f - b2;
    THINJ_FOR_EACH(i, n) {
        float wi = thinj_adam_element(i, w, g, m1, m2, b1, b2, ob1, ob2, eps, lr, mod);
        if (decay != 0.0f) {
            wi += decay * wi;
        }
        w[i] = wi;
        if (ema != nullptr) {
            ema[i] -= k * (ema[i] - wi);
        }
    }
}

// Thinc's RAdam: the moments as Adam's; w -= step * m1 / (sqrt(m2) + eps) when rectified, else
// w -= step * m1; g = 0.
extern "C" __global__ void thinj_radam(float* w, float* g, float* m1, float* m2, float b1, float b2, float eps,
                                       float step, int rectified, long long n) {
    const float ob1 = 1.0f - b1;
    const float ob2 = 1.0f - b2;
    THINJ_FOR_EACH(i, n) {
        const float gi = g[i];
        const float v = m2[i] * b2 + ob2 * (gi * gi);
        const float a = m1[i] * b1 + ob1 * gi;
        m2[i] = v;
        m1[i] = a;
        if (rectified) {
            w[i] -= step * (a / (sqrtf(v) + eps));
        } else {
            w[i] -= step * a;
        }
        g[i] = 0.0f;
    }
}

// w -= lr * g; g = 0.
extern "C" __global__ void thinj_sgd(float* w, float* g, float lr, long long n) {
    THINJ_FOR_EACH(i, n) {
        w[i] -= lr * g[i];
        g[i] = 0.0f;
    }
}

// ema -= (1 - decay) * (ema - w); the host computes 1 - decay in double, as CpuOps.
extern "C" __global__ void thinj_update_averages(float* ema, const float* w, float oneMinusDecay, long long n) {
    THINJ_FOR_EACH(i, n) {
        ema[i] -= oneMinusDecay * (ema[i] - w[i]);
    }
}

// Second pass of clipGradient, one block: norm = sqrt(sum of partial[0..count)); factor[0] becomes
// threshold / norm when norm >= threshold && norm > 0, else 1. A NaN norm leaves factor 1 (the gradient
// untouched) and writes `faultCode` into *fault, which the host reports at its next synchronisation.
extern "C" __global__ void thinj_clip_norm(const double* partial, int count, float threshold, float* factor,
                                           int* fault, int faultCode) {
    __shared__ double scratch[THINJ_BLOCK];
    double acc = 0.0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) {
        acc += partial[i];
    }
    const double norm = sqrt(thinj_block_sum_d(acc, scratch));
    if (threadIdx.x == 0) {
        float f = 1.0f;
        if (isnan(norm)) {
            *fault = faultCode;
        } else if (norm >= threshold && norm > 0.0) {
            f = (float)((double)threshold / norm);
        }
        factor[0] = f;
    }
}

// Third pass: g *= factor[0], skipped when the second pass decided to keep the gradient as it is.
extern "C" __global__ void thinj_clip_scale(float* g, const float* factor, long long n) {
    const float f = factor[0];
    if (f == 1.0f) {
        return;  // nothing to rescale (or a NaN norm, reported through the fault flag)
    }
    THINJ_FOR_EACH(i, n) {
        g[i] *= f;
    }
}
