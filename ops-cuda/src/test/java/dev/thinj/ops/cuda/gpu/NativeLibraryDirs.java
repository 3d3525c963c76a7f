package dev.thinj.ops.cuda.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where this machine's CUDA libraries are, for tests that start a JVM with a chosen
 * {@code LD_LIBRARY_PATH}: the folders named by an environment variable, those on the current
 * {@code LD_LIBRARY_PATH}, the dynamic loader's cache ({@code ldconfig -p}) and the NVIDIA container
 * folder. Also builds a stand-in for the driver where there is none (see {@link #driverStub}).
 */
final class NativeLibraryDirs {
    private NativeLibraryDirs() {
    }

    /** @return the folders of {@code LD_LIBRARY_PATH}, in order */
    static List<Path> ldLibraryPath() {
        List<Path> dirs = new ArrayList<>();
        String v = System.getenv("LD_LIBRARY_PATH");
        if (v != null) {
            for (String d : v.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        return dirs;
    }

    /**
     * @param file a library file name, such as {@code libnvrtc.so.13}
     * @param first folders to look in first
     * @return the first folder among {@code first}, {@code LD_LIBRARY_PATH} and the loader's cache that
     *     holds it
     */
    static Optional<Path> find(String file, List<Path> first) {
        Set<Path> dirs = new LinkedHashSet<>(first);
        dirs.addAll(ldLibraryPath());
        dirs.addAll(loaderCache(file));
        dirs.add(Path.of("/usr/local/nvidia/lib64"));
        return dirs.stream().filter(d -> Files.isRegularFile(d.resolve(file))).findFirst();
    }

    /** @return the folders {@code ldconfig -p} lists {@code file} in (empty without ldconfig) */
    static List<Path> loaderCache(String file) {
        List<Path> dirs = new ArrayList<>();
        for (String ldconfig : List.of("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            Optional<String> out = run(List.of(ldconfig, "-p"));
            if (out.isPresent()) {
                for (String line : out.get().split("\n")) {
                    String t = line.strip();
                    int arrow = t.indexOf("=> ");
                    if (t.startsWith(file + " ") && arrow > 0) {
                        Path lib = Path.of(t.substring(arrow + 3).strip());
                        if (lib.getParent() != null) {
                            dirs.add(lib.getParent());
                        }
                    }
                }
                break;
            }
        }
        return dirs;
    }

    /**
     * A stand-in {@code libcuda.so.1} for a machine without the NVIDIA driver: Bytedeco's NVRTC bindings
     * load its CUDA runtime bindings first, and those link the driver, although NVRTC never calls it.
     * Every driver function the runtime bindings import is defined to return
     * {@code CUDA_ERROR_STUB_LIBRARY} (34), as NVIDIA's own link stub does.
     *
     * @param dir where to build it
     * @return the folder holding {@code libcuda.so.1}, or why it could not be built
     */
    static Result driverStub(Path dir) throws IOException {
        Path jni = dir.resolve("libjnicudart.so");
        try (InputStream in = NativeLibraryDirs.class.getClassLoader()
                .getResourceAsStream("org/bytedeco/cuda/linux-x86_64/libjnicudart.so")) {
            if (in == null) {
                return Result.failed("Bytedeco's libjnicudart.so is not on the class path");
            }
            Files.copy(in, jni);
        }
        Optional<String> symbols = run(List.of("nm", "-D", "--undefined-only", jni.toString()));
        if (symbols.isEmpty()) {
            return Result.failed("nm is not installed (it lists the driver functions the stub must define)");
        }
        StringBuilder c = new StringBuilder();
        int n = 0;
        for (String line : symbols.get().split("\n")) {
            String[] f = line.strip().split("\\s+");
            String name = f[f.length - 1];
            if (name.matches("cu[A-Z]\\w*")) {  // unversioned cu* names: the driver API
                c.append("int ").append(name).append("(void) { return 34; }\n");
                n++;
            }
        }
        if (n == 0) {
            return Result.failed("libjnicudart.so imports no driver function: nothing to stand in for");
        }
        Path source = dir.resolve("cuda_stub.c");
        Files.writeString(source, c.toString(), StandardCharsets.US_ASCII);
        Path lib = dir.resolve("libcuda.so.1");
        for (String cc : List.of("cc", "gcc")) {
            if (run(List.of(cc, "-shared", "-fPIC", "-o", lib.toString(), "-Wl,-soname,libcuda.so.1", source.toString()))
                    .isPresent() && Files.isRegularFile(lib)) {
                return Result.ok(dir);
            }
        }
        return Result.failed("no C compiler (cc, gcc) to build a stand-in libcuda.so.1");
    }

    /** A folder, or why there is none. */
    record Result(Path dir, String reason) {
        static Result ok(Path dir) {
            return new Result(dir, null);
        }

        static Result failed(String reason) {
            return new Result(null, reason);
        }
    }

    /** @return the command's standard output if it ran and exited 0 within a minute, else empty */
    private static Optional<String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
