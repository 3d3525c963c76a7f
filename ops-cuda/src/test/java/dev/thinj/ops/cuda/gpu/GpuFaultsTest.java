package dev.thinj.ops.cuda.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.thinj.ops.ArrayStateException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.cuda.CudaOps;
import dev.thinj.ops.cuda.CudaOpsProvider;
import dev.thinj.ops.cuda.device.CudaException;
import dev.thinj.ops.cuda.device.CudaRuntimeDevice;
import dev.thinj.ops.cuda.device.Device;
import dev.thinj.ops.cuda.device.DeviceOutOfMemoryException;
import dev.thinj.ops.cuda.device.KernelArgs;
import dev.thinj.ops.cuda.device.KernelCache;
import dev.thinj.ops.cuda.device.KernelSources;
import dev.thinj.ops.cuda.device.NvrtcCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA backend's fault paths on a real GPU: out of memory, launch errors, arrays used after
 * close, a backend closed with live arrays, a second thread, and the kernel cache. Skipped with the
 * provider's reason where no GPU is usable.
 */
@ExtendWith(CudaAvailable.class)
class GpuFaultsTest {
    private static CudaOps cuda() {
        return (CudaOps) Ops.get("cuda");
    }

    @Test
    void anAbsurdAllocationNamesTheRequestAndTheFreeMemory() {
        Device device = cuda().device();
        long request = 1L << 50;  // a pebibyte: no GPU has it
        assertThatThrownBy(() -> device.malloc(request))
                .isInstanceOf(DeviceOutOfMemoryException.class)
                .hasMessageContaining(Long.toString(request))
                .hasMessageContaining("free");
        // Through the pool (what arrays use): it trims its cache and collects first, then reports.
        assertThatThrownBy(() -> cuda().pool().allocate(request))
                .isInstanceOf(DeviceOutOfMemoryException.class)
                .hasMessageContaining(Long.toString(request))
                .hasMessageContaining("device free");
        // The device is still usable afterwards.
        FloatArray x = cuda().asArray(new float[] {-1f, 2f});
        assertThat(cuda().relu(x, false).toFloatArray()).containsExactly(0f, 2f);
    }

    @Test
    void aRefusedLaunchNamesTheKernelAndTheCudaError() {
        Device device = cuda().device();
        Device.Kernel add = device.kernel("thinj_add");
        KernelArgs args = new KernelArgs().ptr(0).ptr(0).ptr(0).i64(0);
        long stream = device.createStream();
        try {
            // 4096 threads per block exceeds every GPU's limit of 1024: the driver refuses the launch.
            assertThatThrownBy(() -> device.launch(add, 1, 4096, args, stream))
                    .isInstanceOf(CudaException.class)
                    .hasMessageContaining("thinj_add")
                    .hasMessageContaining("CUDA_ERROR_");
        } finally {
            device.destroyStream(stream);
        }
        assertThatThrownBy(() -> device.kernel("thinj_no_such_kernel"))
                .isInstanceOf(CudaException.class)
                .hasMessageContaining("thinj_no_such_kernel");
    }

    @Test
    void anArrayUsedAfterCloseFailsClearly() {
        FloatArray x = cuda().asArray(new float[] {1f, 2f, 3f});
        x.close();
        assertThat(x.isClosed()).isTrue();
        assertThatThrownBy(x::toFloatArray).isInstanceOf(ArrayStateException.class).hasMessageContaining("close");
        assertThatThrownBy(() -> cuda().relu(x, false)).isInstanceOf(ArrayStateException.class);
    }

    @Test
    void closingTheBackendFreesItsLiveArrays() {
        CudaOps own = (CudaOps) new CudaOpsProvider().create();
        FloatArray a = own.asArray(new float[] {1f, 2f, 3f, 4f}, 2, 2);
        IntArray i = own.asInts(new int[] {1, 0});
        FloatArray b = own.relu(a, false);
        assertThat(own.pool().liveBytes()).isPositive();
        own.close();
        assertThat(own.pool().liveBytes()).isZero();
        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
        assertThat(i.isClosed()).isTrue();
        assertThatThrownBy(a::toFloatArray).isInstanceOf(ArrayStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> own.alloc(2)).isInstanceOf(ArrayStateException.class);
    }

    @Test
    void anotherThreadCanEnqueueAndTheResultIsReadHere() throws Exception {
        AtomicReference<FloatArray> made = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                made.set(cuda().asArray(new float[] {-3f, 4f, -5f, 6f}));
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "cuda-test-producer");
        producer.start();
        producer.join();
        assertThat(failed.get()).isNull();
        assertThat(cuda().relu(made.get(), false).toFloatArray()).containsExactly(0f, 4f, 0f, 6f);
    }

    @Test
    void aSecondDeviceLoadsTheKernelsFromTheCache(@TempDir Path dir) throws Exception {
        // JUnit's assumptions: AssertJ's need Byte Buddy, which the GPU bundle does not ship.
        assumeTrue(NvrtcCompiler.version() != null, () -> "NVRTC: " + NvrtcCompiler.unavailableReason());
        KernelCache cache = new KernelCache(dir);
        try (CudaRuntimeDevice first = new CudaRuntimeDevice(0, KernelSources.load(), cache)) {
            first.kernel("thinj_add");
            assumeTrue(first.moduleOrigins().get("elementwise.cu") != NvrtcCompiler.Origin.PTX,
                    () -> "NVRTC fell back to PTX here: " + NvrtcCompiler.fallbackReason());
            assertThat(first.moduleOrigins()).containsEntry("elementwise.cu", NvrtcCompiler.Origin.NVRTC);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".cubin")).count()).isEqualTo(1);
        }
        try (CudaRuntimeDevice second = new CudaRuntimeDevice(0, KernelSources.load(), cache)) {
            second.kernel("thinj_add");
            assertThat(second.moduleOrigins()).containsEntry("elementwise.cu", NvrtcCompiler.Origin.CACHE);
        }
    }

    @Test
    void describeNamesTheDeviceAndVersions() {
        String d = cuda().device().describe();
        assertThat(d).contains("compute capability").contains("driver").contains("cuBLAS");
        assertThat(cuda().device().gridStrideBlocks()).isPositive();
        long[] info = cuda().device().memoryInfo();
        assertThat(info[0]).isPositive().isLessThanOrEqualTo(info[1]);
    }
}
