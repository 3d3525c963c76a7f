package dev.thinj.ops.cuda.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bundle's class path check finds the defect that once failed every GPU run: AssertJ shipped
 * without Byte Buddy, which its assumptions need, while a dry run without a GPU never reached them.
 */
class ClassPathCheckTest {
    /** Uses AssertJ's assumptions, as GpuFaultsTest once did. */
    static final class UsesAssertjAssumptions {
        static void check() {
            org.assertj.core.api.Assumptions.assumeThat(true).isTrue();
        }
    }

    private static final String ROOT = UsesAssertjAssumptions.class.getName().replace('.', '/');

    private static URL location(Class<?> c) throws Exception {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void aLibraryClassWhoseOwnDependencyIsMissingIsReportedWithWhatUsesIt() throws Exception {
        // This module's test classes and AssertJ, but not Byte Buddy: the bundle's old test class path.
        try (URLClassLoader bundle = new URLClassLoader(new URL[] {location(ClassPathCheckTest.class),
                location(org.assertj.core.api.Assumptions.class)}, ClassLoader.getPlatformClassLoader())) {
            Map<String, Set<String>> missing = new ClassPathCheck(bundle).check(List.of(ROOT));
            assertThat(missing.keySet()).as("missing").anySatisfy(m -> assertThat(m).startsWith("net/bytebuddy/"));
            String byteBuddy = missing.keySet().stream().filter(m -> m.startsWith("net/bytebuddy/")).findFirst()
                    .orElseThrow();
            assertThat(missing.get(byteBuddy)).anySatisfy(by -> assertThat(by).startsWith("org/assertj/core/api/Assumptions")
                    .contains(ROOT));
        }
    }

    @Test
    void withEveryDependencyThereNothingIsMissing() throws Exception {
        ClassPathCheck check = new ClassPathCheck(ClassPathCheckTest.class.getClassLoader());
        assertThat(check.check(List.of(ROOT))).isEmpty();
        assertThat(check.followed()).as("the root and the thinj classes it names").isPositive();
        assertThat(check.libraryClasses()).isPositive();
    }

    @Test
    void thinjClassesAreFollowedAndAMissingOneIsNamed() throws Exception {
        // This module's test classes without its main classes: the tests' references to the backend fail.
        try (URLClassLoader partial = new URLClassLoader(new URL[] {location(ClassPathCheckTest.class)},
                ClassLoader.getPlatformClassLoader())) {
            String root = "dev/thinj/ops/cuda/gpu/NvrtcProbe";
            Map<String, Set<String>> missing = new ClassPathCheck(partial).check(List.of(root));
            assertThat(missing).containsKey("dev/thinj/ops/cuda/device/NvrtcCompiler");
            assertThat(missing.get("dev/thinj/ops/cuda/device/NvrtcCompiler")).contains(root);
        }
        assertThat(ClassPathCheck.classesIn(Path.of(location(ClassPathCheckTest.class).toURI())))
                .contains("dev/thinj/ops/cuda/bundle/ClassPathCheck");
    }
}
