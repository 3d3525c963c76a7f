package dev.thinj.ops.cuda.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.cuda.device.KernelCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled-kernel cache with fake module bytes: keys and atomic writes need no GPU. */
class KernelCacheTest {
    private static final Map<String, String> HEADERS = Map.of("common.cuh", "#define THINJ_BLOCK 256\n");
    private static final List<String> OPTIONS = List.of("--gpu-architecture=sm_90", "-std=c++17");

    private static String key(String source) {
        return KernelCache.key("a.cu", source, HEADERS, OPTIONS, "nvrtc 13.0", "sm_90");
    }

    @Test
    void theKeyChangesWithEveryInputThatDecidesTheBytes() {
        String base = key("kernel v1");
        assertThat(base).hasSize(64).matches("[0-9a-f]+");
        assertThat(key("kernel v1")).isEqualTo(base);
        assertThat(key("kernel v2")).isNotEqualTo(base);
        assertThat(KernelCache.key("b.cu", "kernel v1", HEADERS, OPTIONS, "nvrtc 13.0", "sm_90")).isNotEqualTo(base);
        assertThat(KernelCache.key("a.cu", "kernel v1", Map.of("common.cuh", "#define THINJ_BLOCK 128\n"), OPTIONS,
                "nvrtc 13.0", "sm_90")).isNotEqualTo(base);
        assertThat(KernelCache.key("a.cu", "kernel v1", HEADERS, List.of("--gpu-architecture=sm_90"), "nvrtc 13.0",
                "sm_90")).isNotEqualTo(base);
        assertThat(KernelCache.key("a.cu", "kernel v1", HEADERS, OPTIONS, "nvrtc 13.1", "sm_90")).isNotEqualTo(base);
        assertThat(KernelCache.key("a.cu", "kernel v1", HEADERS, OPTIONS, "nvrtc 13.0", "sm_80")).isNotEqualTo(base);
        // Field boundaries count: moving text from one field to the next is a different key.
        assertThat(KernelCache.key("a.cu", "kernel v1", HEADERS, OPTIONS, "nvrtc 13.0", "sm_90"))
                .isNotEqualTo(KernelCache.key("a.cuk", "ernel v1", HEADERS, OPTIONS, "nvrtc 13.0", "sm_90"));
    }

    @Test
    void storedBytesComeBackAndAMissIsNull(@TempDir Path dir) {
        KernelCache cache = new KernelCache(dir.resolve("nested/cache"));
        String k = key("kernel");
        assertThat(cache.load(k)).isNull();
        byte[] module = {0x7f, 'E', 'L', 'F', 1, 2, 3};
        assertThat(cache.store(k, module)).isTrue();
        assertThat(cache.load(k)).isEqualTo(module);
        assertThat(cache.load(key("other kernel"))).isNull();
    }

    @Test
    void writesAreAtomicAndLeaveNoTemporaryFiles(@TempDir Path dir) throws IOException {
        KernelCache cache = new KernelCache(dir);
        String k = key("kernel");
        cache.store(k, new byte[] {1, 1, 1});
        cache.store(k, new byte[] {2, 2});
        assertThat(cache.load(k)).containsExactly(2, 2);
        // A temporary file a crashed writer left behind is never read as an entry.
        Files.write(dir.resolve(k.substring(0, 16) + ".123.tmp"), new byte[] {9});
        assertThat(cache.load(k)).containsExactly(2, 2);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cubin")))
                    .containsExactly(k + ".cubin");
        }
    }

    @Test
    void concurrentWritersOfOneEntryLeaveOneCompleteEntry(@TempDir Path dir) throws Exception {
        KernelCache cache = new KernelCache(dir);
        String k = key("kernel");
        byte[] big = new byte[1 << 20];
        java.util.Arrays.fill(big, (byte) 7);
        Thread[] writers = new Thread[4];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = new Thread(() -> {
                for (int j = 0; j < 10; j++) {
                    cache.store(k, big);
                    byte[] seen = cache.load(k);
                    if (seen != null && seen.length != big.length) {
                        throw new AssertionError("partial entry of " + seen.length + " bytes");
                    }
                }
            });
            writers[i].start();
        }
        for (Thread t : writers) {
            t.join();
        }
        assertThat(cache.load(k)).isEqualTo(big);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmp")).count()).isZero();
        }
    }

    @Test
    void anUnwritableFolderOnlyReportsFailure(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        KernelCache cache = new KernelCache(file.resolve("cache"));
        assertThat(cache.store(key("kernel"), new byte[] {1})).isFalse();
        assertThat(cache.load(key("kernel"))).isNull();
    }

    @Test
    void theFolderComesFromThePropertyOrTheHomeCache() {
        String old = System.getProperty(KernelCache.PROPERTY);
        try {
            System.setProperty(KernelCache.PROPERTY, "/tmp/thinj-kernels-x");
            assertThat(KernelCache.fromSystem().dir()).isEqualTo(Path.of("/tmp/thinj-kernels-x"));
            System.clearProperty(KernelCache.PROPERTY);
            assertThat(KernelCache.fromSystem().dir())
                    .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "thinj", "cuda"));
        } finally {
            if (old != null) {
                System.setProperty(KernelCache.PROPERTY, old);
            } else {
                System.clearProperty(KernelCache.PROPERTY);
            }
        }
    }
}
