package dev.thinj.ops.cuda.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.thinj.ops.BackendUnavailableException;
import dev.thinj.ops.Ops;
import dev.thinj.ops.cuda.CudaOpsProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The provider as a machine without a GPU meets it: unavailable with a one-line reason, asked once,
 * the JVM unharmed, and {@code auto} on the CPU. (On a GPU host these checks are skipped; the GPU
 * tests cover that side.)
 */
class CudaProviderTest {
    @Test
    void isFoundByServiceLoaderWithItsRank() {
        CudaOpsProvider p = ServiceLoader.load(dev.thinj.ops.spi.OpsProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(CudaOpsProvider.class::isInstance)
                .map(CudaOpsProvider.class::cast)
                .findFirst().orElseThrow();
        assertThat(p.name()).isEqualTo("cuda");
        assertThat(p.isGpu()).isTrue();
        assertThat(p.priority()).isEqualTo(CudaOpsProvider.PRIORITY).isGreaterThan(10);
    }

    @Test
    void withoutAGpuItIsUnavailableWithAOneLineReasonAndTheJvmSurvives() {
        CudaOpsProvider p = new CudaOpsProvider();
        assumeFalse(p.isAvailable(), "a GPU is present here; GpuConformanceTest covers this machine");
        String reason = p.unavailableReason();
        assertThat(reason).isNotBlank().doesNotContain("\n").hasSizeLessThan(420);
        // The answer is cached: asking again (another instance, too) gives the same line without reloading.
        assertThat(new CudaOpsProvider().isAvailable()).isFalse();
        assertThat(new CudaOpsProvider().unavailableReason()).isEqualTo(reason);
        // Still alive and computing on the CPU.
        assertThat(Ops.get("cpu").relu(Ops.get("cpu").asArray(new float[] {-1f, 1f}), false).toFloatArray())
                .containsExactly(0f, 1f);
    }

    @Test
    void cudaByNameFailsWithTheReason() {
        CudaOpsProvider p = new CudaOpsProvider();
        assumeFalse(p.isAvailable(), "a GPU is present here");
        assertThatThrownBy(() -> Ops.get("cuda"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("'cuda' is not available")
                .hasMessageContaining(p.unavailableReason());
        assertThatThrownBy(Ops::requireGpu).isInstanceOf(BackendUnavailableException.class);
    }

    @Test
    void autoFallsBackToTheCpu() {
        assumeFalse(new CudaOpsProvider().isAvailable(), "a GPU is present here: auto picks cuda");
        assertThat(Ops.get("auto").name()).isEqualTo("cpu");
        assertThat(Ops.get("auto")).isSameAs(Ops.get("cpu"));
        assertThat(Ops.describe()).containsPattern("cuda\\s+100\\s+yes\\s+no");
    }

    @Test
    void aMissingDriverIsNamedAsSuch() {
        CudaOpsProvider p = new CudaOpsProvider();
        assumeFalse(p.isAvailable(), "a GPU is present here");
        // This machine class has no NVIDIA driver: the reason must name the library, not a Java stack.
        assertThat(p.unavailableReason()).matches(".*(libcuda\\.so\\.1|lib\\w+\\.so\\.13|no CUDA device|no usable CUDA device).*");
    }
}
