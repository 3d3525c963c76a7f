package dev.thinj.ops.cuda.device;

import static dev.thinj.ops.cuda.device.CudaErrors.checkDriver;
import static dev.thinj.ops.cuda.device.CudaErrors.driverError;
import static org.bytedeco.cuda.global.cudart.CUDA_ERROR_NOT_FOUND;
import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.javacpp.BytePointer;

/**
 * The kernels of {@code native/*.cu} on one device: a kernel's source is compiled (NVRTC, the kernel
 * cache, or the packaged PTX: see {@link NvrtcCompiler}) and loaded as a driver module the first time
 * one of its kernels is looked up; later lookups are a map read. The caller has made the device's
 * context current.
 */
final class KernelModules {
    private final KernelSources sources;
    private final NvrtcCompiler compiler;
    private final Map<String, RuntimeKernel> kernels = new ConcurrentHashMap<>();
    private final Map<String, CUmod_st> modules = new ConcurrentHashMap<>();
    private final Map<String, NvrtcCompiler.Origin> origins = new ConcurrentHashMap<>();

    KernelModules(KernelSources sources, NvrtcCompiler compiler) {
        this.sources = sources;
        this.compiler = compiler;
    }

    /** @return the loaded kernel, if it was looked up before, else null (no context needed) */
    RuntimeKernel loaded(String kernelName) {
        return kernels.get(kernelName);
    }

    /** Compiles and loads the kernel's module if needed; see {@link Device#kernel}. */
    RuntimeKernel kernel(String kernelName) {
        RuntimeKernel k = kernels.get(kernelName);
        if (k != null) {
            return k;
        }
        String file = sources.kernelFiles().get(kernelName);
        if (file == null) {
            throw new CudaException("no CUDA kernel named " + kernelName + " in " + sources.sources());
        }
        CUmod_st module = module(file);
        CUfunc_st function = new CUfunc_st();
        int r = cuModuleGetFunction(function, module, kernelName);
        if (r == CUDA_ERROR_NOT_FOUND) {
            throw new CudaException("kernel " + kernelName + " is not in the module compiled from " + file
                    + " (is it declared extern \"C\" __global__?)");
        }
        checkDriver(r, "cuModuleGetFunction(" + kernelName + ")");
        return kernels.computeIfAbsent(kernelName, n -> new RuntimeKernel(n, function));
    }

    private CUmod_st module(String file) {
        CUmod_st loaded = modules.get(file);
        if (loaded != null) {
            return loaded;
        }
        synchronized (modules) {
            loaded = modules.get(file);
            if (loaded != null) {
                return loaded;
            }
            NvrtcCompiler.Module image = compiler.module(file);
            CUmod_st module = new CUmod_st();
            try (BytePointer bytes = new BytePointer(image.image())) {
                int r = cuModuleLoadData(module, bytes);
                if (r != CUDA_SUCCESS) {
                    throw new CudaException("cuModuleLoadData for " + file + " (" + image.origin() + " image for "
                            + compiler.arch() + ") failed: " + driverError(r));
                }
            }
            modules.put(file, module);
            origins.put(file, image.origin());
            return module;
        }
    }

    /** @return how each source's module was obtained so far */
    Map<String, NvrtcCompiler.Origin> origins() {
        return Map.copyOf(origins);
    }

    /** Unloads every module (the device's context must still be current). */
    void close() {
        for (CUmod_st m : modules.values()) {
            cuModuleUnload(m);
        }
        modules.clear();
        kernels.clear();
    }

    /** A compiled kernel: its name and driver function handle. */
    static final class RuntimeKernel implements Device.Kernel {
        final String name;
        final CUfunc_st function;

        RuntimeKernel(String name, CUfunc_st function) {
            this.name = name;
            this.function = function;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
