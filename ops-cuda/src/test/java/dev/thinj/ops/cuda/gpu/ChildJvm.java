package dev.thinj.ops.cuda.gpu;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of these tests in a new JVM (this one's {@code java}) with an environment the
 * test chooses, since native libraries are found through {@code LD_LIBRARY_PATH} read at process
 * start. The class path is built from where the given classes and resources were loaded, so it works
 * under Maven's surefire and under the JUnit console launcher of the GPU bundle alike.
 */
final class ChildJvm {
    private final List<String> classPath;

    /**
     * @param classes classes whose jar or folder the child needs
     * @param resources resources (a platform jar's JNI library, say) whose jar the child needs
     */
    ChildJvm(List<Class<?>> classes, List<String> resources) {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            entries.add(location(c.getProtectionDomain().getCodeSource().getLocation()));
        }
        for (String r : resources) {
            URL url = ChildJvm.class.getClassLoader().getResource(r);
            if (url == null) {
                throw new IllegalStateException(r + " is not on the class path");
            }
            String s = url.toString();
            if (s.startsWith("jar:")) {
                try {
                    entries.add(location(new URL(s.substring(4, s.indexOf("!/")))));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read the jar of " + s, e);
                }
            } else {
                // A resource in a folder: its root is the resource's path minus the resource's name.
                String path = location(url);
                entries.add(path.substring(0, path.length() - r.length()));
            }
        }
        this.classPath = List.copyOf(entries);
    }

    private static String location(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("not a file location: " + url, e);
        }
    }

    /**
     * What a child run gave.
     *
     * @param exitCode its exit status
     * @param out its standard output
     * @param err its standard error
     */
    record Run(int exitCode, String out, String err) {
        /** @return everything it printed, for failure messages */
        String transcript() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * @param mainClass the class to run
     * @param ldLibraryPath the child's {@code LD_LIBRARY_PATH}, replacing this process's
     * @param timeoutSeconds a hang guard: the child is killed past it
     * @param args its arguments
     * @return its exit status and output
     */
    Run run(Class<?> mainClass, List<Path> ldLibraryPath, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        String cacheDir = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cacheDir != null) {
            command.add("-Dorg.bytedeco.javacpp.cachedir=" + cacheDir);
        }
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classPath));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LD_LIBRARY_PATH",
                String.join(":", ldLibraryPath.stream().map(Path::toString).toList()));
        Path out = Files.createTempFile("thinj-child", ".out");
        Path err = Files.createTempFile("thinj-child", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(mainClass.getSimpleName() + " did not finish within " + timeoutSeconds
                        + " s:\n" + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err,
                                StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
