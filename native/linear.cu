// Bias operations that go with the matrix products (CudaLinear); the products themselves are cuBLAS's.
#include "common.cuh"

// y[r, j] += bias[j] over a row-major (n / cols, cols) array. Sizes are below 2^31 (Shapes), so the
// column comes from a 32-bit remainder, much cheaper on the GPU than a 64-bit one.
extern "C" __global__ void thinj_add_bias(float* y, const float* bias, int cols, long long n) {
    THINJ_FOR_EACH(i, n) { y[i] += bias[(unsigned)i % (unsigned)cols]; }
}

// Column sums of a row-major (rows, cols) array into out[cols] (added to out when accumulate != 0).
//
// Each block owns a tile of 32 columns; its 256 threads are 8 row lanes of 32 columns, so the loads of
// one row are contiguous. Lane l sums rows l, l + 8, l + 16, ... of its column in double; the 8 lane
// sums are then added in lane order by one thread per column. Fixed order everywhere: no atomics, the
// same bits on every run.
#define THINJ_SUM_ROWS_TILE 32
#define THINJ_SUM_ROWS_LANES (THINJ_BLOCK / THINJ_SUM_ROWS_TILE)
extern "C" __global__ void thinj_sum_rows(const float* x, float* out, int rows, int cols, int accumulate) {
    __shared__ double partial[THINJ_SUM_ROWS_LANES][THINJ_SUM_ROWS_TILE];
    int c = threadIdx.x % THINJ_SUM_ROWS_TILE;
    int lane = threadIdx.x / THINJ_SUM_ROWS_TILE;
    int col = blockIdx.x * THINJ_SUM_ROWS_TILE + c;
    double acc = 0.0;
    if (col < cols) {
        for (long long r = lane; r < rows; r += THINJ_SUM_ROWS_LANES) {
            acc += x[r * cols + col];
        }
    }
    partial[lane][c] = acc;
    __syncthreads();
    if (lane == 0 && col < cols) {
        double total = 0.0;
        for (int l = 0; l < THINJ_SUM_ROWS_LANES; l++) {
            total += partial[l][c];
        }
        out[col] = accumulate ? out[col] + (float)total : (float)total;
    }
}

// Column sums of tall arrays, first pass: block b handles column tile (b % tiles) over the row chunk
// (b / tiles) of `chunkRows` rows, summing as thinj_sum_rows does, and writes its double sums to
// partial[chunk * cols + col]. Many chunks keep the whole device busy when there are few columns.
extern "C" __global__ void thinj_sum_rows_partial(const float* x, double* partial, int rows, int cols,
                                                  int chunkRows, int tiles) {
    __shared__ double lanes[THINJ_SUM_ROWS_LANES][THINJ_SUM_ROWS_TILE];
    int c = threadIdx.x % THINJ_SUM_ROWS_TILE;
    int lane = threadIdx.x / THINJ_SUM_ROWS_TILE;
    int tile = blockIdx.x % tiles;
    int chunk = blockIdx.x / tiles;
    int col = tile * THINJ_SUM_ROWS_TILE + c;
    long long from = (long long)chunk * chunkRows;
    long long to = min(from + chunkRows, (long long)rows);
    double acc = 0.0;
    if (col < cols) {
        for (long long r = from + lane; r < to; r += THINJ_SUM_ROWS_LANES) {
            acc += x[r * cols + col];
        }
    }
    lanes[lane][c] = acc;
    __syncthreads();
    if (lane == 0 && col < cols) {
        double total = 0.0;
        for (int l = 0; l < THINJ_SUM_ROWS_LANES; l++) {
            total += lanes[l][c];
        }
        partial[(long long)chunk * cols + col] = total;
    }
}

// Second pass: out[col] (+)= the chunks' sums, added in chunk order.
extern "C" __global__ void thinj_sum_rows_finish(const double* partial, float* out, int chunks, int cols,
                                                 int accumulate) {
    THINJ_FOR_EACH(col, cols) {
        double total = 0.0;
        for (int k = 0; k < chunks; k++) {
            total += partial[(long long)k * cols + col];
        }
        out[col] = accumulate ? out[col] + (float)total : (float)total;
    }
}
