package dev.thinj.spark;

import dev.thinj.model.Model;
import dev.thinj.ops.Ops;
import dev.thinj.train.Trainer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * The Spark session a run trains in: the active one when it runs on the master asked for (a test's,
 * a notebook's, {@code spark-submit}'s), else a new one that the run stops when it ends.
 */
final class SparkSessions {
    private SparkSessions() {
    }

    /**
     * A session and whether the run owns it.
     *
     * @param session the session
     * @param owned whether this run started it (and stops it)
     */
    record Lease(SparkSession session, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                session.stop();
            }
        }
    }

    /**
     * @param master a master URL
     * @return the active session on that master, or a new one
     */
    static Lease open(String master) {
        Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isEmpty()) {
            active = SparkSession.getDefaultSession();
        }
        if (active.isDefined()) {
            String running = active.get().sparkContext().master();
            if (master.equals(running)) {
                return new Lease(active.get(), false);
            }
            // One SparkContext per JVM: a second master cannot start here.
            throw new dev.thinj.ops.ThinjException("a Spark session on " + running + " is already running in this JVM;"
                    + " train on that master, or stop the session first (asked for " + master + ")");
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("thinj train")
                .setIfMissing("spark.ui.showConsoleProgress", "false")
                // An executor runs several tasks at once; BLAS threads of each on the same cores spin
                // against each other (ten times slower measured in local[2]): one BLAS thread per task.
                .setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
        if (master.startsWith("local")) {
            // Embedded: everything on this machine, nothing listening beyond the loopback interface.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1")
                    .setIfMissing("spark.ui.enabled", "false");
        } else {
            // Executors in other JVMs need thinj's classes: the jars this run loaded them from (the CLI's
            // thinj.jar and this module's), unless spark-submit already named the application's jar.
            String jars = thinjJars();
            if (!jars.isEmpty()) {
                conf.setIfMissing("spark.jars", jars);
            }
        }
        try {
            return new Lease(SparkSession.builder().config(conf).getOrCreate(), true);
        } catch (Exception e) {  // SparkException is checked in Java's eyes, though undeclared
            // A user's mistake (a master URL Spark cannot parse or reach): one line, not Spark's stack.
            throw new dev.thinj.ops.ThinjException("cannot start Spark on " + master + ": " + reason(e)
                    + "; give a master URL such as local[2], spark://host:7077, yarn or k8s://...", e);
        }
    }

    /**
     * @return the first line of Spark's message (the rest is where a context was created, a stack trace);
     *     for a cluster that never took the application, what that means
     */
    static String reason(Exception e) {
        String message = e.getMessage();
        String first = message == null ? "" : message.lines().findFirst().orElse("");
        if (first.isBlank()) {
            return e.getClass().getName();
        }
        if (first.contains("stopped SparkContext")) {
            // The standalone client gives up after its registration retries and stops the context.
            return "the master did not take the application (not running at that address, or refusing it;"
                    + " Spark's log above says which)";
        }
        return first;
    }

    /** @return the jar files (comma-separated URIs) thinj's classes were loaded from; empty for class folders */
    static String thinjJars() {
        Set<String> jars = new LinkedHashSet<>();
        for (Class<?> c : List.of(SparkSessions.class, Trainer.class, Model.class, Ops.class)) {
            CodeSource source = c.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                continue;
            }
            try {
                Path p = Path.of(source.getLocation().toURI());
                if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar")) {
                    jars.add(p.toUri().toString());
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // Not a file (a custom class loader's URL): nothing to ship from here.
            }
        }
        return String.join(",", jars);
    }
}
