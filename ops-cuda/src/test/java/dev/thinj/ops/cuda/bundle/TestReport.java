package dev.thinj.ops.cuda.bundle;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads the JUnit console launcher's XML report ({@code TEST-junit-jupiter.xml}) into one line per
 * test class for the GPU bundle's results table, and checks a run without a GPU: every expected class
 * reported, nothing failed, every skip with its reason, and every GPU test class (named {@code Gpu*})
 * skipped entirely.
 *
 * <p>Usage: {@code TestReport REPORT.xml [--no-gpu CLASS...]}: prints the table; with {@code --no-gpu},
 * also checks the listed classes (fully qualified), prints each breach, and exits 1 on any.
 * {@code TestReport --list-gpu-selection TESTS.jar} prints the test classes run.sh selects from a jar.
 */
public final class TestReport {
    /** The test classes run.sh runs (its {@code --include-classname}): the gpu package and Gpu*Test. */
    static final Pattern SELECTION = Pattern.compile("^(dev\\.thinj\\.ops\\.cuda\\.gpu\\..*|.*\\.Gpu[A-Za-z]*Test)$");

    private static final Pattern TOP_CLASS = Pattern.compile("\\[class:([^\\]]+)\\]");

    /** One test class's outcome. */
    static final class ClassResult {
        int passed;
        int skipped;
        int failed;
        String skipReason;
        String failure;
        final List<String> unexplained = new ArrayList<>();

        String line(String name) {
            StringBuilder b = new StringBuilder(name.substring(name.lastIndexOf('.') + 1)).append(": ");
            List<String> parts = new ArrayList<>();
            if (passed > 0) {
                parts.add(passed + " passed");
            }
            if (skipped > 0) {
                parts.add(skipped + " skipped (" + shorten(skipReason) + ")");
            }
            if (failed > 0) {
                parts.add(failed + " FAILED (" + shorten(failure) + ")");
            }
            return b.append(parts.isEmpty() ? "no tests" : String.join(", ", parts)).toString();
        }
    }

    private TestReport() {
    }

    /** The first line of a reason or stack trace, without the exception's and JUnit's prefixes. */
    static String shorten(String s) {
        if (s == null) {
            return "no reason given";
        }
        String flat = s.strip().lines().findFirst().orElse("").strip();
        for (String prefix : List.of("parent was skipped: ", "org.opentest4j.TestAbortedException: ",
                "Assumption failed: ")) {
            if (flat.startsWith(prefix)) {
                flat = flat.substring(prefix.length());
            }
        }
        return flat.length() > 160 ? flat.substring(0, 157) + "..." : flat;
    }

    /**
     * @param report the XML report
     * @return results by top-level test class (nested classes, such as the conformance suite's, count
     *     for the class that runs them)
     */
    static Map<String, ClassResult> read(Path report) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(report.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(report + " is not a readable JUnit XML report: " + e.getMessage(), e);
        }
        Map<String, ClassResult> out = new LinkedHashMap<>();
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String cls = topClass(c);
            ClassResult r = out.computeIfAbsent(cls, k -> new ClassResult());
            Element failure = first(c, "failure");
            if (failure == null) {
                failure = first(c, "error");
            }
            Element skipped = first(c, "skipped");
            if (failure != null) {
                r.failed++;
                if (r.failure == null) {
                    String m = failure.getAttribute("message");
                    r.failure = c.getAttribute("name") + ": " + (m.isEmpty() ? failure.getTextContent() : m);
                }
            } else if (skipped != null) {
                r.skipped++;
                String reason = skipped.getAttribute("message");
                if (reason.isEmpty()) {
                    reason = skipped.getTextContent();
                }
                if (reason == null || reason.isBlank()) {
                    r.unexplained.add(c.getAttribute("name"));
                } else if (r.skipReason == null) {
                    r.skipReason = reason;
                }
            } else {
                r.passed++;
            }
        }
        return out;
    }

    /** The class named in the test's unique id ({@code [class:...]}), else the testcase's classname. */
    private static String topClass(Element c) {
        Element out = first(c, "system-out");
        if (out != null) {
            Matcher m = TOP_CLASS.matcher(out.getTextContent());
            if (m.find()) {
                return m.group(1);
            }
        }
        return c.getAttribute("classname");
    }

    private static Element first(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    /**
     * @param results the report's classes
     * @param expected the test classes the run had to report
     * @return every way a run without a GPU went wrong (empty: it is as it should be)
     */
    static List<String> checkWithoutGpu(Map<String, ClassResult> results, List<String> expected) {
        List<String> breaches = new ArrayList<>();
        for (String cls : expected) {
            if (!results.containsKey(cls)) {
                breaches.add(cls + ": not in the report (did it fail to load?)");
            }
        }
        for (Map.Entry<String, ClassResult> e : results.entrySet()) {
            String cls = e.getKey();
            ClassResult r = e.getValue();
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            if (r.failed > 0) {
                breaches.add(simple + ": " + r.failed + " failed or errored (" + shorten(r.failure) + ")");
            }
            if (!r.unexplained.isEmpty()) {
                breaches.add(simple + ": skipped without a reason: " + r.unexplained);
            }
            if (simple.startsWith("Gpu") && (r.passed > 0 || r.skipped == 0)) {
                breaches.add(simple + ": a GPU test class, but " + r.passed + " tests ran without a GPU");
            }
        }
        return breaches;
    }

    /**
     * @param jar a tests jar
     * @return the concrete {@code *Test} classes in it that {@link #SELECTION} picks, dotted, sorted
     */
    static List<String> gpuSelection(Path jar) throws IOException {
        List<String> out = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String n = entry.getName();
                if (!n.endsWith("Test.class") || n.contains("$")) {
                    continue;
                }
                String dotted = n.substring(0, n.length() - ".class".length()).replace('/', '.');
                if (!SELECTION.matcher(dotted).matches()) {
                    continue;
                }
                try (InputStream in = j.getInputStream(entry)) {
                    int access = ClassPathCheck.ConstantPool.read(new DataInputStream(in)).access();
                    if ((access & 0x0600) == 0) {  // neither abstract nor an interface
                        out.add(dotted);
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** See the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--list-gpu-selection")) {
            gpuSelection(Path.of(args[1])).forEach(System.out::println);
            return;
        }
        if (args.length == 0) {
            System.err.println("usage: TestReport REPORT.xml [--no-gpu CLASS...]");
            System.exit(2);
        }
        Map<String, ClassResult> results = read(Path.of(args[0]));
        for (Map.Entry<String, ClassResult> e : results.entrySet()) {
            System.out.println("  " + e.getValue().line(e.getKey()));
        }
        if (args.length > 1 && args[1].equals("--no-gpu")) {
            List<String> breaches = checkWithoutGpu(results, List.of(args).subList(2, args.length));
            for (String b : breaches) {
                System.out.println("BREACH " + b);
            }
            System.out.println("without a GPU: " + results.size() + " test classes reported, " + (breaches.isEmpty()
                    ? "none failed, every skip has its reason, every GPU test class skipped"
                    : breaches.size() + " breaches"));
            System.exit(breaches.isEmpty() ? 0 : 1);
        }
    }
}
