package dev.thinj.ops.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.FloatArray;
import dev.thinj.ops.IntArray;
import dev.thinj.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A staging that stages nothing (the tests batch lists) but checks and counts the hook's call order:
 * open → ready → acquire → retire, or open → discard; close once, after every slot has ended. What a
 * pooling staging would free is exactly what these counters account for.
 */
final class RecordingStaging implements BatchStaging {
    /** Every staging made, so that a test can check all were closed. */
    static final class Factory {
        final List<RecordingStaging> made = new ArrayList<>();

        synchronized RecordingStaging get() {
            RecordingStaging s = new RecordingStaging();
            made.add(s);
            return s;
        }

        synchronized List<RecordingStaging> all() {
            return new ArrayList<>(made);
        }
    }

    final AtomicInteger opened = new AtomicInteger();
    /** Slots the producer finished making (made ahead of the consumer until it acquires them). */
    final AtomicInteger readied = new AtomicInteger();
    final AtomicInteger retired = new AtomicInteger();
    final AtomicInteger discarded = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger alive = new AtomicInteger();
    final AtomicInteger maxAlive = new AtomicInteger();
    final List<String> errors = new ArrayList<>();

    @Override
    public BatchSlot open() {
        if (closed.get() > 0) {
            error("open() after close()");
        }
        opened.incrementAndGet();
        maxAlive.accumulateAndGet(alive.incrementAndGet(), Math::max);
        return new Slot();
    }

    @Override
    public void close() {
        if (closed.incrementAndGet() > 1) {
            error("close() twice");
        }
        if (alive.get() != 0) {
            error("close() with " + alive.get() + " slots not ended");
        }
    }

    /** @return whether the staging was closed with every slot ended */
    boolean endedCleanly() {
        return closed.get() == 1 && alive.get() == 0 && opened.get() == retired.get() + discarded.get() && errors().isEmpty();
    }

    synchronized List<String> errors() {
        return new ArrayList<>(errors);
    }

    private synchronized void error(String e) {
        errors.add(e);
    }

    void assertEndedCleanly() {
        assertThat(errors()).as("hook call-order errors").isEmpty();
        assertThat(closed.get()).as("staging closed once").isEqualTo(1);
        assertThat(alive.get()).as("slots not ended").isZero();
        assertThat(retired.get() + discarded.get()).as("retired + discarded").isEqualTo(opened.get());
    }

    private final class Slot implements BatchSlot {
        private String state = "open";

        private synchronized void move(String from, String to) {
            if (!state.equals(from)) {
                error(to + " in state " + state + " (expected " + from + ")");
            }
            state = to;
        }

        @Override
        public Ops ops() {
            throw new UnsupportedOperationException("list batches have no backend");
        }

        @Override
        public FloatArray gather(float[] data, int[] shape, Rows rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IntArray gather(int[] data, int[] shape, Rows rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FloatArray gather(FloatArray data, Rows rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IntArray gather(IntArray data, Rows rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void ready() {
            move("open", "ready");
            readied.incrementAndGet();
        }

        @Override
        public void acquire() {
            move("ready", "acquired");
        }

        @Override
        public void retire() {
            move("acquired", "retired");
            retired.incrementAndGet();
            alive.decrementAndGet();
        }

        @Override
        public void discard() {
            synchronized (this) {
                if (!state.equals("open") && !state.equals("ready")) {
                    error("discard in state " + state);
                }
                state = "discarded";
            }
            discarded.incrementAndGet();
            alive.decrementAndGet();
        }
    }
}
