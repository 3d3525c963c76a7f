package dev.thinj.ops.cuda.model;

import dev.thinj.ops.BackendInfo;
import dev.thinj.ops.Ops;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link CpuCudaModelContract} on a real GPU through {@code Ops.get("cuda")}; skips with the
 * provider's reason where CUDA cannot run (no driver, no GPU).
 */
class GpuCpuCudaModelTest extends CpuCudaModelContract {
    /** Per test, so that each is reported skipped with the reason. */
    @BeforeEach
    void gpu() {
        BackendInfo cuda = Ops.backends().stream().filter(b -> b.name().equals("cuda")).findFirst().orElse(null);
        Assumptions.assumeTrue(cuda != null, "no 'cuda' provider on the class path");
        Assumptions.assumeTrue(cuda.available(), () -> "CUDA is not available here: " + cuda.reason());
    }

    @Override
    protected Ops cuda() {
        return Ops.get("cuda");
    }
}
