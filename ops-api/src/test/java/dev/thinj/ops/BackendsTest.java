package dev.thinj.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.ops.spi.OpsProvider;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Backend selection with fake providers: naming, priority, availability, defaults and scopes. */
class BackendsTest {
    /** A provider with fixed answers that counts how often it is probed and created. */
    static final class FakeProvider implements OpsProvider {
        final String name;
        final int priority;
        final boolean gpu;
        final boolean available;
        final String reason;
        final AtomicInteger probes = new AtomicInteger();
        final AtomicInteger creations = new AtomicInteger();
        RuntimeException probeFailure;
        Error createFailure;

        FakeProvider(String name, int priority, boolean gpu, boolean available, String reason) {
            this.name = name;
            this.priority = priority;
            this.gpu = gpu;
            this.available = available;
            this.reason = reason;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public boolean isGpu() {
            return gpu;
        }

        @Override
        public boolean isAvailable() {
            probes.incrementAndGet();
            if (probeFailure != null) {
                throw probeFailure;
            }
            return available;
        }

        @Override
        public String unavailableReason() {
            return available ? "" : reason;
        }

        @Override
        public Ops create() {
            creations.incrementAndGet();
            if (createFailure != null) {
                throw createFailure;
            }
            return fakeOps(name, gpu);
        }
    }

    static Ops fakeOps(String name, boolean gpu) {
        return (Ops) Proxy.newProxyInstance(Ops.class.getClassLoader(), new Class<?>[] {Ops.class}, (proxy, m, args) -> {
            switch (m.getName()) {
                case "name":
                    return name;
                case "isGpu":
                    return gpu;
                case "toString":
                    return "FakeOps(" + name + ")";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    private final FakeProvider cpu = new FakeProvider("cpu", 10, false, true, "");
    private final FakeProvider cuda = new FakeProvider("cuda", 100, true, false,
            "libcudart.so.13 not found (no NVIDIA driver)");

    private Backends backends(String property, String env, OpsProvider... providers) {
        return new Backends(List.of(providers), property, env);
    }

    @Test
    void autoPicksTheHighestPriorityAvailableBackend() {
        FakeProvider gpu = new FakeProvider("gpu", 50, true, true, "");
        Backends b = backends(null, null, cpu, gpu, cuda);
        assertThat(b.select("auto").name()).isEqualTo("gpu");
        assertThat(backends(null, null, cpu, cuda).select("auto").name()).isEqualTo("cpu");
    }

    @Test
    void namesAreCaseInsensitiveAndInstancesAreCreatedOnce() {
        Backends b = backends(null, null, cpu);
        Ops first = b.select("CPU");
        assertThat(b.select(" cpu ")).isSameAs(first);
        assertThat(cpu.creations).hasValue(1);
    }

    @Test
    void anUnavailableBackendFailsWithItsReasonAndTheTable() {
        Backends b = backends(null, null, cpu, cuda);
        assertThatThrownBy(() -> b.select("cuda"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("'cuda' is not available")
                .hasMessageContaining("libcudart.so.13 not found")
                .hasMessageContaining("cpu")
                .hasMessageContaining("thinj.ops");
        assertThat(cuda.creations).hasValue(0);
    }

    @Test
    void anUnknownNameListsWhatExists() {
        Backends b = backends(null, null, cpu, cuda);
        assertThatThrownBy(() -> b.select("tpu"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("No backend named 'tpu'")
                .hasMessageContaining("cpu")
                .hasMessageContaining("cuda");
        assertThatThrownBy(() -> b.select(" "))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("No backend name given");
    }

    @Test
    void availabilityIsProbedOnceAndAThrowingProbeMeansUnavailable() {
        FakeProvider broken = new FakeProvider("broken", 1000, true, true, "probe exploded");
        broken.probeFailure = new IllegalStateException("boom");
        Backends b = backends(null, null, cpu, broken);
        assertThat(b.select("auto").name()).isEqualTo("cpu");
        assertThat(b.select("auto").name()).isEqualTo("cpu");
        assertThat(b.backendInfos()).hasSize(2);
        assertThat(broken.probes).hasValue(1);
        assertThat(cpu.probes).hasValue(1);
    }

    @Test
    void aBackendThatFailsToStartIsReportedWithItsCause() {
        FakeProvider flaky = new FakeProvider("flaky", 5, false, true, "");
        flaky.createFailure = new UnsatisfiedLinkError("libfoo.so: cannot open shared object file");
        Backends b = backends(null, null, flaky);
        assertThatThrownBy(() -> b.select("flaky"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("failed to start")
                .hasMessageContaining("libfoo.so")
                .hasCauseInstanceOf(UnsatisfiedLinkError.class);
    }

    @Test
    void noBackendAtAllSaysWhichDependencyToAdd() {
        Backends b = backends(null, null);
        assertThatThrownBy(() -> b.select("auto"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("thinj-ops-cpu");
    }

    @Test
    void theDefaultComesFromThePropertyThenTheEnvironmentThenAuto() {
        FakeProvider other = new FakeProvider("other", 1, false, true, "");
        assertThat(backends("other", "cpu", cpu, other).currentOps().name()).isEqualTo("other");
        assertThat(backends(null, "other", cpu, other).currentOps().name()).isEqualTo("other");
        assertThat(backends("", " ", cpu, other).currentOps().name()).isEqualTo("cpu");
        assertThatThrownBy(() -> backends("cuda", null, cpu, cuda).currentOps())
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("libcudart");
    }

    @Test
    void useScopesNestAndRestore() {
        FakeProvider other = new FakeProvider("other", 1, false, true, "");
        Backends b = backends(null, null, cpu, other);
        Ops outer = b.currentOps();
        OpsScope s1 = b.push(b.select("other"));
        assertThat(b.currentOps().name()).isEqualTo("other");
        OpsScope s2 = b.push(b.select("cpu"));
        assertThat(b.currentOps().name()).isEqualTo("cpu");
        assertThatThrownBy(() -> b.pop(s1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("out of order");
        b.pop(s2);
        assertThat(b.currentOps().name()).isEqualTo("other");
        b.pop(s1);
        assertThat(b.currentOps()).isSameAs(outer);
    }

    @Test
    void useScopesArePerThread() throws Exception {
        FakeProvider other = new FakeProvider("other", 1, false, true, "");
        Backends b = backends(null, null, cpu, other);
        OpsScope s = b.push(b.select("other"));
        String[] seen = new String[1];
        Thread t = new Thread(() -> seen[0] = b.currentOps().name());
        t.start();
        t.join();
        assertThat(seen[0]).isEqualTo("cpu");
        b.pop(s);
    }

    @Test
    void preferAndRequireGpu() {
        Backends none = backends(null, null, cpu, cuda);
        assertThat(none.preferGpuBackend()).isFalse();
        assertThat(none.currentOps().name()).isEqualTo("cpu");
        assertThatThrownBy(none::requireGpuBackend).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("No GPU backend can run here")
                .hasMessageContaining("libcudart");

        FakeProvider gpu = new FakeProvider("gpu", 50, true, true, "");
        Backends some = backends(null, null, cpu, gpu);
        assertThat(some.preferGpuBackend()).isTrue();
        assertThat(some.currentOps().name()).isEqualTo("gpu");
        assertThat(some.requireGpuBackend().isGpu()).isTrue();
    }

    @Test
    void theTableShowsEveryBackendWithItsReason() {
        String table = backends(null, null, cpu, cuda).table();
        assertThat(table.lines()).hasSize(3);
        assertThat(table).containsPattern("cuda\\s+100\\s+yes\\s+no\\s+libcudart.so.13 not found")
                .containsPattern("cpu\\s+10\\s+no\\s+yes");
    }
}
