package dev.thinj.ops.cuda;

import dev.thinj.ops.Ops;
import dev.thinj.ops.conformance.ThincFixtureSuite;
import dev.thinj.ops.cuda.emulated.Emulated;
import dev.thinj.ops.cuda.emulated.RequiresEmulator;

/**
 * Replays Thinc's recorded kernel outputs against {@link CudaOps} on the emulated device. Skips,
 * naming the reason, where the emulator could not be built.
 */
@RequiresEmulator
class EmulatedThincFixtureTest extends ThincFixtureSuite {
    @Override
    protected Ops ops() {
        return Emulated.ops();
    }
}
