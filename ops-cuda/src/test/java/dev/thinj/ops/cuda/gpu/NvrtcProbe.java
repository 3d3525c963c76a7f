package dev.thinj.ops.cuda.gpu;

import dev.thinj.ops.cuda.device.KernelCache;
import dev.thinj.ops.cuda.device.KernelSources;
import dev.thinj.ops.cuda.device.NvrtcCompiler;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child process of {@link RealNvrtcTest}: compiles every packaged {@code native/*.cu} through the
 * project's {@link NvrtcCompiler} (its options, a fresh {@link KernelCache}) for each compute
 * capability given, in a JVM whose {@code LD_LIBRARY_PATH} the test chose, and prints one line per
 * module for the test to read:
 * <pre>
 * version nvrtc 13.0                                (or: version none REASON)
 * module FILE sm_XY ORIGIN BYTES ELF_MACHINE         (ELF_MACHINE 190 = EM_CUDA; -1: not ELF)
 * fallback REASON                                   (NvrtcCompiler.fallbackReason(), or "none")
 * </pre>
 */
public final class NvrtcProbe {
    private NvrtcProbe() {
    }

    /** @param args compute capabilities, such as {@code 80 90 100} */
    public static void main(String[] args) throws Exception {
        String version = NvrtcCompiler.version();
        System.out.println("version " + (version != null ? version : "none " + NvrtcCompiler.unavailableReason()));
        KernelSources sources = KernelSources.load();
        for (String cc : args) {
            Path cache = Files.createTempDirectory("thinj-nvrtc-probe");
            try {
                NvrtcCompiler compiler = new NvrtcCompiler(sources, new KernelCache(cache), Integer.parseInt(cc));
                for (String file : sources.sources()) {
                    NvrtcCompiler.Module m = compiler.module(file);
                    System.out.println("module " + file + " " + compiler.arch() + " " + m.origin() + " " + m.image().length
                            + " " + elfMachine(m.image()));
                }
            } finally {
                try (var files = Files.walk(cache)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        String fallback = NvrtcCompiler.fallbackReason();
        System.out.println("fallback " + (fallback != null ? fallback : "none"));
    }

    /** @return the ELF header's {@code e_machine} (little-endian), or -1 if the image is not ELF */
    static int elfMachine(byte[] image) {
        if (image.length < 20 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F') {
            return -1;
        }
        return (image[18] & 0xff) | (image[19] & 0xff) << 8;
    }
}
