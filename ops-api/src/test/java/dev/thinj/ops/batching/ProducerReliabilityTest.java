package dev.thinj.ops.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The producer never outlives its pass: leaving a loop, an exception on either side, closing, or
 * dropping the iterator stops it and frees its batches; nothing waits for ever; a thousand short
 * passes leave no thread and no staged memory behind. Waits in these tests are bounded guards against
 * hangs, never speed assertions.
 */
class ProducerReliabilityTest {
    private final RecordingStaging.Factory stagings = new RecordingStaging.Factory();
    private final CountDownLatch never = new CountDownLatch(1);

    @BeforeEach
    void noProducerBefore() throws InterruptedException {
        assertThat(TestSources.awaitNoProducers(true)).as("producers left by earlier tests").isEmpty();
    }

    @AfterEach
    void release() {
        never.countDown();
    }

    private SizedBatches<List<Integer>> batches(int n, int size, int buffer, IntConsumer beforeBatch) {
        return SizedBatches.create(stagings::get, BatchSizes.fixed(size), TestSources.withHook(n, beforeBatch),
                BatchOptions.defaults().buffer(buffer));
    }

    private SizedBatches<List<Integer>> batches(int n, int size, int buffer) {
        return batches(n, size, buffer, b -> { });
    }

    private void assertAllStagingsEndedCleanly() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline && !stagings.all().stream().allMatch(RecordingStaging::endedCleanly)) {
            System.gc();
            Thread.sleep(10);
        }
        stagings.all().forEach(RecordingStaging::assertEndedCleanly);
    }

    @Test
    void closingAfterBreakingOutStopsTheProducerAndFreesItsBatches() throws InterruptedException {
        // Close only once the producer has made a batch past the two taken (it starts the fourth),
        // so there is one to discard whatever the scheduling; the wait is a hang guard.
        CountDownLatch aheadMade = new CountDownLatch(1);
        try (BatchIterator<List<Integer>> it = batches(1000, 2, 4, b -> {
            if (b >= 3) {
                aheadMade.countDown();
            }
        }).iterator()) {
            assertThat(it.next()).containsExactly(0, 1);
            assertThat(it.next()).containsExactly(2, 3);
            assertThat(TestSources.producers()).as("a producer while the pass is open").hasSize(1);
            assertThat(aheadMade.await(30, TimeUnit.SECONDS)).as("a batch made ahead").isTrue();
        }
        assertThat(TestSources.producers()).as("producers right after close()").isEmpty();
        RecordingStaging s = stagings.all().get(0);
        s.assertEndedCleanly();
        assertThat(s.discarded.get()).as("batches made ahead and discarded").isPositive();
        assertThat(s.retired.get()).as("batches handed out and retired").isEqualTo(2);
    }

    @Test
    void anExceptionInTheConsumerStopsTheProducer() throws InterruptedException {
        SizedBatches<List<Integer>> b = batches(1000, 2, 3);
        Throwable t = catchThrowable(() -> b.forEach(batch -> {
            if (batch.get(0) == 10) {
                throw new IllegalStateException("the step failed");
            }
        }));
        assertThat(t).hasMessage("the step failed");
        assertThat(TestSources.producers()).as("producers right after forEach threw").isEmpty();
        assertAllStagingsEndedCleanly();
    }

    /** A plain for loop left by an exception: nothing can close the iterator but the Cleaner. */
    private static void stepUntilItFails(SizedBatches<List<Integer>> b) {
        try {
            for (List<Integer> batch : b) {
                if (batch.get(0) == 4) {
                    throw new IllegalStateException("the step failed");
                }
            }
        } catch (IllegalStateException expected) {
            // The loop is left with its iterator unclosed and unreachable.
        }
    }

    /** A plain for loop left by break. */
    private static void breakAfterOne(SizedBatches<List<Integer>> b) {
        for (List<Integer> batch : b) {
            assertThat(batch).isNotEmpty();
            break;
        }
    }

    @Test
    void anAbandonedLoopStopsItsProducerOnceTheIteratorIsCollected() throws InterruptedException {
        SizedBatches<List<Integer>> b = batches(1000, 2, 4);
        stepUntilItFails(b);
        breakAfterOne(b);
        assertThat(TestSources.awaitNoProducers(true)).as("producers after collection").isEmpty();
        assertAllStagingsEndedCleanly();
    }

    @ParameterizedTest(name = "buffer {0}")
    @ValueSource(ints = {1, 2, 5})
    void anExceptionInTheProducerSurfacesInTheConsumerWithItsCause(int buffer) throws InterruptedException {
        AtomicReference<Thread> thrower = new AtomicReference<>();
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        SizedBatches<List<Integer>> b = batches(20, 2, buffer, k -> {
            if (k == 3) {
                thrower.set(Thread.currentThread());
                thrown.set(new IllegalStateException("cannot decode image 7"));
                throw thrown.get();
            }
        });
        List<List<Integer>> got = new ArrayList<>();
        Throwable t = catchThrowable(() -> {
            for (List<Integer> batch : b) {
                got.add(batch);
            }
        });
        assertThat(got).as("the batches before the failure").hasSize(3);
        assertThat(t).as("raised on the consumer's thread").isInstanceOf(BatchException.class)
                .hasMessageContaining("batch 4 of 10").hasCauseReference(thrown.get());
        if (buffer > 1) {
            assertThat(thrower.get().getName()).as("where it was thrown").startsWith(ProducerFeed.THREAD_NAME);
        } else {
            assertThat(thrower.get()).as("buffer 1 makes batches on the caller").isSameAs(Thread.currentThread());
        }
        assertThat(TestSources.producers()).as("producers after the failure").isEmpty();
        assertAllStagingsEndedCleanly();
    }

    @Test
    void afterAFailureThePassIsOver() {
        SizedBatches<List<Integer>> b = batches(20, 2, 3, k -> {
            throw new IllegalArgumentException("bad data");
        });
        BatchIterator<List<Integer>> it = b.iterator();
        assertThatThrownBy(it::next).isInstanceOf(BatchException.class).hasRootCauseMessage("bad data");
        assertThat(it.hasNext()).isFalse();
        assertThat(batches(20, 2, 3).size()).as("the SizedBatches itself can be iterated again").isEqualTo(10);
    }

    @Test
    // A hang guard, not a speed check: without the fix the close below never returns.
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closingWhileTheProducerIsStuckInTheSourceDoesNotHang() throws InterruptedException {
        SizedBatches<List<Integer>> b = batches(100, 2, 3, k -> {
            if (k == 1) {
                TestSources.await(never);
            }
        });
        try (BatchIterator<List<Integer>> it = b.iterator()) {
            it.next();
        }
        assertThat(TestSources.awaitNoProducers(false)).as("the stuck producer, interrupted, has ended").isEmpty();
        assertAllStagingsEndedCleanly();
    }

    @Test
    void theConsumerWaitsForASlowProducerAsLongAsItWorks() {
        SizedBatches<List<Integer>> b = batches(6, 2, 2, k -> sleep(120));
        List<List<Integer>> got = new ArrayList<>();
        b.forEach(got::add);
        assertThat(got).containsExactly(List.of(0, 1), List.of(2, 3), List.of(4, 5));
    }

    @Test
    void interruptingTheWaitingConsumerEndsThePassAndKeepsTheInterrupt() throws Exception {
        SizedBatches<List<Integer>> b = batches(100, 2, 3, k -> {
            if (k == 1) {
                TestSources.await(never);
            }
        });
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        CountDownLatch firstTaken = new CountDownLatch(1);
        Thread consumer = new Thread(() -> {
            try (BatchIterator<List<Integer>> it = b.iterator()) {
                it.next();
                firstTaken.countDown();
                it.next();
            } catch (Throwable e) {
                seen.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        consumer.start();
        firstTaken.await();
        Thread.sleep(100);
        consumer.interrupt();
        consumer.join(15_000);
        assertThat(consumer.isAlive()).isFalse();
        assertThat(seen.get()).isInstanceOf(BatchException.class).hasCauseInstanceOf(InterruptedException.class);
        assertThat(flag.get()).as("interrupt flag kept").isTrue();
        assertThat(TestSources.awaitNoProducers(false)).isEmpty();
    }

    @Test
    void aBatchIsRetiredOnlyWhenTheConsumerAsksForTheNextOne() {
        int buffer = 3;
        SizedBatches<List<Integer>> b = batches(40, 2, buffer);
        try (BatchIterator<List<Integer>> it = b.iterator()) {
            RecordingStaging s = stagings.all().get(0);
            int k = 0;
            while (it.hasNext()) {
                it.next();
                k++;
                assertThat(s.retired.get()).as("retired while holding batch " + k).isEqualTo(k - 1);
                sleep(2);
            }
            assertThat(s.retired.get()).as("the last batch, retired at the end").isEqualTo(20);
            assertThat(s.maxAlive.get()).as("slots alive at once").isLessThanOrEqualTo(buffer + 1);
            s.assertEndedCleanly();
        }
    }

    @Test
    void aThousandShortPassesLeaveNoThreadAndNoStagedMemoryBehind() throws InterruptedException {
        SizedBatches<List<Integer>> b = batches(64, 4, 4);
        for (int i = 0; i < 1000; i++) {
            switch (i % 4) {
                case 0 -> {
                    try (BatchIterator<List<Integer>> it = b.iterator()) {
                        it.next();
                    }
                }
                case 1 -> catchThrowable(() -> b.forEach(batch -> {
                    throw new IllegalStateException("consumer failed");
                }));
                case 2 -> breakAfterOne(b);
                default -> {
                    int n = 0;
                    for (List<Integer> batch : b) {
                        n += batch.size();
                    }
                    assertThat(n).isEqualTo(64);
                }
            }
        }
        assertThat(TestSources.awaitNoProducers(true)).as("producer threads after 1,000 passes").isEmpty();
        assertThat(stagings.all()).hasSize(1000);
        assertAllStagingsEndedCleanly();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
