package dev.thinj.ops.cuda.bundle;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the classes that a class path's code refers to but the class path (with its Java runtime)
 * does not hold: what would be a {@code NoClassDefFoundError} only when that code runs, as AssertJ's
 * assumptions did on a GPU host when the bundle shipped AssertJ without Byte Buddy. A dry run
 * without a GPU skips the GPU tests before their code runs, so it cannot see such a class; this check
 * reads the class files instead.
 *
 * <p>From the classes of the given roots (the bundle's thinj jars and test jars), every class they
 * refer to in their constant pools is followed: thinj's own ({@code dev/thinj/}) transitively, every
 * other class one level deep (it must load, and so must each class it refers to). The libraries' own
 * optional dependencies two levels away are left to the libraries. A root class file is read through
 * the class path, so a class the bundle overrides (the plot shim) is checked as the bundle loads it,
 * and only classes reachable from a test class or an entry point are followed.
 *
 * <p>Usage: {@code java -cp CLASSPATH dev.thinj.ops.cuda.bundle.ClassPathCheck ROOT...}, each root a jar
 * or folder whose classes are entry points; a root given as {@code @CLASS} names one entry class. Prints
 * one line per missing class with what refers to it, and a summary; exits 1 if any is missing.
 */
public final class ClassPathCheck {
    private static final String OURS = "dev/thinj/";

    private final ClassLoader loader;
    /** Missing class name to the classes that refer to it. */
    private final Map<String, Set<String>> missing = new TreeMap<>();
    private final Set<String> visited = new HashSet<>();
    private final Set<String> shallow = new HashSet<>();
    private final Map<String, Boolean> loads = new HashMap<>();
    private int followed;

    /** @param loader the class path to check against */
    public ClassPathCheck(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * @param roots class names ({@code a/b/C}) to start from
     * @return missing classes (internal names) and what refers to each
     */
    public Map<String, Set<String>> check(List<String> roots) throws IOException {
        Deque<String> queue = new ArrayDeque<>(roots);
        while (!queue.isEmpty()) {
            String name = queue.poll();
            if (!visited.add(name)) {
                continue;
            }
            Set<String> refs = references(name);
            if (refs == null) {
                continue;  // missing: recorded by whoever referred to it (or a root that is absent)
            }
            followed++;
            for (String ref : refs) {
                if (!resolves(ref)) {
                    missing.computeIfAbsent(ref, k -> new LinkedHashSet<>()).add(name);
                } else if (ref.startsWith(OURS)) {
                    queue.add(ref);
                } else if (shallow.add(ref)) {
                    // A library class ours uses: what it refers to must load too (one level).
                    Set<String> second = references(ref);
                    if (second != null) {
                        for (String r2 : second) {
                            if (!resolves(r2)) {
                                missing.computeIfAbsent(r2, k -> new LinkedHashSet<>()).add(ref + " (used by " + name + ")");
                            }
                        }
                    }
                }
            }
        }
        return missing;
    }

    /** @return classes whose constant pools were read in full (thinj's reachable ones) */
    public int followed() {
        return followed;
    }

    /** @return library classes checked one level deep */
    public int libraryClasses() {
        return shallow.size();
    }

    private boolean resolves(String internal) {
        return loads.computeIfAbsent(internal, n -> {
            try {
                Class.forName(n.replace('/', '.'), false, loader);
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        });
    }

    /** @return the classes a class file names in its constant pool, or null if the class path lacks it */
    private Set<String> references(String internal) throws IOException {
        try (InputStream in = loader.getResourceAsStream(internal + ".class")) {
            if (in == null) {
                return null;
            }
            return ConstantPool.read(new DataInputStream(in)).classes();
        }
    }

    /** Reads the class names out of a class file's constant pool (JVMS 4.4), and its access flags. */
    static final class ConstantPool {
        private ConstantPool() {
        }

        /**
         * @param classes the class names the constant pool holds
         * @param access the class's access flags ({@code 0x0400} abstract, {@code 0x0200} interface)
         */
        record Header(Set<String> classes, int access) {
        }

        static Header read(DataInputStream in) throws IOException {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            List<Integer> classIndexes = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classIndexes.add(in.readUnsignedShort());
                    case 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;  // takes two entries
                    }
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            Set<String> out = new LinkedHashSet<>();
            for (int idx : classIndexes) {
                String n = utf8[idx];
                if (n == null) {
                    continue;
                }
                if (n.startsWith("[")) {  // an array class: its element type, if it is a class
                    int l = n.indexOf('L');
                    if (l < 0) {
                        continue;
                    }
                    n = n.substring(l + 1, n.length() - 1);
                }
                out.add(n);
            }
            return new Header(out, in.readUnsignedShort());
        }
    }

    /**
     * @param root a jar or folder
     * @return the internal names of its classes (module-info and multi-release variants left out)
     */
    static List<String> classesIn(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                    String rel = root.relativize(p).toString().replace('\\', '/');
                    out.add(rel.substring(0, rel.length() - ".class".length()));
                });
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String n = e.nextElement().getName();
                    if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")) {
                        out.add(n.substring(0, n.length() - ".class".length()));
                    }
                }
            }
        }
        return out;
    }

    /** Runs the check on this JVM's class path; see the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ClassPathCheck ROOT... (jars or folders of entry classes, or @a.b.Class)");
            System.exit(2);
        }
        List<String> roots = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("@")) {
                roots.add(a.substring(1).replace('.', '/'));
            } else {
                roots.addAll(classesIn(Path.of(a)));
            }
        }
        ClassPathCheck check = new ClassPathCheck(ClassPathCheck.class.getClassLoader());
        Map<String, Set<String>> missing = check.check(roots);
        for (Map.Entry<String, Set<String>> e : missing.entrySet()) {
            List<String> by = new ArrayList<>(e.getValue());
            System.out.println("MISSING " + e.getKey().replace('/', '.') + " <- " + String.join(", ", by.subList(0,
                    Math.min(3, by.size()))) + (by.size() > 3 ? " and " + (by.size() - 3) + " more" : ""));
        }
        System.out.println("class path check: " + check.followed() + " thinj classes and " + check.libraryClasses()
                + " library classes they use: " + (missing.isEmpty() ? "every class they refer to is there"
                        : missing.size() + " classes missing"));
        System.exit(missing.isEmpty() ? 0 : 1);
    }
}
