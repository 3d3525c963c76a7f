// JNI side of the emulated CUDA device (dev.thinj.ops.cuda.emulated.Emulator): host memory standing
// in for device memory, copies, kernel lookup and launch through the registry, and a naive GEMM with
// cuBLAS's semantics.
//
// Everything runs synchronously on the calling thread. Besides executing, it checks what a GPU would
// only report as an illegal address, or not at all: every copy's range lies inside one allocation,
// every pointer a kernel receives points into an allocation, the argument count matches the kernel's
// parameter list, GEMM's leading dimensions and extents fit. Fresh allocations are filled with 0xFF
// bytes (NaN floats, -1 ints) because cudaMalloc'ed memory is not zeroed either.
//
// Each allocation (while fewer than 20,000 are live) ends right where a PROT_NONE guard page begins,
// so a kernel that runs past the end of its (granule-rounded) block faults at once, and the JVM's
// crash report names the kernel as the problematic frame, instead of corrupting a neighbouring array
// and failing somewhere else.
#include <jni.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "emu_runtime.h"

namespace {

struct Allocation {
    size_t bytes;
    bool pinned;
    void* mapping;  // what to munmap: data pages plus the guard page; null when from aligned_alloc
    size_t mapped;
};

std::mutex memoryLock;
std::map<uintptr_t, Allocation> allocations;  // by base address
std::mutex launchLock;                         // the scheduler runs one launch at a time

void throwCuda(JNIEnv* env, const std::string& message) {
    jclass c = env->FindClass("dev/thinj/ops/cuda/device/CudaException");
    if (c == nullptr) {
        return;  // NoClassDefFoundError pending
    }
    env->ThrowNew(c, message.c_str());
}

std::string hex(uintptr_t v) {
    char buf[32];
    snprintf(buf, sizeof buf, "0x%llx", (unsigned long long) v);
    return buf;
}

/** @return the allocation holding [address, address + bytes), or null (bytes 0: address may be its end) */
const Allocation* find(uintptr_t address, size_t bytes, uintptr_t* base) {
    auto it = allocations.upper_bound(address);
    if (it == allocations.begin()) {
        return nullptr;
    }
    --it;
    if (address < it->first || address + bytes > it->first + it->second.bytes) {
        return nullptr;
    }
    if (base != nullptr) {
        *base = it->first;
    }
    return &it->second;
}

/** Checks [address, address + bytes) lies inside one allocation; throws and returns false if not. */
bool checkRange(JNIEnv* env, const char* what, jlong address, jlong bytes, bool allowPinned) {
    if (bytes < 0) {
        throwCuda(env, std::string(what) + " (emulated): negative size " + std::to_string(bytes));
        return false;
    }
    if (bytes == 0) {
        return true;
    }
    std::lock_guard<std::mutex> lock(memoryLock);
    uintptr_t base = 0;
    const Allocation* a = find((uintptr_t) address, (size_t) bytes, &base);
    if (a == nullptr || (a->pinned && !allowPinned)) {
        throwCuda(env, std::string(what) + " (emulated): illegal address: " + std::to_string(bytes) + " bytes at "
                + hex((uintptr_t) address) + " are not inside one live " + (allowPinned ? "" : "device ")
                + "allocation");
        return false;
    }
    return true;
}

// A guarded allocation costs two memory mappings; the kernel allows about 65,000 per process, and the
// JVM needs its own. Beyond this many live allocations, new ones come from aligned_alloc, unguarded.
constexpr size_t MAX_GUARDED = 20000;

jlong allocate(jlong bytes, bool pinned) {
    if (bytes < 1) {
        return 0;
    }
    size_t size = ((size_t) bytes + 255) / 256 * 256;  // 256-byte aligned start, as cudaMalloc's
    bool guarded;
    {
        std::lock_guard<std::mutex> lock(memoryLock);
        guarded = allocations.size() < MAX_GUARDED;
    }
    char* p;
    void* m = nullptr;
    size_t mapped = 0;
    if (guarded) {
        size_t page = (size_t) sysconf(_SC_PAGESIZE);
        size_t dataPages = (size + page - 1) / page;
        mapped = (dataPages + 1) * page;
        m = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) {
            return 0;
        }
        char* guard = static_cast<char*>(m) + dataPages * page;
        if (mprotect(guard, page, PROT_NONE) != 0) {
            munmap(m, mapped);
            return 0;
        }
        p = guard - size;
    } else {
        p = static_cast<char*>(aligned_alloc(256, size));
        if (p == nullptr) {
            return 0;
        }
    }
    memset(p, 0xFF, size);
    std::lock_guard<std::mutex> lock(memoryLock);
    allocations[(uintptr_t) p] = Allocation{(size_t) bytes, pinned, m, mapped};
    return (jlong) (uintptr_t) p;
}

jlong release(jlong address, bool pinned) {
    Allocation a;
    {
        std::lock_guard<std::mutex> lock(memoryLock);
        auto it = allocations.find((uintptr_t) address);
        if (it == allocations.end() || it->second.pinned != pinned) {
            return -1;
        }
        a = it->second;
        allocations.erase(it);
    }
    if (a.mapping != nullptr) {
        munmap(a.mapping, a.mapped);
    } else {
        free((void*) (uintptr_t) address);
    }
    return (jlong) a.bytes;
}

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_malloc(JNIEnv*, jclass, jlong bytes) {
    return allocate(bytes, false);
}

JNIEXPORT jlong JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_free(JNIEnv*, jclass, jlong address) {
    return release(address, false);
}

JNIEXPORT jlong JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_mallocPinned(JNIEnv*, jclass, jlong bytes) {
    return allocate(bytes, true);
}

JNIEXPORT jlong JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_freePinned(JNIEnv*, jclass, jlong address) {
    return release(address, true);
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_uploadFloats(JNIEnv* env, jclass, jlong dst,
        jfloatArray src, jint offset, jint count, jboolean pinned) {
    if (checkRange(env, pinned ? "writePinned" : "upload", dst, 4L * count, pinned)) {
        env->GetFloatArrayRegion(src, offset, count, (jfloat*) (uintptr_t) dst);
    }
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_uploadInts(JNIEnv* env, jclass, jlong dst,
        jintArray src, jint offset, jint count, jboolean pinned) {
    if (checkRange(env, pinned ? "writePinned" : "upload", dst, 4L * count, pinned)) {
        env->GetIntArrayRegion(src, offset, count, (jint*) (uintptr_t) dst);
    }
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_downloadFloats(JNIEnv* env, jclass,
        jfloatArray dst, jint offset, jlong src, jint count) {
    if (checkRange(env, "download", src, 4L * count, false)) {
        env->SetFloatArrayRegion(dst, offset, count, (const jfloat*) (uintptr_t) src);
    }
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_downloadInts(JNIEnv* env, jclass, jintArray dst,
        jint offset, jlong src, jint count) {
    if (checkRange(env, "download", src, 4L * count, false)) {
        env->SetIntArrayRegion(dst, offset, count, (const jint*) (uintptr_t) src);
    }
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_copy(JNIEnv* env, jclass, jlong dst, jlong src,
        jlong bytes, jboolean fromPinned) {
    if (checkRange(env, "copy (destination)", dst, bytes, false)
            && checkRange(env, "copy (source)", src, bytes, fromPinned)) {
        memmove((void*) (uintptr_t) dst, (const void*) (uintptr_t) src, (size_t) bytes);
    }
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_memset(JNIEnv* env, jclass, jlong dst, jint value,
        jlong bytes) {
    if (checkRange(env, "memset", dst, bytes, false)) {
        memset((void*) (uintptr_t) dst, value & 0xff, (size_t) bytes);
    }
}

JNIEXPORT jint JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_kernelIndex(JNIEnv* env, jclass, jstring name) {
    const char* n = env->GetStringUTFChars(name, nullptr);
    int index = thinj_emu::findKernel(n);
    env->ReleaseStringUTFChars(name, n);
    return index;
}

JNIEXPORT jobjectArray JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_kernelNames(JNIEnv* env, jclass) {
    int n = thinj_emu::kernelCount();
    jobjectArray out = env->NewObjectArray(n, env->FindClass("java/lang/String"), nullptr);
    for (int i = 0; i < n && out != nullptr; i++) {
        jstring s = env->NewStringUTF(thinj_emu::kernelAt(i).name);
        env->SetObjectArrayElement(out, i, s);
        env->DeleteLocalRef(s);
    }
    return out;
}

JNIEXPORT jint JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_kernelArity(JNIEnv*, jclass, jint index) {
    return thinj_emu::kernelAt(index).arity;
}

JNIEXPORT jstring JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_kernelSource(JNIEnv* env, jclass, jint index) {
    return env->NewStringUTF(thinj_emu::kernelAt(index).source);
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_launch(JNIEnv* env, jclass, jint index, jint grid,
        jint block, jobject slots, jint count) {
    if (index < 0 || index >= thinj_emu::kernelCount()) {
        throwCuda(env, "launch (emulated): no kernel with index " + std::to_string(index));
        return;
    }
    const thinj_emu::KernelInfo& k = thinj_emu::kernelAt(index);
    if (count != k.arity) {
        throwCuda(env, std::string(k.name) + " (emulated): launched with " + std::to_string(count)
                + " arguments, but " + k.source + " declares " + std::to_string(k.arity) + " parameters");
        return;
    }
    if (grid < 1 || block < 1 || block > 1024) {
        throwCuda(env, std::string(k.name) + " (emulated): invalid launch shape grid=" + std::to_string(grid)
                + " block=" + std::to_string(block) + " (cudaErrorInvalidConfiguration)");
        return;
    }
    char* base = static_cast<char*>(env->GetDirectBufferAddress(slots));
    if (base == nullptr) {
        throwCuda(env, std::string(k.name) + " (emulated): the argument slots are not a direct buffer");
        return;
    }
    void* params[32];
    for (int i = 0; i < count; i++) {
        params[i] = base + 8 * i;
    }
    {
        std::lock_guard<std::mutex> lock(memoryLock);
        for (int i = 0; i < count; i++) {
            if ((k.pointerMask >> i & 1u) == 0) {
                continue;
            }
            uintptr_t p;
            memcpy(&p, params[i], sizeof p);
            if (p != 0 && find(p, 0, nullptr) == nullptr) {
                throwCuda(env, std::string(k.name) + " (emulated): pointer parameter " + std::to_string(i) + " is "
                        + hex(p) + ", which is not inside any live allocation (a freed array, or arguments in the "
                        + "wrong order?)");
                return;
            }
        }
    }
    std::string error;
    {
        std::lock_guard<std::mutex> lock(launchLock);
        error = thinj_emu::launch(k, (unsigned) grid, (unsigned) block, params);
    }
    if (!error.empty()) {
        throwCuda(env, error);
    }
}

JNIEXPORT void JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_restartLaunchCount(JNIEnv*, jclass, jlong count) {
    std::lock_guard<std::mutex> lock(launchLock);
    thinj_emu::restartLaunchCount((uint64_t) count);
}

// C = alpha * op(A) * op(B) + beta * C, column-major, float accumulation as cuBLAS's default math mode.
// beta == 0 writes C without reading it (NaN in C is ignored), alpha == 0 reads neither A nor B.
JNIEXPORT void JNICALL Java_dev_thinj_ops_cuda_emulated_Emulator_sgemm(JNIEnv* env, jclass, jboolean transA,
        jboolean transB, jint m, jint n, jint k, jfloat alpha, jlong a, jint lda, jlong b, jint ldb, jfloat beta,
        jlong c, jint ldc) {
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    std::string shape = "sgemm (emulated): m=" + std::to_string(m) + " n=" + std::to_string(n) + " k="
            + std::to_string(k) + " lda=" + std::to_string(lda) + " ldb=" + std::to_string(ldb) + " ldc="
            + std::to_string(ldc) + (transA ? " transA" : "") + (transB ? " transB" : "");
    if (m < 0 || n < 0 || k < 0 || lda < (aRows > 1 ? aRows : 1) || ldb < (bRows > 1 ? bRows : 1)
            || ldc < (m > 1 ? m : 1)) {
        throwCuda(env, shape + ": CUBLAS_STATUS_INVALID_VALUE");
        return;
    }
    if (m == 0 || n == 0) {
        return;
    }
    bool useAB = alpha != 0.0f && k > 0;
    if (useAB && (!checkRange(env, (shape + ", A").c_str(), a, 4L * ((long) (aCols - 1) * lda + aRows), false)
                         || !checkRange(env, (shape + ", B").c_str(), b, 4L * ((long) (bCols - 1) * ldb + bRows),
                                 false))) {
        return;
    }
    if (!checkRange(env, (shape + ", C").c_str(), c, 4L * ((long) (n - 1) * ldc + m), false)) {
        return;
    }
    const float* A = (const float*) (uintptr_t) a;
    const float* B = (const float*) (uintptr_t) b;
    float* C = (float*) (uintptr_t) c;
    std::vector<float> acc(m);
    for (int j = 0; j < n; j++) {
        std::fill(acc.begin(), acc.end(), 0.0f);
        if (useAB) {
            if (!transA) {
                for (int l = 0; l < k; l++) {
                    float bv = transB ? B[(long) l * ldb + j] : B[(long) j * ldb + l];
                    const float* col = A + (long) l * lda;
                    for (int i = 0; i < m; i++) {
                        acc[i] += col[i] * bv;
                    }
                }
            } else {
                for (int i = 0; i < m; i++) {
                    const float* row = A + (long) i * lda;  // op(A) row i is column i of the stored A
                    float s = 0.0f;
                    for (int l = 0; l < k; l++) {
                        s += row[l] * (transB ? B[(long) l * ldb + j] : B[(long) j * ldb + l]);
                    }
                    acc[i] = s;
                }
            }
        }
        float* cj = C + (long) j * ldc;
        for (int i = 0; i < m; i++) {
            cj[i] = beta == 0.0f ? alpha * acc[i] : alpha * acc[i] + beta * cj[i];
        }
    }
}

}  // extern "C"
