package dev.thinj.ops.cuda.gpu;

import dev.thinj.ops.Ops;
import dev.thinj.ops.conformance.OpsConformanceSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared kernel conformance suite on the real GPU; skipped with the reason where there is none. */
@ExtendWith(CudaAvailable.class)
class GpuConformanceTest extends OpsConformanceSuite {
    @Override
    protected Ops ops() {
        return Ops.get("cuda");
    }
}
