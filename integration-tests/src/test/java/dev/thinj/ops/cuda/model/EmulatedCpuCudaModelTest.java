package dev.thinj.ops.cuda.model;

import dev.thinj.ops.Ops;
import dev.thinj.ops.cuda.emulated.Emulated;
import org.junit.jupiter.api.BeforeAll;

/** {@link CpuCudaModelContract} on the emulated CUDA device (skips, naming why, if the emulator is not built). */
class EmulatedCpuCudaModelTest extends CpuCudaModelContract {
    @BeforeAll
    static void emulator() {
        Emulated.assumeAvailable();
    }

    @Override
    protected Ops cuda() {
        return Emulated.ops();
    }
}
