package dev.thinj.ops.cpu;

import dev.thinj.ops.Ops;
import dev.thinj.ops.conformance.OpsConformanceSuite;

/** Runs the shared kernel conformance suite against the CPU backend. */
class CpuConformanceTest extends OpsConformanceSuite {
    @Override
    protected Ops ops() {
        return Ops.get("cpu");
    }
}
