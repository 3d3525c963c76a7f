package dev.thinj.ops.cuda.emulated;

import dev.thinj.ops.cuda.CudaOps;
import org.junit.jupiter.api.Assumptions;

/**
 * The emulated backend shared by the test suites of one JVM: a single {@link CudaOps} over an
 * {@link EmulatedDevice}, created at first use and never closed (like {@code Ops.get("cpu")}).
 */
public final class Emulated {
    /** Fresh device allocations between the collections the shared backend's pool requests. */
    private static final long GC_BYTES = 256L << 20;

    private Emulated() {
    }

    /** @return null when the emulator is built and loaded, else the reason it is not */
    public static String unavailableReason() {
        return Emulator.unavailableReason();
    }

    /**
     * Skips the calling test (a JUnit assumption) when the emulator is not built for want of a C++
     * compiler, naming the reason.
     *
     * @throws IllegalStateException with the compiler's messages if the build ran and failed
     */
    public static void assumeAvailable() {
        if (Emulator.buildFailed()) {
            throw new IllegalStateException(Emulator.unavailableReason());
        }
        Assumptions.assumeTrue(Emulator.available(), Emulator::unavailableReason);
    }

    /**
     * @return the shared backend
     * @throws org.opentest4j.TestAbortedException (a skip) when the emulator is not built for want of a compiler
     * @throws IllegalStateException when its build failed
     */
    public static CudaOps ops() {
        assumeAvailable();
        return Shared.OPS;
    }

    /** @return the shared backend's device, for launch counts */
    public static EmulatedDevice device() {
        return (EmulatedDevice) ops().device();
    }

    /** Initialised on first use only, so a missing library skips instead of failing class initialisation. */
    private static final class Shared {
        static final CudaOps OPS = new CudaOps(new EmulatedDevice(), GC_BYTES);
    }
}
