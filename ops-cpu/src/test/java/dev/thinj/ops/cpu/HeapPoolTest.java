package dev.thinj.ops.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import org.junit.jupiter.api.Test;

/** The CPU backend's recycling of closed arrays' storage. */
class HeapPoolTest {
    @Test
    void storageGivenBackIsHandedOutAgainByLengthAndZeroedOnlyWhenAsked() {
        HeapPool pool = new HeapPool(1 << 20);
        float[] a = pool.takeUninitialized(2048);
        a[5] = 3f;
        pool.give(a);
        assertThat(pool.heldBytes()).isEqualTo(8192);
        assertThat(pool.takeUninitialized(4096)).as("another length").isNotSameAs(a).hasSize(4096);
        float[] again = pool.takeUninitialized(2048);
        assertThat(again).isSameAs(a);
        assertThat(again[5]).as("old values stay: the caller overwrites them").isEqualTo(3f);
        pool.give(again);
        float[] zeroed = pool.takeZeroed(2048);
        assertThat(zeroed).isSameAs(a).containsOnly(0f);
        assertThat(pool.heldBytes()).isZero();
    }

    @Test
    void smallArraysAndArraysPastTheLimitAreLeftToTheCollector() {
        HeapPool pool = new HeapPool(3 * 4096);
        pool.give(new float[HeapPool.MIN_FLOATS - 1]);
        assertThat(pool.heldBytes()).as("small").isZero();
        float[] a = pool.takeUninitialized(2048);
        float[] b = pool.takeUninitialized(2048);
        pool.give(a);
        pool.give(b);
        assertThat(pool.heldBytes()).as("a second one would pass the limit").isEqualTo(8192);
        assertThat(new HeapPool(0).takeUninitialized(2048)).hasSize(2048);
    }

    @Test
    void aLengthIsKeptOnlyAsOftenAsItWasEverOutAtOnce() {
        HeapPool pool = new HeapPool(1 << 30);
        pool.give(new float[4096]);
        assertThat(pool.heldBytes()).as("a length nobody took").isZero();
        // A predict loop: per chunk one buffer taken, and two of that length given back (the output
        // and an input copied in from outside the pool). Without the cap the pool would grow a buffer
        // per chunk until its limit.
        for (int chunk = 0; chunk < 1000; chunk++) {
            float[] taken = pool.takeUninitialized(4096);
            pool.give(taken);
            pool.give(new float[4096]);
        }
        assertThat(pool.heldBytes()).isEqualTo(4L * 4096);
        float[] x = pool.takeUninitialized(4096);
        float[] y = pool.takeUninitialized(4096);
        pool.give(x);
        pool.give(y);
        assertThat(pool.heldBytes()).as("two were out at once").isEqualTo(2 * 4L * 4096);
    }

    @Test
    void closingAnArrayTwiceGivesItsStorageBackOnceAndAViewNeverGivesItsBases() {
        CpuOps ops = new CpuOps(1);
        try {
            long before = ops.heap().heldBytes();
            FloatArray a = ops.alloc(64, 64);
            FloatArray view = a.reshape(4096);
            view.close();
            assertThat(ops.heap().heldBytes()).as("a view's close").isEqualTo(before);
            assertThat(a.isClosed()).as("the base stays open").isFalse();
            a.close();
            a.close();
            assertThat(ops.heap().heldBytes()).as("closed twice, given once").isEqualTo(before + 4L * 4096);
            FloatArray b = ops.alloc(64, 64);
            FloatArray c = ops.alloc(64, 64);
            assertThat(b.toFloatArray()).containsOnly(0f);
            assertThat(((CpuFloatArray) b).data()).as("two live arrays never share storage")
                    .isNotSameAs(((CpuFloatArray) c).data());
        } finally {
            ops.close();
        }
    }

    @Test
    void detachedArraysOutliveTheScopeTheyWereMadeIn() {
        CpuOps ops = new CpuOps(1);
        try {
            FloatArray kept;
            FloatArray temporary;
            try (ArrayScope scope = ops.scope()) {
                temporary = ops.alloc(8);
                kept = ArrayScope.detach(ops.alloc(8));
            }
            assertThat(temporary.isClosed()).isTrue();
            assertThat(kept.isClosed()).isFalse();
        } finally {
            ops.close();
        }
    }
}
