package dev.thinj.ops.cuda.device;

import static org.bytedeco.cuda.global.cublas.CUBLAS_STATUS_SUCCESS;
import static org.bytedeco.cuda.global.cublas.cublasGetStatusName;
import static org.bytedeco.cuda.global.cublas.cublasGetStatusString;
import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.cuGetErrorName;
import static org.bytedeco.cuda.global.cudart.cuGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorName;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Result codes of the CUDA runtime, driver and cuBLAS turned into {@link CudaException}s that name
 * the call and the error in CUDA's own words.
 */
final class CudaErrors {
    private CudaErrors() {
    }

    /** A failure reported by a synchronising call, which may come from any earlier kernel or copy. */
    static void checkAsync(int result, String call, String deviceName) {
        if (result != cudaSuccess) {
            throw new CudaException(call + " reported " + runtimeError(result) + " on " + deviceName
                    + ": an earlier kernel or copy failed on the device (asynchronous error; the CUDA context "
                    + "may be unusable until the process restarts)");
        }
    }

    static void checkRuntime(int result, String call) {
        if (result != cudaSuccess) {
            throw new CudaException(call + " failed: " + runtimeError(result));
        }
    }

    static void checkDriver(int result, String call) {
        if (result != CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + driverError(result));
        }
    }

    static void checkBlas(int result, String call) {
        if (result != CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + blasError(result));
        }
    }

    static String runtimeError(int result) {
        return cudaGetErrorName(result).getString() + " (" + cudaGetErrorString(result).getString() + ")";
    }

    static String driverError(int result) {
        try (BytePointer n = new BytePointer((Pointer) null); BytePointer s = new BytePointer((Pointer) null)) {
            String errorName = cuGetErrorName(result, n) == CUDA_SUCCESS && !n.isNull() ? n.getString() : "CUresult " + result;
            String text = cuGetErrorString(result, s) == CUDA_SUCCESS && !s.isNull() ? s.getString() : "unknown error";
            return errorName + " (" + text + ")";
        }
    }

    static String blasError(int result) {
        return cublasGetStatusName(result).getString() + " (" + cublasGetStatusString(result).getString() + ")";
    }
}
