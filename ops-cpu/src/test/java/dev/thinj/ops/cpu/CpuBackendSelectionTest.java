package dev.thinj.ops.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.ops.BackendUnavailableException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.OpsScope;
import org.junit.jupiter.api.Test;

/** Selection of the real CPU backend through ServiceLoader, as a user meets it. */
class CpuBackendSelectionTest {
    @Test
    void cpuIsFoundByNameAndIsTheSharedInstance() {
        Ops cpu = Ops.get("cpu");
        assertThat(cpu).isInstanceOf(CpuOps.class);
        assertThat(Ops.get("CPU")).isSameAs(cpu);
        assertThat(cpu.isGpu()).isFalse();
        assertThat(cpu.description()).contains("OpenBLAS").contains("thread");
    }

    @Test
    void autoPicksCpuWhenNoGpuBackendIsPresent() {
        assertThat(Ops.get("auto")).isSameAs(Ops.get("cpu"));
        assertThat(Ops.preferGpu()).isFalse();
    }

    @Test
    void cudaFailsWithAClearReasonAndTheTableOfBackends() {
        assertThatThrownBy(() -> Ops.get("cuda"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("cuda")
                .hasMessageContaining("thinj-ops-cuda")
                .hasMessageContaining("cpu");
        assertThatThrownBy(Ops::requireGpu)
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("No GPU backend");
    }

    @Test
    void describeListsCpuAsAvailable() {
        assertThat(Ops.describe()).containsPattern("cpu\\s+10\\s+no\\s+yes");
        assertThat(Ops.backends()).anySatisfy(b -> {
            assertThat(b.name()).isEqualTo("cpu");
            assertThat(b.available()).isTrue();
        });
    }

    @Test
    void useMakesTheBackendCurrentForTheScope() {
        try (OpsScope scope = Ops.use("cpu")) {
            assertThat(Ops.current()).isSameAs(scope.ops());
            FloatArray y = Ops.current().relu(Ops.current().asArray(new float[] {-1f, 2f}), false);
            assertThat(y.toFloatArray()).containsExactly(0f, 2f);
        }
    }

    @Test
    void threadCountIsExposedAndPositive() {
        CpuOps cpu = (CpuOps) Ops.get("cpu");
        assertThat(cpu.threads()).isEqualTo(CpuOpsProvider.configuredThreads()).isPositive();
    }

    @Test
    void aClosedBackendStillComputesLargeKernelsSerially() {
        Ops own = new CpuOpsProvider().create();
        FloatArray x = own.alloc(1000, 1000);
        own.fill(x, -1f);
        own.close();
        assertThat(own.relu(x, true).toFloatArray()).containsOnly(0f);
    }
}
