package dev.thinj.ops.cuda.device;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the errors of loading Bytedeco's CUDA bindings into one line a user can act on. Bytedeco
 * reports a missing library as an {@link UnsatisfiedLinkError} about its own JNI glue
 * ({@code no jnicudart in java.library.path}) whose cause names the CUDA library the glue could not
 * find ({@code libcuda.so.1: cannot open shared object file}); later attempts see only
 * {@link NoClassDefFoundError}. The useful part is the library's name.
 */
public final class CudaLibraries {
    /**
     * NVRTC's builtins library, which {@code libnvrtc.so.13} opens at its first compile: its file name
     * carries NVRTC's minor version ({@code libnvrtc-builtins.so.13.0} beside NVRTC 13.0).
     */
    public static final String NVRTC_BUILTINS = "libnvrtc-builtins.so.13.<minor>";

    /** The libraries the backend needs at run time, in the order a user would install them. */
    public static final String RUNTIME_LIBRARIES = "libcuda.so.1 (NVIDIA driver), libcudart.so.13, libcublas.so.13, "
            + "libcublasLt.so.13, libnvrtc.so.13, " + NVRTC_BUILTINS + " (NVRTC's minor version)";

    private static final Pattern MISSING = Pattern.compile("(lib[\\w+.-]*?\\.so(?:\\.\\d+)*): cannot open shared object file");

    private CudaLibraries() {
    }

    /**
     * @param t what loading or initialising the bindings threw
     * @return one line: the missing library and what to do, or the error chain
     */
    public static String describe(Throwable t) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable c = t; c != null && messages.size() < 8; c = c.getCause()) {
            messages.add(c.getClass().getSimpleName() + ": " + c.getMessage());
        }
        String all = String.join("; ", messages);
        Matcher m = MISSING.matcher(all);
        if (m.find()) {
            String lib = m.group(1);
            String hint = lib.startsWith("libcuda.so")
                    ? "the NVIDIA driver is not installed (no GPU here?)"
                    : "put the CUDA 13 libraries on LD_LIBRARY_PATH (" + RUNTIME_LIBRARIES + ")";
            return lib + " not found: " + hint;
        }
        return oneLine(all);
    }

    /**
     * @param s any text
     * @return it on one line, at most 400 characters
     */
    static String oneLine(String s) {
        String flat = s.replaceAll("\\s*\\R\\s*", " ").strip();
        return flat.length() > 400 ? flat.substring(0, 397) + "..." : flat;
    }
}
