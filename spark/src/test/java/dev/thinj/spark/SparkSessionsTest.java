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
}
