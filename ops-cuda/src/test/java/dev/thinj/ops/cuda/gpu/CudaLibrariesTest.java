package dev.thinj.ops.cuda.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.cuda.device.CudaLibraries;
import org.junit.jupiter.api.Test;

/** Load failures as Bytedeco reports them, turned into one line that names the library. */
class CudaLibrariesTest {
    private static Throwable bytedeco(String missing) {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("/root/.javacpp/cache/cuda.jar/org/bytedeco/cuda/linux-x86_64/"
                + "libjnicublas.so: " + missing + ": cannot open shared object file: No such file or directory");
        UnsatisfiedLinkError top = new UnsatisfiedLinkError("no jnicublas in java.library.path: /usr/lib");
        top.initCause(cause);
        return top;
    }

    @Test
    void aMissingDriverIsNamed() {
        assertThat(CudaLibraries.describe(bytedeco("libcuda.so.1")))
                .isEqualTo("libcuda.so.1 not found: the NVIDIA driver is not installed (no GPU here?)");
    }

    @Test
    void aMissingToolkitLibraryIsNamedWithWhatToPutOnTheLibraryPath() {
        String r = CudaLibraries.describe(bytedeco("libcublasLt.so.13"));
        assertThat(r).startsWith("libcublasLt.so.13 not found: put the CUDA 13 libraries on LD_LIBRARY_PATH")
                .contains("libnvrtc.so.13").doesNotContain("\n");
    }

    @Test
    void nvrtcsBuiltinsLibraryIsNamedWithItsMinorVersion() {
        // libnvrtc.so.13 opens libnvrtc-builtins.so.13.0 (NVRTC 13.0), not libnvrtc-builtins.so.13.
        assertThat(CudaLibraries.RUNTIME_LIBRARIES).contains("libnvrtc-builtins.so.13.<minor>")
                .doesNotContain("libnvrtc-builtins.so.13,").doesNotEndWith("libnvrtc-builtins.so.13");
        assertThat(CudaLibraries.describe(bytedeco("libnvrtc-builtins.so.13.0")))
                .startsWith("libnvrtc-builtins.so.13.0 not found: put the CUDA 13 libraries on LD_LIBRARY_PATH");
    }

    @Test
    void aSecondAttemptsNoClassDefFoundErrorStillNamesTheLibrary() {
        // The JVM's second attempt: NoClassDefFoundError whose cause quotes the first failure.
        NoClassDefFoundError again = new NoClassDefFoundError("Could not initialize class org.bytedeco.cuda.global.cublas");
        again.initCause(new ExceptionInInitializerError("Exception java.lang.UnsatisfiedLinkError: libjnicublas.so: "
                + "libcublas.so.13: cannot open shared object file [in thread \"main\"]"));
        assertThat(CudaLibraries.describe(again)).startsWith("libcublas.so.13 not found");
    }

    @Test
    void anythingElseIsReportedOnOneBoundedLine() {
        String r = CudaLibraries.describe(new IllegalStateException("first line\nsecond line " + "x".repeat(1000)));
        assertThat(r).startsWith("IllegalStateException: first line second line").doesNotContain("\n").hasSizeLessThanOrEqualTo(400);
    }
}
