/*
 * Zero-copy GEMM (and dot product) for heap float[] arrays. JavaCPP's float[] overloads copy every array across JNI
 * (Get/Release<Float>ArrayElements), which costs ~14% of a 128x784x512 GEMM. Pinning the arrays with
 * GetPrimitiveArrayCritical hands OpenBLAS the Java heap memory itself. The BLAS entry point comes in
 * as an address (JavaCPP's Loader.addressof("cblas_sgemm")), so this file links against nothing.
 *
 * Inside the critical region we make no JNI calls and never block on Java threads; OpenBLAS's own
 * worker threads are native.
 */
#include <jni.h>
#include <stdint.h>

typedef float (*sdot_fn)(int n, const float *x, int incx, const float *y, int incy);

typedef void (*sgemm_fn)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

JNIEXPORT void JNICALL Java_dev_thinj_ops_cpu_CriticalBlas_sgemm0(
    JNIEnv *env, jclass cls, jlong fn, jint order, jint trans_a, jint trans_b, jint m, jint n, jint k,
    jfloat alpha, jfloatArray a, jint a_off, jint lda, jfloatArray b, jint b_off, jint ldb, jfloat beta, jfloatArray c,
    jint c_off, jint ldc) {
  (void) cls;
  float *pc = (float *) (*env)->GetPrimitiveArrayCritical(env, c, NULL);
  if (pc == NULL) {
    return; /* an OutOfMemoryError is pending */
  }
  float *pa = (float *) (*env)->GetPrimitiveArrayCritical(env, a, NULL);
  if (pa == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, c, pc, JNI_ABORT);
    return;
  }
  float *pb = (float *) (*env)->GetPrimitiveArrayCritical(env, b, NULL);
  if (pb == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, c, pc, JNI_ABORT);
    return;
  }
  ((sgemm_fn) (intptr_t) fn)(order, trans_a, trans_b, m, n, k, alpha, pa + a_off, lda, pb + b_off, ldb, beta,
                             pc + c_off, ldc);
  (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
  (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
  (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
}

/* The sum of squares of x[offset, offset + n): OpenBLAS's sdot of the slice with itself, as NumPy's
 * linalg.norm of a float32 array (a gradient's L2 norm for clipping). */
JNIEXPORT jfloat JNICALL Java_dev_thinj_ops_cpu_CriticalBlas_sumOfSquares0(
    JNIEnv *env, jclass cls, jlong fn, jfloatArray x, jint offset, jint n) {
  (void) cls;
  float *px = (float *) (*env)->GetPrimitiveArrayCritical(env, x, NULL);
  if (px == NULL) {
    return 0.0f; /* an OutOfMemoryError is pending */
  }
  float r = ((sdot_fn) (intptr_t) fn)(n, px + offset, 1, px + offset, 1);
  (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
  return r;
}

/*
 * Elementwise kernels C2 leaves scalar (Java 17): a row loop that adds into y[o + j] from b[j] may alias
 * (y == b), so it is not vectorised, and a float compare-and-select never is. With restrict pointers gcc
 * vectorises them, in an AVX2 and a baseline clone chosen at load. Each gives the bits of its Java loop:
 * the same operations in the same order per element (no FMA: the file is built with -ffp-contract=off;
 * of two NaNs added, either may come out, as Java leaves open).
 */
__attribute__((target_clones("avx2", "default")))
static void add_bias(float *restrict y, const float *restrict b, int n, int rows) {
  for (int r = 0; r < rows; r++) {
    float *restrict row = y + (long) r * n;
    for (int j = 0; j < n; j++) {
      row[j] += b[j];
    }
  }
}

__attribute__((target_clones("avx2", "default")))
static void add_column_sums(const float *restrict x, float *restrict out, int n, int rows) {
  for (int r = 0; r < rows; r++) {
    const float *restrict row = x + (long) r * n;
    for (int j = 0; j < n; j++) {
      out[j] += row[j];
    }
  }
}

/* dx = y > 0 ? dy : +0 (NaN y gives +0), on the bits so that dy's bits pass unchanged. */
__attribute__((target_clones("avx2", "default")))
static void backprop_relu(const uint32_t *restrict dy, const float *restrict y, uint32_t *restrict dx, int n) {
  for (int i = 0; i < n; i++) {
    dx[i] = dy[i] & -(uint32_t) (y[i] > 0.0f);
  }
}

/* The same in place (dx is dy). */
__attribute__((target_clones("avx2", "default")))
static void backprop_relu_in_place(uint32_t *restrict d, const float *restrict y, int n) {
  for (int i = 0; i < n; i++) {
    d[i] &= -(uint32_t) (y[i] > 0.0f);
  }
}

/* Dropout's mask over [from, to): cell i keeps (keep_bits, the float 1 / (1 - rate)) when the top 24 bits k of
 * SplitMix64's finaliser of (seed, i) reach threshold, else +0 -- CounterRandom.bits and the Java loop's
 * branch-free select, in unsigned 64-bit arithmetic (Java's long wraps the same way). C2 leaves the loop scalar
 * (a 64-bit multiply has no AVX2 instruction); gcc builds it from 32-bit ones, four cells at a time. */
__attribute__((target_clones("avx2", "default")))
static void dropout_mask(uint32_t *restrict m, uint64_t seed, int32_t threshold, uint32_t keep_bits, int from,
                         int to) {
  /* The counter's term (i + 1) * gamma as a running sum: one 64-bit multiply fewer per cell (the loop ran in
   * 47 us for 65,536 cells against 90 us multiplying, gcc -O3 -mavx2, this VM). */
  uint64_t counter = seed + (uint64_t) ((int64_t) from + 1) * 0x9E3779B97F4A7C15ULL;
  for (int i = from; i < to; i++) {
    uint64_t z = counter;
    counter += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    int32_t k = (int32_t) (z >> 40);
    /* k and threshold are below 2^25: the difference's sign bit, spread, is all ones exactly when k < threshold. */
    m[i] = keep_bits & ~(uint32_t) ((k - threshold) >> 31);
  }
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cpu_CriticalKernels_addBias0(
    JNIEnv *env, jclass cls, jfloatArray y, jfloatArray b, jint n, jint row_from, jint row_to) {
  (void) cls;
  float *py = (float *) (*env)->GetPrimitiveArrayCritical(env, y, NULL);
  if (py == NULL) {
    return;
  }
  float *pb = (float *) (*env)->GetPrimitiveArrayCritical(env, b, NULL);
  if (pb == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, y, py, JNI_ABORT);
    return;
  }
  add_bias(py + (long) row_from * n, pb, n, row_to - row_from);
  (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
  (*env)->ReleasePrimitiveArrayCritical(env, y, py, 0);
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cpu_CriticalKernels_addColumnSums0(
    JNIEnv *env, jclass cls, jfloatArray x, jfloatArray out, jint n, jint row_from, jint row_to) {
  (void) cls;
  float *pout = (float *) (*env)->GetPrimitiveArrayCritical(env, out, NULL);
  if (pout == NULL) {
    return;
  }
  float *px = (float *) (*env)->GetPrimitiveArrayCritical(env, x, NULL);
  if (px == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, out, pout, JNI_ABORT);
    return;
  }
  add_column_sums(px + (long) row_from * n, pout, n, row_to - row_from);
  (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
  (*env)->ReleasePrimitiveArrayCritical(env, out, pout, 0);
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cpu_CriticalKernels_backpropRelu0(
    JNIEnv *env, jclass cls, jfloatArray dy, jfloatArray y, jfloatArray dx, jint from, jint to) {
  (void) cls;
  /* dx may be dy (in place): the same array, so the same pointer. The caller passes a y of its own. */
  float *pdx = (float *) (*env)->GetPrimitiveArrayCritical(env, dx, NULL);
  if (pdx == NULL) {
    return;
  }
  float *pdy = (float *) (*env)->GetPrimitiveArrayCritical(env, dy, NULL);
  if (pdy == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, dx, pdx, JNI_ABORT);
    return;
  }
  float *py = (float *) (*env)->GetPrimitiveArrayCritical(env, y, NULL);
  if (py == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, dy, pdy, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, dx, pdx, JNI_ABORT);
    return;
  }
  if (pdx == pdy) {
    backprop_relu_in_place((uint32_t *) (pdx + from), py + from, to - from);
  } else {
    backprop_relu((const uint32_t *) (pdy + from), py + from, (uint32_t *) (pdx + from), to - from);
  }
  (*env)->ReleasePrimitiveArrayCritical(env, y, py, JNI_ABORT);
  (*env)->ReleasePrimitiveArrayCritical(env, dy, pdy, JNI_ABORT);
  (*env)->ReleasePrimitiveArrayCritical(env, dx, pdx, 0);
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cpu_CriticalKernels_dropoutMask0(
    JNIEnv *env, jclass cls, jfloatArray m, jlong seed, jint threshold, jint keep_bits, jint from, jint to) {
  (void) cls;
  float *pm = (float *) (*env)->GetPrimitiveArrayCritical(env, m, NULL);
  if (pm == NULL) {
    return;
  }
  dropout_mask((uint32_t *) pm, (uint64_t) seed, threshold, (uint32_t) keep_bits, from, to);
  (*env)->ReleasePrimitiveArrayCritical(env, m, pm, 0);
}
