package dev.thinj.ops.cuda.device;

import static dev.thinj.ops.cuda.device.CudaErrors.blasError;
import static dev.thinj.ops.cuda.device.CudaErrors.checkBlas;
import static org.bytedeco.cuda.global.cublas.CUBLAS_DEFAULT_MATH;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.CUBLAS_STATUS_SUCCESS;
import static org.bytedeco.cuda.global.cublas.CUBLAS_TF32_TENSOR_OP_MATH;
import static org.bytedeco.cuda.global.cublas.cublasCreate_v2;
import static org.bytedeco.cuda.global.cublas.cublasDestroy_v2;
import static org.bytedeco.cuda.global.cublas.cublasGetVersion_v2;
import static org.bytedeco.cuda.global.cublas.cublasSetMathMode;
import static org.bytedeco.cuda.global.cublas.cublasSetStream_v2;
import static org.bytedeco.cuda.global.cublas.cublasSgemm_v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.javacpp.FloatPointer;

/**
 * cuBLAS for {@link CudaRuntimeDevice}: one handle per device, shared by all threads, so GEMM and the
 * TF32 switch take a lock. The handle's stream is set only when it changes, and alpha and beta pass
 * through one direct buffer each (host pointer mode: cuBLAS reads them during the call), so a GEMM
 * allocates nothing. The caller has made the device's context current.
 */
final class CublasGemm {
    private final ReentrantLock lock = new ReentrantLock();
    private final cublasContext handle = new cublasContext();
    private final Handles.StreamHandle streamHandle = new Handles.StreamHandle();
    private final ByteBuffer alphaValue = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
    private final ByteBuffer betaValue = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
    private final FloatPointer alpha = new FloatPointer(alphaValue.asFloatBuffer());
    private final FloatPointer beta = new FloatPointer(betaValue.asFloatBuffer());
    private final Handles.DeviceFloats a = new Handles.DeviceFloats();
    private final Handles.DeviceFloats b = new Handles.DeviceFloats();
    private final Handles.DeviceFloats c = new Handles.DeviceFloats();
    private final String version;
    private long stream = -1;
    private volatile boolean tf32;

    /** Creates the handle on the current context. */
    CublasGemm() {
        checkBlas(cublasCreate_v2(handle), "cublasCreate");
        try {
            int[] v = new int[1];
            checkBlas(cublasGetVersion_v2(handle, v), "cublasGetVersion");
            version = v[0] / 10000 + "." + v[0] / 100 % 100 + "." + v[0] % 100;
        } catch (RuntimeException e) {
            cublasDestroy_v2(handle);
            throw e;
        }
    }

    /** @return cuBLAS's version, such as {@code 13.1.0} */
    String version() {
        return version;
    }

    /** Column-major {@code C = alpha op(A) op(B) + beta C} on {@code stream}; see {@link Device#sgemm}. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alphaIn, long aAddress, int lda, long bAddress,
            int ldb, float betaIn, long cAddress, int ldc, long onStream) {
        lock.lock();
        try {
            if (onStream != stream) {
                checkBlas(cublasSetStream_v2(handle, streamHandle.at(onStream)), "cublasSetStream");
                stream = onStream;
            }
            alphaValue.putFloat(0, alphaIn);
            betaValue.putFloat(0, betaIn);
            int r = cublasSgemm_v2(handle, transA ? CUBLAS_OP_T : CUBLAS_OP_N, transB ? CUBLAS_OP_T : CUBLAS_OP_N, m, n, k,
                    alpha, a.at(aAddress), lda, b.at(bAddress), ldb, beta, c.at(cAddress), ldc);
            if (r != CUBLAS_STATUS_SUCCESS) {
                throw new CudaException("cublasSgemm failed: " + blasError(r) + " (m=" + m + ", n=" + n + ", k=" + k
                        + ", transA=" + transA + ", transB=" + transB + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc + ")");
            }
        } finally {
            lock.unlock();
        }
    }

    /** @param enabled whether GEMM may use TF32 tensor cores */
    void setTf32(boolean enabled) {
        lock.lock();
        try {
            checkBlas(cublasSetMathMode(handle, enabled ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH),
                    "cublasSetMathMode");
            tf32 = enabled;
        } finally {
            lock.unlock();
        }
    }

    boolean tf32() {
        return tf32;
    }

    /** Destroys the handle (the device's context must still be current). */
    void close() {
        lock.lock();
        try {
            cublasDestroy_v2(handle);
        } finally {
            lock.unlock();
        }
    }
}
