// Filling arrays and moving rows and columns (CudaArrays).
//
// The copy kernels move 4-byte words, so the same kernel serves float and int arrays: the bits are
// copied unchanged (NaN payloads and negative zeros survive, as with the CPU's System.arraycopy).
#include "common.cuh"

// x[i] = value
extern "C" __global__ void thinj_fill(float* x, float value, long long n) {
    THINJ_FOR_EACH(i, n) { x[i] = value; }
}

// out row r = x row rows[r], rows of `width` words; n = (number of gathered rows) * width.
// The host has checked every index against x's row count. Array sizes are below 2^31 (Shapes), so the
// row and column come from a 32-bit division, much cheaper on the GPU than a 64-bit one.
extern "C" __global__ void thinj_gather_rows(const int* x, const int* rows, int* out, int width, long long n) {
    THINJ_FOR_EACH(i, n) {
        unsigned r = (unsigned)i / (unsigned)width;
        unsigned c = (unsigned)i - r * (unsigned)width;
        out[i] = x[(long long)rows[r] * width + c];
    }
}

// Strided 2-d copy of a block of `rows` x `width` words:
// dst[r, dstStart + c] = src[r, srcStart + c], with row widths srcCols and dstCols.
// concatColumns writes each part into its column range, sliceColumns reads one range out.
extern "C" __global__ void thinj_copy_columns(const int* src, int srcCols, int srcStart, int* dst, int dstCols,
                                              int dstStart, int width, long long n) {
    THINJ_FOR_EACH(i, n) {
        unsigned r = (unsigned)i / (unsigned)width;  // sizes are below 2^31: a 32-bit division
        unsigned c = (unsigned)i - r * (unsigned)width;
        dst[(long long)r * dstCols + dstStart + c] = src[(long long)r * srcCols + srcStart + c];
    }
}
