package dev.thinj.ops.cuda.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.thinj.ops.cuda.device.KernelSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged kernel sources against the repository's {@code native/} folder. */
class KernelSourcesTest {
    private static final Path NATIVE = Paths.get("..", "native");

    private static List<String> onDisk(String extension) throws IOException {
        // Run from the repository (a module folder); the GPU bundle carries the jar but not native/.
        assumeTrue(Files.isDirectory(NATIVE), "no native/ folder here: these checks run in the repository build");
        try (Stream<Path> files = Files.list(NATIVE)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(extension)).sorted().toList();
        }
    }

    @Test
    void theIndexListsEveryNativeSource() throws IOException {
        KernelSources s = KernelSources.load();
        assertThat(s.sources()).isEqualTo(onDisk(".cu")).isNotEmpty();
        assertThat(s.headers().keySet()).containsExactlyInAnyOrderElementsOf(onDisk(".cuh")).contains("common.cuh");
    }

    @Test
    void packagedTextsEqualTheFiles() throws IOException {
        onDisk(".cu");
        KernelSources s = KernelSources.load();
        for (String f : s.sources()) {
            assertThat(s.text(f)).as(f).isEqualTo(Files.readString(NATIVE.resolve(f), StandardCharsets.UTF_8));
        }
        assertThat(s.headers().get("common.cuh"))
                .isEqualTo(Files.readString(NATIVE.resolve("common.cuh"), StandardCharsets.UTF_8));
    }

    @Test
    void everyKernelIsMappedToTheFileThatDefinesIt() {
        KernelSources s = KernelSources.load();
        assertThat(s.kernelFiles()).containsEntry("thinj_add", "elementwise.cu").containsEntry("thinj_axpy", "elementwise.cu");
        s.kernelFiles().forEach((kernel, file) -> {
            assertThat(kernel).startsWith("thinj_");
            assertThat(s.text(file)).contains("void " + kernel + "(");
        });
    }

    @Test
    void aKernelDefinedTwiceIsRefused() {
        String k = "#include \"common.cuh\"\nextern \"C\" __global__ void thinj_x(float* a) { }\n";
        assertThatThrownBy(() -> KernelSources.of(Map.of("a.cu", k, "b.cu", k)))
                .hasMessageContaining("thinj_x").hasMessageContaining("a.cu").hasMessageContaining("b.cu");
        assertThatThrownBy(() -> KernelSources.load().text("missing.cu")).hasMessageContaining("missing.cu");
    }

    @Test
    void buildTimePtxExistsForEverySourceWhereNvccRan() {
        // nvcc is on these machines' PATH; where it is not, the build skips the PTX and so does this check.
        boolean nvcc = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Paths.get(d, "nvcc")));
        KernelSources s = KernelSources.load();
        for (String f : s.sources()) {
            byte[] ptx = KernelSources.buildTimePtx(f);
            if (nvcc) {
                assertThat(ptx).as("PTX of " + f).isNotNull();
                String text = new String(ptx, StandardCharsets.US_ASCII);
                assertThat(text).contains(".target sm_75");
                s.kernelFiles().entrySet().stream().filter(e -> e.getValue().equals(f))
                        .forEach(e -> assertThat(text).as(e.getKey()).contains(".entry " + e.getKey()));
            }
        }
    }
}
