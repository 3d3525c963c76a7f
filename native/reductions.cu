// Thinc's sequence reductions (CudaReductions). A (total, n) array holds sequences laid end to end;
// `offsets` (sequences + 1 ints, computed and uploaded by the host) gives the first row of each
// sequence and, last, the total. Forward kernels give each output element (s, j) one thread that
// walks its sequence's rows in order, so sums add in the same order as the CPU backend's; adjacent
// threads read adjacent columns. Backward kernels give each input row element one thread.
#include "common.cuh"

// The sequence holding row r: the last s with offsets[s] <= r (binary search; empty sequences share
// their offset with the next one, and the search skips them by taking the last match).
__device__ inline int thinj_sequence_of(const int* offsets, int sequences, int r) {
    int lo = 0;
    int hi = sequences - 1;
    while (lo < hi) {
        const int mid = (lo + hi + 1) / 2;
        if (offsets[mid] <= r) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return lo;
}

// y[s, j] = sum of x[r, j] over the rows of sequence s (0 when empty); mean != 0 then multiplies by
// 1 / length, as SequenceKernels.reduceSum does.
extern "C" __global__ void thinj_reduce_sum(const float* x, const int* offsets, float* y, int sequences, int n,
                                            int mean) {
    THINJ_FOR_EACH(i, (long long)sequences * n) {
        const int s = (int)(i / n);
        const int j = (int)(i % n);
        const int from = offsets[s];
        const int to = offsets[s + 1];
        float acc = 0.0f;
        for (int r = from; r < to; r++) {
            acc += x[(long long)r * n + j];
        }
        if (mean && to > from) {
            acc *= 1.0f / (float)(to - from);
        }
        y[i] = acc;
    }
}

// dX[r, j] = dY[s, j] for each row r of sequence s, divided by the length when mean != 0; `count` is
// the number of elements of dX (total rows * n).
extern "C" __global__ void thinj_backprop_reduce_sum(const float* dY, const int* offsets, float* dX, int sequences,
                                                     int n, long long count, int mean) {
    THINJ_FOR_EACH(i, count) {
        const int r = (int)(i / n);
        const int j = (int)(i % n);
        const int s = thinj_sequence_of(offsets, sequences, r);
        const float d = dY[(long long)s * n + j];
        dX[i] = mean ? d / (float)(offsets[s + 1] - offsets[s]) : d;
    }
}

// y[s, j] = max over sequence s of x[r, j]; which[s, j] = the first row (within the sequence) that
// holds it. Sequences are never empty (checked on the host). Strict '>' as SequenceKernels.reduceMax.
extern "C" __global__ void thinj_reduce_max(const float* x, const int* offsets, float* y, int* which, int sequences,
                                            int n) {
    THINJ_FOR_EACH(i, (long long)sequences * n) {
        const int s = (int)(i / n);
        const int j = (int)(i % n);
        const int from = offsets[s];
        const int len = offsets[s + 1] - from;
        float best = x[(long long)from * n + j];
        int w = 0;
        for (int r = 1; r < len; r++) {
            const float v = x[(long long)(from + r) * n + j];
            if (v > best) {
                best = v;
                w = r;
            }
        }
        y[i] = best;
        which[i] = w;
    }
}

// dX (zeroed by the host) gets dY[s, j] at row offsets[s] + which[s, j]. A `which` whose values the
// host knows was checked there; one made on the device (by reduceMax) is checked here: a row outside
// its sequence writes nothing and sets *fault = faultCode, reported at the next synchronisation.
extern "C" __global__ void thinj_backprop_reduce_max(const float* dY, const int* which, const int* offsets, float* dX,
                                                     int sequences, int n, int* fault, int faultCode) {
    THINJ_FOR_EACH(i, (long long)sequences * n) {
        const int s = (int)(i / n);
        const int j = (int)(i % n);
        const int w = which[i];
        if (w >= 0 && w < offsets[s + 1] - offsets[s]) {
            dX[(long long)(offsets[s] + w) * n + j] = dY[i];
        } else {
            *fault = faultCode;
        }
    }
}
