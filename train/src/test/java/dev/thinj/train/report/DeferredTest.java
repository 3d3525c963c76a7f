package dev.thinj.train.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeferredTest {
    @Test
    void workRunsInOrderAndFinishWaitsForAllOfIt() {
        Deferred d = new Deferred("test");
        List<Integer> done = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            int n = i;
            d.run(() -> done.add(n));
        }
        d.finish();
        assertThat(done).hasSize(100).isSorted();
        d.run(() -> done.add(100));  // a finished Deferred takes work again
        d.finish();
        assertThat(done).hasSize(101);
    }

    @Test
    void aFailureIsThrownAtFinish() {
        Deferred d = new Deferred("test");
        d.run(() -> {
            throw new IllegalStateException("disk full");
        });
        assertThatThrownBy(d::finish).isInstanceOf(IllegalStateException.class).hasMessage("disk full");
        d.finish();  // reported once
    }

    @Test
    void aFailureIsThrownAtTheNextHandOffOnceItHappened() throws InterruptedException {
        Deferred d = new Deferred("test");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch afterFailure = new CountDownLatch(1);
        // The failing work waits to be released, so the next hand-off surely finds it still running.
        d.run(() -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalArgumentException("cannot write");
        });
        // One thread, in order: when this runs, the failed work has ended.
        d.run(afterFailure::countDown);
        release.countDown();
        assertThat(afterFailure.await(60, TimeUnit.SECONDS)).as("hang guard").isTrue();
        assertThatThrownBy(() -> d.run(() -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot write");
        d.finish();
    }
}
