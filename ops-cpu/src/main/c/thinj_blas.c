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
