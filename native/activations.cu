// Activation functions, their backward passes, softmax, maxout, argmax and dropout masks
// (CudaActivations), with the CPU backend's formulas (ops-cpu Activations and RowKernels).
//
// Elementwise kernels take separate input and output pointers that may be the same array: each
// element is read and written by the same thread, which is what `inplace` needs.
#include "common.cuh"

// Thinc's sigmoid clips its input to [-20, 20] first; NaN stays NaN (fmaxf/fminf would turn it into
// -20, the CPU's Math.max/min keep it).
__device__ inline float thinj_sigmoid_of(float x) {
    if (isnan(x)) {
        return x;
    }
    float c = fminf(20.0f, fmaxf(-20.0f, x));
    return 1.0f / (1.0f + expf(-c));
}

// Thinc's erf: Abramowitz and Stegun 7.1.26, so GELU matches Thinc rather than the exact erf.
__device__ inline float thinj_thinc_erf(float x) {
    float a = fabsf(x);
    float t = 1.0f / (1.0f + 0.3275911f * a);
    float y = 1.0f - (((((1.061405429f * t - 1.453152027f) * t) + 1.421413741f) * t - 0.284496736f) * t
                      + 0.254829592f) * t * expf(-a * a);
    return x > 0.0f ? y : (x < 0.0f ? -y : 0.0f * x);  // Math.signum: 0 for 0, NaN for NaN
}

__device__ inline float thinj_gaussian_cdf(float x) {
    return 0.5f * (1.0f + thinj_thinc_erf(0.70710678118654752f * x));
}

// y = max(x, 0); NaN stays NaN as with Math.max.
extern "C" __global__ void thinj_relu(const float* x, float* y, long long n) {
    THINJ_FOR_EACH(i, n) {
        float v = x[i];
        y[i] = (v > 0.0f || isnan(v)) ? v : 0.0f;
    }
}

// dX = y > 0 ? dY : 0
extern "C" __global__ void thinj_backprop_relu(const float* dY, const float* y, float* dX, long long n) {
    THINJ_FOR_EACH(i, n) { dX[i] = y[i] > 0.0f ? dY[i] : 0.0f; }
}

extern "C" __global__ void thinj_sigmoid(const float* x, float* y, long long n) {
    THINJ_FOR_EACH(i, n) { y[i] = thinj_sigmoid_of(x[i]); }
}

// dX = dY * (y * (1 - y))
extern "C" __global__ void thinj_backprop_sigmoid(const float* dY, const float* y, float* dX, long long n) {
    THINJ_FOR_EACH(i, n) {
        float v = y[i];
        dX[i] = dY[i] * (v * (1.0f - v));
    }
}

extern "C" __global__ void thinj_tanh(const float* x, float* y, long long n) {
    THINJ_FOR_EACH(i, n) { y[i] = tanhf(x[i]); }
}

// dX = dY * (1 - y^2)
extern "C" __global__ void thinj_backprop_tanh(const float* dY, const float* y, float* dX, long long n) {
    THINJ_FOR_EACH(i, n) {
        float v = y[i];
        dX[i] = dY[i] * (1.0f - v * v);
    }
}

// y = x * Phi(x)
extern "C" __global__ void thinj_gelu(const float* x, float* y, long long n) {
    THINJ_FOR_EACH(i, n) {
        float v = x[i];
        y[i] = v * thinj_gaussian_cdf(v);
    }
}

// dX = dY * (Phi(x) + x * pdf(x))
extern "C" __global__ void thinj_backprop_gelu(const float* dY, const float* x, float* dX, long long n) {
    THINJ_FOR_EACH(i, n) {
        float v = x[i];
        float d = thinj_gaussian_cdf(v) + v * 0.3989422804014327f * expf(-0.5f * v * v);
        dX[i] = dY[i] * d;
    }
}

// y = x * sigmoid(x)
extern "C" __global__ void thinj_swish(const float* x, float* y, long long n) {
    THINJ_FOR_EACH(i, n) {
        float v = x[i];
        y[i] = v * thinj_sigmoid_of(v);
    }
}

// dX = dY * (y + sigmoid(x) * (1 - y))
extern "C" __global__ void thinj_backprop_swish(const float* dY, const float* x, const float* y, float* dX,
                                               long long n) {
    THINJ_FOR_EACH(i, n) {
        float s = thinj_sigmoid_of(x[i]);
        float v = y[i];
        dX[i] = dY[i] * (v + s * (1.0f - v));
    }
}

// Softmax of one row per block (blockIdx.x) of `cols` values: y = exp(v - max(v)) / sum, with
// v = x * invT when scale != 0. `y` may be `x`. The exponentials are stored in y, then normalised
// with one multiplication by 1 / sum, as the CPU does.
extern "C" __global__ void thinj_softmax(const float* x, float* y, int cols, float invT, int scale) {
    __shared__ float scratch[THINJ_BLOCK];
    long long base = (long long)blockIdx.x * cols;
    float m = -3.402823466e+38f;  // -FLT_MAX: a row of -inf still ends in NaN, as on the CPU
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float v = scale ? x[base + j] * invT : x[base + j];
        y[base + j] = v;
        m = fmaxf(m, v);
    }
    m = thinj_block_max(m, scratch);
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float e = expf(y[base + j] - m);
        y[base + j] = e;
        s += e;
    }
    s = thinj_block_sum(s, scratch);
    float inv = 1.0f / s;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        y[base + j] *= inv;
    }
}

// Softmax backward for one row per block: d = y * (dY * invT); dX = d - y * sum(d).
extern "C" __global__ void thinj_backprop_softmax(const float* y, const float* dY, float* dX, int cols, float invT) {
    __shared__ float scratch[THINJ_BLOCK];
    long long base = (long long)blockIdx.x * cols;
    float dot = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float d = y[base + j] * (dY[base + j] * invT);
        dX[base + j] = d;
        dot += d;
    }
    dot = thinj_block_sum(dot, scratch);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        dX[base + j] -= y[base + j] * dot;
    }
}

// Narrow rows (a few classes) leave most of a row-per-block launch idle: these variants give each row
// one thread, looping over its columns in the CPU's order. `rows` rows of `cols` values.
extern "C" __global__ void thinj_softmax_narrow(const float* x, float* y, int cols, float invT, int scale,
                                                long long rows) {
    THINJ_FOR_EACH(r, rows) {
        long long base = r * cols;
        float m = -3.402823466e+38f;
        for (int j = 0; j < cols; j++) {
            float v = scale ? x[base + j] * invT : x[base + j];
            y[base + j] = v;
            m = fmaxf(m, v);
        }
        float s = 0.0f;
        for (int j = 0; j < cols; j++) {
            float e = expf(y[base + j] - m);
            y[base + j] = e;
            s += e;
        }
        float inv = 1.0f / s;
        for (int j = 0; j < cols; j++) {
            y[base + j] *= inv;
        }
    }
}

extern "C" __global__ void thinj_backprop_softmax_narrow(const float* y, const float* dY, float* dX, int cols,
                                                         float invT, long long rows) {
    THINJ_FOR_EACH(r, rows) {
        long long base = r * cols;
        float dot = 0.0f;
        for (int j = 0; j < cols; j++) {
            float d = y[base + j] * (dY[base + j] * invT);
            dX[base + j] = d;
            dot += d;
        }
        for (int j = 0; j < cols; j++) {
            dX[base + j] -= y[base + j] * dot;
        }
    }
}

// Maxout over groups of `pieces` consecutive values: best[g] = the first maximum, which[g] its piece.
// Strictly greater wins, as on the CPU (a NaN never replaces the running maximum).
extern "C" __global__ void thinj_maxout(const float* x, float* best, int* which, int pieces, long long groups) {
    THINJ_FOR_EACH(g, groups) {
        long long o = g * pieces;
        int w = 0;
        float v = x[o];
        for (int p = 1; p < pieces; p++) {
            float c = x[o + p];
            if (c > v) {
                v = c;
                w = p;
            }
        }
        best[g] = v;
        which[g] = w;
    }
}

// dX (zeroed by the host) gets dY[g] at piece which[g] of group g. The host checks `which` when it
// knows its values; one made on the device (by maxout) is checked here instead of downloading it: an
// index outside [0, pieces) writes nothing and sets *fault to 2 (CudaContext.FAULT_MAXOUT_PIECE),
// reported at the next synchronisation.
extern "C" __global__ void thinj_backprop_maxout(const float* dY, const int* which, float* dX, int pieces,
                                               long long groups, int* fault) {
    THINJ_FOR_EACH(g, groups) {
        int w = which[g];
        if (w >= 0 && w < pieces) {
            dX[g * pieces + w] = dY[g];
        } else {
            *fault = 2;
        }
    }
}

// Whether value a at index ia comes before b at ib in argmax order: larger first, NaN above every
// number (the CPU takes the first NaN), and the lower index among equals.
__device__ inline bool thinj_argmax_before(float a, int ia, float b, int ib) {
    bool na = isnan(a);
    bool nb = isnan(b);
    if (na != nb) {
        return na;
    }
    if (!na && a != b) {
        return a > b;
    }
    return ia < ib;
}

// Argmax of one row per block of `cols` values (cols >= 1): the first index of the maximum.
extern "C" __global__ void thinj_argmax(const float* x, int* out, int cols) {
    __shared__ float value[THINJ_BLOCK];
    __shared__ int index[THINJ_BLOCK];
    long long base = (long long)blockIdx.x * cols;
    int bi = -1;
    float bv = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float v = x[base + j];
        if (bi < 0 || thinj_argmax_before(v, j, bv, bi)) {
            bv = v;
            bi = j;
        }
    }
    value[threadIdx.x] = bv;
    index[threadIdx.x] = bi;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            int t = threadIdx.x;
            int oi = index[t + s];
            // A thread that saw no column (cols < blockDim.x) holds index -1 and never wins.
            if (oi >= 0 && (index[t] < 0 || thinj_argmax_before(value[t + s], oi, value[t], index[t]))) {
                value[t] = value[t + s];
                index[t] = oi;
            }
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        out[blockIdx.x] = index[0];
    }
}

// Argmax of narrow rows, one thread per row (cols >= 1), in the CPU's order.
extern "C" __global__ void thinj_argmax_narrow(const float* x, int* out, int cols, long long rows) {
    THINJ_FOR_EACH(r, rows) {
        long long base = r * cols;
        int best = 0;
        float bv = x[base];
        for (int j = 1; j < cols; j++) {
            float v = x[base + j];
            if (v > bv || (isnan(v) && !isnan(bv))) {
                bv = v;
                best = j;
            }
        }
        out[r] = best;
    }
}

// Dropout mask: keep where the counter draw is >= rate (the same draw as CounterRandom.uniform).
extern "C" __global__ void thinj_dropout_mask(float* mask, unsigned long long seed, float rate, float keep,
                                            long long n) {
    THINJ_FOR_EACH(i, n) { mask[i] = thinj_counter_uniform(seed, (unsigned long long)i) >= rate ? keep : 0.0f; }
}
