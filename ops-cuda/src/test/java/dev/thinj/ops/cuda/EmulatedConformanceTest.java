package dev.thinj.ops.cuda;

import dev.thinj.ops.Ops;
import dev.thinj.ops.conformance.OpsConformanceSuite;
import dev.thinj.ops.cuda.emulated.Emulated;
import dev.thinj.ops.cuda.emulated.RequiresEmulator;

/**
 * Runs the shared kernel conformance suite against {@link CudaOps} on the emulated device: the real
 * Java backend and the real {@code native/*.cu} kernels, executed on the host. Skips, naming the
 * reason, where the emulator could not be built.
 */
@RequiresEmulator
class EmulatedConformanceTest extends OpsConformanceSuite {
    @Override
    protected Ops ops() {
        return Emulated.ops();
    }
}
