package dev.thinj.ops.cuda.device;

import static org.bytedeco.cuda.global.nvrtc.NVRTC_ERROR_BUILTIN_OPERATION_FAILURE;
import static org.bytedeco.cuda.global.nvrtc.NVRTC_ERROR_INVALID_OPTION;
import static org.bytedeco.cuda.global.nvrtc.NVRTC_SUCCESS;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBIN;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBINSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetErrorString;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcVersion;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Turns one {@code native/*.cu} source into a module image that {@code cuModuleLoadData} accepts.
 *
 * <p><b>Why NVRTC first.</b> NVRTC compiles at run time for the device actually present
 * ({@code --gpu-architecture=sm_XY} from its compute capability), so the module is native code tuned
 * for that GPU, and the build needs no CUDA toolkit at all: the jar carries only the sources. The
 * CUBIN is cached on disk ({@link KernelCache}), so only the first start on a machine compiles.
 *
 * <p><b>Why PTX as the fallback.</b> Where NVRTC cannot run ({@code libnvrtc.so.13} missing; its
 * {@code libnvrtc-builtins.so.13.<minor>} not on the loader path, which NVRTC reports as
 * {@code NVRTC_ERROR_BUILTIN_OPERATION_FAILURE}; or a GPU newer than this NVRTC knows), the PTX that
 * {@code nvcc --ptx -arch=compute_75} wrote at package time (if nvcc was installed there) is loaded
 * instead: the driver compiles PTX for whatever GPU it drives, at the cost of a JIT at every start and
 * no tuning for the device. Each kind of fallback is logged once per process, as one warning line
 * (also {@link #fallbackReason()}); a missing builtins library is remembered, so later sources go
 * straight to PTX. A compile error in a source is never papered over by the fallback: it is reported
 * with NVRTC's log.
 *
 * <p><b>Options.</b> {@code -std=c++17} and {@code --fmad=false}; never {@code --use_fast_math}. Without
 * contraction each multiply and add rounds exactly as the CPU backend's Java code does (and as the
 * tests' emulated device, compiled by g++ without FMA), so both backends agree to the last bits where
 * the operation order is the same; the kernels are memory-bound, so fused multiply-adds would buy
 * nothing.
 */
public final class NvrtcCompiler {
    /** Options besides the architecture, in order. */
    public static final List<String> OPTIONS = List.of("-std=c++17", "--fmad=false");

    private static final System.Logger LOG = System.getLogger(NvrtcCompiler.class.getName());

    /** Fallback reasons already logged in this process: each is one warning line, once. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** Why NVRTC cannot compile anything in this process (its builtins library is missing), or null. */
    private static volatile String broken;

    /** The latest reason a source fell back to PTX, or null. */
    private static volatile String lastFallback;

    /** How a module image was obtained. */
    public enum Origin {
        /** Compiled by NVRTC in this process. */
        NVRTC,
        /** Loaded from the {@link KernelCache} (compiled by an earlier process or device). */
        CACHE,
        /** nvcc's build-time PTX, for the driver to compile. */
        PTX
    }

    /**
     * A module image: CUBIN (from NVRTC or the cache) or NUL-terminated PTX.
     *
     * @param file the source's name
     * @param image the bytes for {@code cuModuleLoadData}
     * @param origin where they came from
     */
    public record Module(String file, byte[] image, Origin origin) {
    }

    private final KernelSources sources;
    private final KernelCache cache;
    private final int computeCapability;

    /**
     * @param sources the kernel sources
     * @param cache where CUBINs are kept between processes
     * @param computeCapability {@code major * 10 + minor} of the target device
     */
    public NvrtcCompiler(KernelSources sources, KernelCache cache, int computeCapability) {
        this.sources = sources;
        this.cache = cache;
        this.computeCapability = computeCapability;
    }

    /** @return the {@code sm_XY} architecture compiled for */
    public String arch() {
        return "sm_" + computeCapability;
    }

    /**
     * @return the NVRTC version ({@code "nvrtc 13.0"}), or null if {@code libnvrtc} cannot be loaded
     */
    public static String version() {
        return NvrtcState.VERSION;
    }

    /** @return why NVRTC cannot be used, or an empty string */
    public static String unavailableReason() {
        return NvrtcState.REASON;
    }

    /**
     * @return why the latest module of this process came from build-time PTX although NVRTC loaded
     *     (its builtins library missing, or the architecture rejected), or null if none did
     */
    public static String fallbackReason() {
        return lastFallback;
    }

    /**
     * @param file a {@code .cu} name from {@link KernelSources#sources()}
     * @return the module image
     * @throws CudaException with NVRTC's log if the source does not compile, or if neither NVRTC nor
     *     build-time PTX is there
     */
    public Module module(String file) {
        String text = sources.text(file);
        String version = NvrtcState.VERSION;
        String whyNot = version == null ? "NVRTC is unavailable (" + NvrtcState.REASON + ")" : broken;
        if (whyNot == null) {
            List<String> options = options();
            String key = KernelCache.key(file, text, sources.headers(), options, version, arch());
            byte[] cached = cache.load(key);
            if (cached != null) {
                return new Module(file, cached, Origin.CACHE);
            }
            Compiled c = compile(file, text, options);
            if (c.cubin() != null) {
                cache.store(key, c.cubin());
                return new Module(file, c.cubin(), Origin.NVRTC);
            }
            whyNot = c.fallback();
        }
        byte[] ptx = KernelSources.buildTimePtx(file);
        if (ptx == null) {
            throw new CudaException("cannot build CUDA kernels from " + file + " for " + arch() + ": " + whyNot
                    + ", and the jar holds no build-time PTX (nvcc was not installed where it was packaged)");
        }
        if (version != null) {
            lastFallback = whyNot;
        }
        byte[] image = Arrays.copyOf(ptx, ptx.length + 1);  // the driver reads PTX as a C string
        return new Module(file, image, Origin.PTX);
    }

    /** @return the architecture option followed by {@link #OPTIONS} */
    public List<String> options() {
        List<String> o = new ArrayList<>();
        o.add("--gpu-architecture=" + arch());
        o.addAll(OPTIONS);
        return o;
    }

    /**
     * What one NVRTC compile gave.
     *
     * @param cubin the CUBIN, or null when PTX is to be tried instead
     * @param fallback why PTX is to be tried, when {@code cubin} is null
     */
    private record Compiled(byte[] cubin, String fallback) {
    }

    /** @return the CUBIN, or why not if NVRTC cannot build for this architecture here (then PTX is tried) */
    private Compiled compile(String file, String text, List<String> options) {
        List<Pointer> owned = new ArrayList<>();
        _nvrtcProgram program = new _nvrtcProgram();
        try {
            Map<String, String> headers = sources.headers();
            BytePointer[] headerTexts = new BytePointer[headers.size()];
            BytePointer[] headerNames = new BytePointer[headers.size()];
            int h = 0;
            for (Map.Entry<String, String> e : headers.entrySet()) {
                headerNames[h] = cString(e.getKey(), owned);
                headerTexts[h] = cString(e.getValue(), owned);
                h++;
            }
            PointerPointer<BytePointer> texts = new PointerPointer<>(headerTexts);
            PointerPointer<BytePointer> names = new PointerPointer<>(headerNames);
            owned.add(texts);
            owned.add(names);
            int r = nvrtcCreateProgram(program, cString(text, owned), cString(file, owned), headers.size(),
                    headers.isEmpty() ? null : texts, headers.isEmpty() ? null : names);
            if (r != NVRTC_SUCCESS) {
                throw new CudaException("nvrtcCreateProgram for " + file + " failed: " + error(r));
            }
            BytePointer[] opts = new BytePointer[options.size()];
            for (int i = 0; i < opts.length; i++) {
                opts[i] = cString(options.get(i), owned);
            }
            PointerPointer<BytePointer> optionArray = new PointerPointer<>(opts);
            owned.add(optionArray);
            r = nvrtcCompileProgram(program, opts.length, optionArray);
            if (r == NVRTC_ERROR_INVALID_OPTION) {
                // The other options are constants NVRTC 13 accepts, so the architecture is what it rejects.
                String why = NvrtcState.VERSION + " rejected " + options + " (" + CudaLibraries.oneLine(log(program)) + ")";
                warnOnce(why);
                return new Compiled(null, why);
            }
            if (r == NVRTC_ERROR_BUILTIN_OPERATION_FAILURE) {
                // NVRTC dlopens libnvrtc-builtins.so.13.<minor> at its first compile; without it nothing
                // compiles, whatever the source: remember that, so later sources go straight to PTX.
                String why = NvrtcState.VERSION + " cannot compile (" + error(r) + ": " + CudaLibraries.oneLine(log(program))
                        + "); put " + CudaLibraries.NVRTC_BUILTINS + " beside libnvrtc.so.13 on LD_LIBRARY_PATH";
                broken = why;
                warnOnce(why);
                return new Compiled(null, why);
            }
            if (r != NVRTC_SUCCESS) {
                throw new CudaException("NVRTC could not compile " + file + " for " + arch() + " (" + error(r) + "), options "
                        + options + ":\n" + log(program));
            }
            try (SizeTPointer size = new SizeTPointer(1)) {
                check(nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize", file);
                byte[] cubin = new byte[(int) size.get()];
                check(nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN", file);
                return new Compiled(cubin, null);
            }
        } finally {
            if (!program.isNull()) {
                nvrtcDestroyProgram(program);
            }
            for (Pointer p : owned) {
                p.close();
            }
        }
    }

    /** Logs one warning line per distinct fallback reason in this process. */
    private static void warnOnce(String why) {
        if (WARNED.add(why)) {
            LOG.log(System.Logger.Level.WARNING, why + "; loading the build-time PTX instead (the driver compiles it)");
        }
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtcGetProgramLogSize(program, size) != NVRTC_SUCCESS || size.get() <= 1) {
                return "(no compiler log)";
            }
            byte[] bytes = new byte[(int) size.get()];
            if (nvrtcGetProgramLog(program, bytes) != NVRTC_SUCCESS) {
                return "(the compiler log could not be read)";
            }
            return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8).strip();
        }
    }

    private static void check(int result, String call, String file) {
        if (result != NVRTC_SUCCESS) {
            throw new CudaException(call + " for " + file + " failed: " + error(result));
        }
    }

    private static String error(int result) {
        return nvrtcGetErrorString(result).getString();
    }

    /** A NUL-terminated UTF-8 copy in native memory, closed with the others after the compile. */
    private static BytePointer cString(String s, List<Pointer> owned) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        BytePointer p = new BytePointer(Arrays.copyOf(b, b.length + 1));
        owned.add(p);
        return p;
    }

    /** Asks NVRTC its version once; a missing library is remembered, never retried. */
    private static final class NvrtcState {
        static final String VERSION;
        static final String REASON;

        static {
            String v = null;
            String reason;
            try {
                int[] major = new int[1];
                int[] minor = new int[1];
                int r = nvrtcVersion(major, minor);
                if (r == NVRTC_SUCCESS) {
                    v = "nvrtc " + major[0] + "." + minor[0];
                    reason = "";
                } else {
                    reason = "nvrtcVersion failed: " + error(r);
                }
            } catch (Throwable t) {
                reason = CudaLibraries.describe(t);
            }
            VERSION = v;
            REASON = reason;
        }
    }
}
