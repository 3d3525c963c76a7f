package dev.thinj.ops.cuda.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.thinj.ops.Ops;
import dev.thinj.ops.cuda.device.KernelSources;
import dev.thinj.ops.cuda.device.NvrtcCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NVIDIA's real NVRTC (CUDA 13), which needs no GPU: every packaged {@code native/*.cu} compiles through
 * the project's {@link NvrtcCompiler}, with its options, for Ampere, Hopper and Blackwell (sm_80, sm_90,
 * sm_100) into CUBINs; and with its builtins library hidden, NVRTC's
 * {@code NVRTC_ERROR_BUILTIN_OPERATION_FAILURE} makes the compiler load the build-time PTX instead, with
 * one warning line, rather than stop the backend.
 *
 * <p>The libraries come from {@code THINJ_NVRTC_DIR} (CI: {@code .ci/nvrtc.sh} installs the
 * {@code nvidia-cuda-nvrtc} and {@code nvidia-cuda-runtime} wheels there), else from
 * {@code LD_LIBRARY_PATH} or the loader's cache (a GPU host). Each case runs in a child JVM, since
 * libraries are found through the {@code LD_LIBRARY_PATH} a process starts with. Bytedeco's NVRTC
 * bindings load its CUDA runtime bindings, which link the driver; where there is no driver, a stand-in
 * {@code libcuda.so.1} is built (NVRTC never calls it). Skips, with the reason, where the libraries
 * cannot be had.
 */
class RealNvrtcTest {
    private static final List<String> CAPABILITIES = List.of("80", "90", "100");
    /** A hang guard: compiling every source for three architectures takes about 20 s on two cores. */
    private static final long CHILD_TIMEOUT_S = 600;

    private static Path nvrtcDir;
    private static Path cudartDir;
    /**
     * Where the child finds {@code libcuda.so.1}: a stand-in's folder, or the real driver's where the
     * loader's cache does not list it (a container's /usr/local/nvidia/lib64); null where the loader finds it.
     */
    private static Path driverDir;
    private static String skip;

    @BeforeAll
    static void libraries(@TempDir Path dir) throws IOException {
        String given = System.getenv("THINJ_NVRTC_DIR");
        Optional<Path> nvrtc = given != null && !given.isBlank()
                ? Optional.of(Path.of(given)).filter(d -> Files.isRegularFile(d.resolve("libnvrtc.so.13")))
                : NativeLibraryDirs.find("libnvrtc.so.13", List.of());
        if (nvrtc.isEmpty()) {
            String why = System.getenv("THINJ_NVRTC_REASON");
            skip = "no libnvrtc.so.13 (CUDA 13 NVRTC) here: " + (why != null && !why.isBlank() ? why
                    : given != null ? "THINJ_NVRTC_DIR=" + given + " does not hold it"
                            : "set THINJ_NVRTC_DIR (.ci/nvrtc.sh installs it) or put it on LD_LIBRARY_PATH");
            return;
        }
        nvrtcDir = nvrtc.get();
        if (builtins(nvrtcDir).isEmpty()) {
            skip = nvrtcDir + " holds libnvrtc.so.13 but not its libnvrtc-builtins.so.13.<minor>";
            return;
        }
        Optional<Path> cudart = NativeLibraryDirs.find("libcudart.so.13", List.of(nvrtcDir));
        if (cudart.isEmpty()) {
            skip = "no libcudart.so.13 (Bytedeco's NVRTC bindings load its CUDA runtime bindings) beside "
                    + nvrtcDir + ", on LD_LIBRARY_PATH or in the loader's cache";
            return;
        }
        cudartDir = cudart.get();
        Optional<Path> driver = NativeLibraryDirs.find("libcuda.so.1", List.of());
        if (driver.isEmpty()) {
            NativeLibraryDirs.Result stub = NativeLibraryDirs.driverStub(Files.createDirectories(dir.resolve("driver")));
            if (stub.dir() == null) {
                skip = "no NVIDIA driver here and no stand-in for it: " + stub.reason();
                return;
            }
            driverDir = stub.dir();
        } else if (NativeLibraryDirs.loaderCache("libcuda.so.1").isEmpty()) {
            driverDir = driver.get();
        }
    }

    private static List<String> builtins(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("libnvrtc-builtins.so.13.")).toList();
        }
    }

    private static ChildJvm child() {
        return new ChildJvm(List.of(NvrtcProbe.class, NvrtcCompiler.class, Ops.class, org.bytedeco.javacpp.Loader.class,
                org.bytedeco.cuda.global.nvrtc.class), List.of("org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so",
                "org/bytedeco/cuda/linux-x86_64/libjninvrtc.so"));
    }

    private static List<Path> path(Path... dirs) {
        List<Path> p = new ArrayList<>(List.of(dirs));
        if (driverDir != null) {
            p.add(driverDir);
        }
        return p;
    }

    /** @return the probe's {@code module FILE ARCH ORIGIN BYTES MACHINE} lines, split */
    private static List<String[]> modules(ChildJvm.Run run) {
        return run.out().lines().filter(l -> l.startsWith("module ")).map(l -> l.split(" ")).toList();
    }

    private static String line(ChildJvm.Run run, String prefix) {
        return run.out().lines().filter(l -> l.startsWith(prefix + " ")).findFirst().map(l -> l.substring(prefix.length() + 1))
                .orElse("(no " + prefix + " line)");
    }

    @Test
    void everySourceCompilesToACubinForSm80Sm90AndSm100() throws Exception {
        assumeTrue(skip == null, () -> skip);
        ChildJvm.Run run = child().run(NvrtcProbe.class, path(nvrtcDir, cudartDir), CHILD_TIMEOUT_S,
                CAPABILITIES.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.transcript()).isZero();
        assertThat(line(run, "version")).as(run.transcript()).startsWith("nvrtc 13.");
        List<String> sources = KernelSources.load().sources();
        List<String[]> modules = modules(run);
        assertThat(modules).as(run.transcript()).hasSize(sources.size() * CAPABILITIES.size());
        for (String cc : CAPABILITIES) {
            for (String file : sources) {
                String[] m = modules.stream().filter(x -> x[1].equals(file) && x[2].equals("sm_" + cc)).findFirst()
                        .orElseThrow(() -> new AssertionError(file + " for sm_" + cc + " missing:\n" + run.transcript()));
                assertThat(m[3]).as(file + " sm_" + cc + " origin").isEqualTo("NVRTC");
                assertThat(Integer.parseInt(m[5])).as(file + " sm_" + cc + ": an ELF CUBIN for CUDA (EM_CUDA 190)")
                        .isEqualTo(190);
            }
        }
        assertThat(line(run, "fallback")).isEqualTo("none");
        assertThat(run.err().lines().filter(l -> l.startsWith("WARNING:"))).as("no fallback warning when NVRTC works")
                .isEmpty();
    }

    @Test
    void withoutItsBuiltinsLibraryNvrtcFallsBackToTheBuildTimePtxWithOneWarning(@TempDir Path hidden) throws Exception {
        assumeTrue(skip == null, () -> skip);
        assumeTrue(KernelSources.buildTimePtx("elementwise.cu") != null, "these classes were built without nvcc: no PTX");
        for (String b : builtins(nvrtcDir)) {
            assumeTrue(NativeLibraryDirs.loaderCache(b).isEmpty(), () -> b + " is in the loader's cache here, so it "
                    + "cannot be hidden from NVRTC");
        }
        // libnvrtc and libcudart alone in a folder: NVRTC finds no builtins beside it or on the path.
        for (String lib : List.of("libnvrtc.so.13", "libcudart.so.13")) {
            Path from = (lib.startsWith("libnvrtc") ? nvrtcDir : cudartDir).resolve(lib);
            try {
                Files.createLink(hidden.resolve(lib), from);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(from, hidden.resolve(lib));  // another file system: a copy (109 MB) will do
            }
        }
        ChildJvm.Run run = child().run(NvrtcProbe.class, path(hidden), CHILD_TIMEOUT_S, "90");
        assertThat(run.exitCode()).as(run.transcript()).isZero();
        assertThat(line(run, "version")).as("NVRTC itself loads:\n" + run.transcript()).startsWith("nvrtc 13.");
        List<String[]> modules = modules(run);
        assertThat(modules).as(run.transcript()).hasSize(KernelSources.load().sources().size());
        assertThat(modules).allSatisfy(m -> assertThat(m[3]).as(m[1]).isEqualTo("PTX"));
        assertThat(line(run, "fallback")).contains("NVRTC_ERROR_BUILTIN_OPERATION_FAILURE")
                .contains("libnvrtc-builtins.so.13");
        List<String> warnings = run.err().lines().filter(l -> l.startsWith("WARNING:")).toList();
        assertThat(warnings).as("one warning line for the whole process:\n" + run.err()).hasSize(1);
        assertThat(warnings.get(0)).contains("libnvrtc-builtins.so.13").contains("PTX");
    }
}
