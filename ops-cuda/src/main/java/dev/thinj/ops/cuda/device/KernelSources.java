package dev.thinj.ops.cuda.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CUDA C++ kernel sources ({@code native/*.cu} and the headers {@code native/*.cuh}), packaged in
 * the jar as resources under {@value #ROOT}.
 *
 * <p>A class path cannot be listed portably (a jar, a directory, a jlink image all differ), so the build
 * writes {@value #INDEX_NAME} next to the sources: one file name per line (see the antrun block of
 * {@code ops-cuda/pom.xml}). The nvcc-built PTX fallback lies under {@value #PTX_ROOT}, one
 * {@code .ptx} per {@code .cu}.
 */
public final class KernelSources {
    /** Class path folder of the sources. */
    public static final String ROOT = "dev/thinj/ops/cuda/kernels/";
    /** Class path folder of the PTX that nvcc wrote at build time (absent where nvcc was not installed). */
    public static final String PTX_ROOT = "dev/thinj/ops/cuda/ptx/";
    /** Name of the build-time index inside {@link #ROOT}. */
    public static final String INDEX_NAME = "kernels.index";

    /** {@code extern "C" __global__ void thinj_x(}: the kernels a source defines. */
    private static final Pattern KERNEL = Pattern.compile("extern\\s+\"C\"\\s+__global__\\s+void\\s+(\\w+)\\s*\\(");

    private final List<String> sources;
    private final Map<String, String> headers;
    private final Map<String, String> texts;
    private final Map<String, String> kernelFiles;

    private KernelSources(Map<String, String> texts) {
        this.texts = Collections.unmodifiableMap(texts);
        List<String> cu = new ArrayList<>();
        Map<String, String> h = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : texts.entrySet()) {
            if (e.getKey().endsWith(".cu")) {
                cu.add(e.getKey());
            } else if (e.getKey().endsWith(".cuh")) {
                h.put(e.getKey(), e.getValue());
            }
        }
        Collections.sort(cu);
        this.sources = List.copyOf(cu);
        this.headers = Collections.unmodifiableMap(h);
        Map<String, String> kernels = new LinkedHashMap<>();
        for (String file : sources) {
            Matcher m = KERNEL.matcher(texts.get(file));
            while (m.find()) {
                String previous = kernels.putIfAbsent(m.group(1), file);
                if (previous != null) {
                    throw new IllegalStateException("kernel " + m.group(1) + " is defined in both " + previous + " and " + file);
                }
            }
        }
        this.kernelFiles = Collections.unmodifiableMap(kernels);
    }

    /**
     * Reads the index and every file it names from this class's class loader.
     *
     * @return the packaged sources
     * @throws IllegalStateException if the index or a listed file is missing (a broken build)
     */
    public static KernelSources load() {
        String index = resource(ROOT + INDEX_NAME);
        if (index == null) {
            throw new IllegalStateException("CUDA kernel index " + ROOT + INDEX_NAME + " is not on the class path: the "
                    + "thinj-ops-cuda jar was built without its generate-resources step");
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (String line : index.split("\\R")) {
            String name = line.strip();
            if (name.isEmpty()) {
                continue;
            }
            String text = resource(ROOT + name);
            if (text == null) {
                throw new IllegalStateException("CUDA kernel source " + ROOT + name + " is listed in the index but missing");
            }
            texts.put(name, text);
        }
        return new KernelSources(texts);
    }

    /**
     * Builds a source set from given texts (tests, or a caller that compiles its own kernels).
     *
     * @param texts file name ({@code x.cu} or {@code x.cuh}) to source text
     * @return the sources
     */
    public static KernelSources of(Map<String, String> texts) {
        return new KernelSources(new LinkedHashMap<>(texts));
    }

    /** @return the {@code .cu} file names, sorted */
    public List<String> sources() {
        return sources;
    }

    /** @return header file name ({@code common.cuh}) to text, passed to NVRTC as named headers */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * @param file a {@code .cu} or {@code .cuh} name
     * @return its text
     * @throws IllegalArgumentException if there is no such file
     */
    public String text(String file) {
        String t = texts.get(file);
        if (t == null) {
            throw new IllegalArgumentException("no CUDA kernel source named " + file + " (have " + texts.keySet() + ")");
        }
        return t;
    }

    /** @return kernel name ({@code thinj_relu}) to the {@code .cu} file that defines it */
    public Map<String, String> kernelFiles() {
        return kernelFiles;
    }

    /**
     * @param file a {@code .cu} name
     * @return the PTX nvcc built for it at package time, or null where nvcc was absent
     */
    public static byte[] buildTimePtx(String file) {
        String name = PTX_ROOT + file.substring(0, file.length() - ".cu".length()) + ".ptx";
        try (InputStream in = KernelSources.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = KernelSources.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }
}
