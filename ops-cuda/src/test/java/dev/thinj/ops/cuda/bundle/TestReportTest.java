package dev.thinj.ops.cuda.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dry run's reading of the JUnit XML report: per-class lines and the checks of a run without a GPU. */
class TestReportTest {
    private static String testcase(String cls, String name, String body) {
        return "<testcase name=\"" + name + "\" classname=\"" + cls + "$Nested\" time=\"0\">" + body
                + "<system-out><![CDATA[\nunique-id: [engine:junit-jupiter]/[class:" + cls + "]/[nested-class:Nested]/[method:"
                + name + "]\n]]></system-out></testcase>\n";
    }

    private static Path report(Path dir, String... cases) throws Exception {
        Path p = dir.resolve("TEST-junit-jupiter.xml");
        Files.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"JUnit Jupiter\">\n"
                + String.join("", cases) + "</testsuite>\n");
        return p;
    }

    private static final String SKIP = "<skipped><![CDATA[parent was skipped: no usable GPU, CUDA tests skipped: "
            + "libcuda.so.1 not found]]></skipped>";
    private static final String ABORT = "<skipped><![CDATA[org.opentest4j.TestAbortedException: Assumption failed: "
            + "no libnvrtc.so.13 here\n\tat org.junit.jupiter.api.Assumptions.assumeTrue(Assumptions.java:106)]]></skipped>";

    @Test
    void aRunWithoutAGpuAsItShouldBePasses(@TempDir Path dir) throws Exception {
        Map<String, TestReport.ClassResult> r = TestReport.read(report(dir,
                testcase("a.GpuFooTest", "one()", SKIP), testcase("a.GpuFooTest", "two()", SKIP),
                testcase("a.NvrtcTest", "real()", ABORT), testcase("a.NvrtcTest", "options()", "")));
        assertThat(r.keySet()).containsExactly("a.GpuFooTest", "a.NvrtcTest");
        assertThat(r.get("a.GpuFooTest").line("a.GpuFooTest"))
                .isEqualTo("GpuFooTest: 2 skipped (no usable GPU, CUDA tests skipped: libcuda.so.1 not found)");
        assertThat(r.get("a.NvrtcTest").line("a.NvrtcTest")).isEqualTo("NvrtcTest: 1 passed, 1 skipped (no libnvrtc.so.13 here)");
        assertThat(TestReport.checkWithoutGpu(r, List.of("a.GpuFooTest", "a.NvrtcTest"))).isEmpty();
    }

    @Test
    void failuresMissingClassesSilentSkipsAndGpuTestsThatRanAreBreaches(@TempDir Path dir) throws Exception {
        Map<String, TestReport.ClassResult> r = TestReport.read(report(dir,
                testcase("a.GpuFooTest", "ran()", ""),
                testcase("a.BarTest", "broke()", "<error message=\"java.lang.NoClassDefFoundError: net/bytebuddy/ByteBuddy\">trace</error>"),
                testcase("a.BazTest", "quiet()", "<skipped/>")));
        List<String> breaches = TestReport.checkWithoutGpu(r, List.of("a.GpuFooTest", "a.BarTest", "a.BazTest", "a.LostTest"));
        assertThat(breaches).hasSize(4);
        assertThat(breaches).anySatisfy(b -> assertThat(b).startsWith("a.LostTest: not in the report"));
        assertThat(breaches).anySatisfy(b -> assertThat(b).startsWith("BarTest: 1 failed").contains("net/bytebuddy/ByteBuddy"));
        assertThat(breaches).anySatisfy(b -> assertThat(b).startsWith("BazTest: skipped without a reason"));
        assertThat(breaches).anySatisfy(b -> assertThat(b).startsWith("GpuFooTest: a GPU test class, but 1 tests ran"));
    }

    @Test
    void theGpuSelectionIsTheConcreteTestClassesRunShRuns(@TempDir Path dir) throws Exception {
        Path classes = Path.of(TestReportTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("tests.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // (integration-tests checks the same for the CPU<->CUDA model classes, which live there.)
            for (String c : List.of("dev/thinj/ops/cuda/gpu/GpuFaultsTest", "dev/thinj/ops/cuda/gpu/NvrtcProbe",
                    "dev/thinj/ops/cuda/gpu/RealNvrtcTest", "dev/thinj/ops/cuda/staging/PinnedStagingTest")) {
                out.putNextEntry(new JarEntry(c + ".class"));
                out.write(Files.readAllBytes(classes.resolve(c + ".class")));
                out.closeEntry();
            }
        }
        assertThat(TestReport.gpuSelection(jar)).containsExactly("dev.thinj.ops.cuda.gpu.GpuFaultsTest",
                "dev.thinj.ops.cuda.gpu.RealNvrtcTest");
    }
}
