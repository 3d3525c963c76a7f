package dev.thinj.ops.cuda.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU bundle runs the CPU<->CUDA model test (it lives here, and the bundle takes this module's test
 * classes with ops-cuda's), but neither its abstract contract nor the bounds tests that need no GPU.
 */
class ModelTestSelectionTest {
    @Test
    void theBundleSelectsTheGpuModelTestOnly(@TempDir Path dir) throws Exception {
        Path classes = Path.of(ModelTestSelectionTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("tests.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String c : List.of("dev/thinj/ops/cuda/model/GpuCpuCudaModelTest",
                    "dev/thinj/ops/cuda/model/CpuCudaModelContract", "dev/thinj/ops/cuda/model/MlpBoundsTest")) {
                out.putNextEntry(new JarEntry(c + ".class"));
                out.write(Files.readAllBytes(classes.resolve(c + ".class")));
                out.closeEntry();
            }
        }
        assertThat(TestReport.gpuSelection(jar)).containsExactly("dev.thinj.ops.cuda.model.GpuCpuCudaModelTest");
    }
}
