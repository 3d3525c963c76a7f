package dev.thinj.ops.cuda.emulated;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The native half of the emulated device: {@code libthinjcudaemu.so}, built from
 * {@code src/test/cpp} and every {@code native/*.cu} by {@code build_emu.sh} during Maven's
 * {@code process-test-classes} phase into {@code target/emu}. Loading is attempted once. When the
 * library is missing because the build machine has no C++ compiler (or no shell),
 * {@link #unavailableReason()} says so and the emulated tests skip with that reason; when the build
 * ran and failed (a kernel source that g++ rejects), {@link #buildFailed()} is true and the tests fail
 * with the compiler's messages, so CI cannot pass by skipping.
 *
 * <p>All methods run synchronously on the calling thread; launches are serialised natively. Range and
 * pointer errors surface as {@link dev.thinj.ops.cuda.device.CudaException}.
 */
final class Emulator {
    /** Overrides where the library is looked for (a directory holding {@code libthinjcudaemu.so}). */
    static final String DIR_PROPERTY = "thinj.cuda.emu.dir";

    private static final String LIBRARY = "libthinjcudaemu.so";
    private static final String REASON;
    private static final boolean BUILD_FAILED;

    static {
        Path dir = libraryDir();
        REASON = load(dir);
        // The build ran (it leaves a log) but did not produce a loadable library, and not for want of g++.
        BUILD_FAILED = REASON != null && Files.isRegularFile(dir.resolve("build.log"))
                && !Files.exists(dir.resolve("no-compiler"));
    }

    private Emulator() {
    }

    /** @return null when the library is loaded, else why not ("emulator not built: ...") */
    static String unavailableReason() {
        return REASON;
    }

    /** @return whether the native library is loaded */
    static boolean available() {
        return REASON == null;
    }

    /** @return whether the build ran with a compiler and failed: emulated tests must fail, not skip */
    static boolean buildFailed() {
        return BUILD_FAILED;
    }

    private static String load(Path dir) {
        Path lib = dir.resolve(LIBRARY);
        if (!Files.isRegularFile(lib)) {
            boolean ran = Files.isRegularFile(dir.resolve("build.log")) && !Files.exists(dir.resolve("no-compiler"));
            return (ran ? "emulator build failed: " : "emulator not built: ") + lib + " is missing" + buildLog(dir);
        }
        try {
            System.load(lib.toAbsolutePath().toString());
            return null;
        } catch (UnsatisfiedLinkError e) {
            return "emulator not built: " + lib + " does not load: " + e.getMessage();
        }
    }

    /** The directory named by the property, else {@code target/emu} next to the test classes. */
    private static Path libraryDir() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            Path classes = Path.of(Emulator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.resolveSibling("emu");  // target/test-classes -> target/emu
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "emu");
        }
    }

    private static String buildLog(Path dir) {
        Path log = dir.resolve("build.log");
        try {
            if (!Files.isRegularFile(log)) {
                return " (build_emu.sh did not run: is sh missing?)";
            }
            List<String> lines = Files.readAllLines(log);
            if (lines.isEmpty()) {
                return " (build_emu.sh did not finish)";
            }
            return "; " + log + ": " + String.join("\n", lines.subList(0, Math.min(20, lines.size())));
        } catch (IOException e) {
            return " (" + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    // ---- memory (host memory standing in for the device's; 256-byte aligned, filled with 0xFF) ----

    /** @return the address, or 0 when the host is out of memory */
    static native long malloc(long bytes);

    /** @return the size of the freed block, or -1 if {@code address} is not a live device allocation */
    static native long free(long address);

    static native long mallocPinned(long bytes);

    static native long freePinned(long address);

    static native void uploadFloats(long dst, float[] src, int offset, int count, boolean pinned);

    static native void uploadInts(long dst, int[] src, int offset, int count, boolean pinned);

    static native void downloadFloats(float[] dst, int offset, long src, int count);

    static native void downloadInts(int[] dst, int offset, long src, int count);

    static native void copy(long dst, long src, long bytes, boolean fromPinned);

    static native void memset(long dst, int value, long bytes);

    // ---- kernels -----------------------------------------------------------------------------------

    /** @return the registry index of the kernel, or -1 */
    static native int kernelIndex(String name);

    /** @return every registered kernel's name, in registry order */
    static native String[] kernelNames();

    static native int kernelArity(int index);

    /** @return the source file defining the kernel */
    static native String kernelSource(int index);

    /**
     * Sets the count the next launches' thread and block orders derive from, for a test whose outcome
     * depends on those orders (otherwise they depend on how many launches ran before it in the JVM,
     * which a batch producer thread makes a matter of scheduling).
     */
    static native void restartLaunchCount(long count);

    /** Runs the kernel to completion; {@code slots} holds one 8-byte slot per parameter. */
    static native void launch(int index, int grid, int block, ByteBuffer slots, int count);

    /** Column-major GEMM with cuBLAS's semantics (see {@code Device.sgemm}). */
    static native void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b,
            int ldb, float beta, long c, int ldc);
}
