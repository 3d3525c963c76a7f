package dev.thinj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.ops.ThinjException;
import org.junit.jupiter.api.Test;

/** A run joins the session already running on its master, and cannot start a second master in one JVM. */
class SparkSessionsTest {
    @Test
    void joinsTheActiveSessionWithoutOwningIt() {
        SparkTests.session();
        try (SparkSessions.Lease lease = SparkSessions.open(SparkTests.MASTER)) {
            assertThat(lease.owned()).isFalse();
            assertThat(lease.session()).isSameAs(SparkTests.session());
        }
        assertThat(SparkTests.session().sparkContext().isStopped()).as("a lease it does not own stops nothing")
                .isFalse();
    }

    @Test
    void anotherMasterIsOneClearError() {
        SparkTests.session();
        assertThatThrownBy(() -> SparkSessions.open("local[3]")).isInstanceOf(ThinjException.class)
                .hasMessageContaining("already running").hasMessageContaining(SparkTests.MASTER)
                .hasMessageContaining("local[3]");
    }

    /** Spark's message goes out as its first line: the rest is a creation site or a stack trace. */
    @Test
    void aFailedStartIsOneLine() {
        assertThat(SparkSessions.reason(new IllegalStateException("Cannot call methods on a stopped SparkContext.\n"
                + "This stopped SparkContext was created at:\n\norg.apache.spark.sql.SparkSession$Builder...")))
                .startsWith("the master did not take the application").doesNotContain("\n");
        assertThat(SparkSessions.reason(new IllegalArgumentException("Could not parse Master URL: 'nope'\nmore")))
                .isEqualTo("Could not parse Master URL: 'nope'");
        assertThat(SparkSessions.reason(new IllegalStateException((String) null)))
                .isEqualTo("java.lang.IllegalStateException");
    }
}
