package dev.thinj.ops.cuda.gpu;

import dev.thinj.ops.Ops;
import dev.thinj.ops.conformance.ThincFixtureSuite;
import org.junit.jupiter.api.extension.ExtendWith;

/** Thinc's recorded kernel outputs replayed on the real GPU; skipped with the reason where there is none. */
@ExtendWith(CudaAvailable.class)
class GpuThincFixtureTest extends ThincFixtureSuite {
    @Override
    protected Ops ops() {
        return Ops.get("cuda");
    }
}
