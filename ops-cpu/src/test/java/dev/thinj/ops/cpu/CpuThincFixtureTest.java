package dev.thinj.ops.cpu;

import dev.thinj.ops.Ops;
import dev.thinj.ops.conformance.ThincFixtureSuite;

/** Replays Thinc's recorded kernel outputs against the CPU backend. */
class CpuThincFixtureTest extends ThincFixtureSuite {
    @Override
    protected Ops ops() {
        return Ops.get("cpu");
    }
}
