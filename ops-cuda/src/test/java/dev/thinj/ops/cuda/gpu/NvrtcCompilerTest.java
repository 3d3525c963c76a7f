package dev.thinj.ops.cuda.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.thinj.ops.cuda.device.CudaException;
import dev.thinj.ops.cuda.device.KernelCache;
import dev.thinj.ops.cuda.device.KernelSources;
import dev.thinj.ops.cuda.device.NvrtcCompiler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiler's choices that need no GPU: its options, and the fallback to nvcc's build-time PTX
 * where NVRTC cannot load (as on this machine class, which has no libnvrtc.so.13).
 */
class NvrtcCompilerTest {
    @Test
    void compilesForTheDevicesOwnArchitectureWithoutFastMath(@TempDir Path dir) {
        NvrtcCompiler c = new NvrtcCompiler(KernelSources.load(), new KernelCache(dir), 90);
        assertThat(c.arch()).isEqualTo("sm_90");
        assertThat(c.options()).containsExactly("--gpu-architecture=sm_90", "-std=c++17", "--fmad=false");
        assertThat(String.join(" ", c.options())).doesNotContain("fast_math").doesNotContain("fast-math");
        assertThat(new NvrtcCompiler(KernelSources.load(), new KernelCache(dir), 120).arch()).isEqualTo("sm_120");
    }

    @Test
    void withoutNvrtcTheBuildTimePtxIsLoadedForTheDriverToCompile(@TempDir Path dir) {
        assumeTrue(NvrtcCompiler.version() == null, "NVRTC is installed here; the GPU tests cover the NVRTC path");
        assertThat(NvrtcCompiler.unavailableReason()).isNotBlank().doesNotContain("\n");
        KernelSources sources = KernelSources.load();
        byte[] ptx = KernelSources.buildTimePtx("elementwise.cu");
        assumeTrue(ptx != null, "this jar was built without nvcc");
        NvrtcCompiler.Module m = new NvrtcCompiler(sources, new KernelCache(dir), 90).module("elementwise.cu");
        assertThat(m.origin()).isEqualTo(NvrtcCompiler.Origin.PTX);
        assertThat(m.file()).isEqualTo("elementwise.cu");
        // The driver reads PTX as a C string: the bytes are nvcc's, then one NUL.
        assertThat(m.image()).hasSize(ptx.length + 1);
        assertThat(m.image()[ptx.length]).isZero();
        assertThat(new String(m.image(), 0, ptx.length, StandardCharsets.US_ASCII)).contains(".entry thinj_add");
    }

    @Test
    void withNeitherNvrtcNorPtxTheErrorNamesTheFileAndBothReasons(@TempDir Path dir) {
        assumeTrue(NvrtcCompiler.version() == null, "NVRTC is installed here");
        KernelSources only = KernelSources.of(Map.of("nowhere.cu",
                "#include \"common.cuh\"\nextern \"C\" __global__ void thinj_nowhere(float* a) { }\n", "common.cuh", ""));
        assertThatThrownBy(() -> new NvrtcCompiler(only, new KernelCache(dir), 90).module("nowhere.cu"))
                .isInstanceOf(CudaException.class)
                .hasMessageContaining("nowhere.cu")
                .hasMessageContaining("NVRTC is unavailable")
                .hasMessageContaining("no build-time PTX");
    }
}
