package dev.thinj.ops.cuda.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.thinj.ops.cuda.emulated.EmulatedDevice;
import dev.thinj.ops.cuda.emulated.RequiresEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The caching allocator on the emulated device, which counts its mallocs and can run out of memory. */
@RequiresEmulator
class DevicePoolTest {
    private static final long MIB = 1L << 20;

    private EmulatedDevice device;
    private DevicePool pool;

    private DevicePool open(long capacity) {
        device = new EmulatedDevice(capacity);
        pool = new DevicePool(device, Long.MAX_VALUE);
        return pool;
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
            assertThat(device.usedBytes()).as("device memory after close").isZero();
            device.close();
        }
    }

    @Test
    void blocksAreRoundedToTheGranule() {
        open(64 * MIB);
        assertThat(pool.allocate(0).bytes()).isEqualTo(DevicePool.GRANULE);
        assertThat(pool.allocate(1).bytes()).isEqualTo(DevicePool.GRANULE);
        assertThat(pool.allocate(DevicePool.GRANULE).bytes()).isEqualTo(DevicePool.GRANULE);
        assertThat(pool.allocate(DevicePool.GRANULE + 1).bytes()).isEqualTo(2 * DevicePool.GRANULE);
        assertThat(pool.liveCount()).isEqualTo(4);
        assertThat(pool.liveBytes()).isEqualTo(5 * DevicePool.GRANULE);
        assertThatThrownBy(() -> pool.allocate(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative size -1");
    }

    @Test
    void aRepeatedAllocationPatternMallocsNothingAfterTheWarmUp() {
        open(64 * MIB);
        long[] pattern = {100, 4096, 100, 70_000, 1, 4096, 3 * MIB};
        long warmUpMallocs = -1;
        for (int round = 0; round < 4; round++) {
            List<DeviceBuffer> step = new ArrayList<>();
            for (long bytes : pattern) {
                step.add(pool.allocate(bytes));
            }
            for (DeviceBuffer b : step) {
                b.release();
                assertThat(b.isReleased()).isTrue();
            }
            if (round == 0) {
                warmUpMallocs = pool.mallocCalls();
                assertThat(warmUpMallocs).isEqualTo(pattern.length);
            }
        }
        assertThat(pool.mallocCalls()).isEqualTo(warmUpMallocs);
        assertThat(device.mallocCount()).isEqualTo(warmUpMallocs);
        assertThat(pool.liveBytes()).isZero();
        assertThat(pool.cachedBytes()).isEqualTo(device.usedBytes());
    }

    @Test
    void releasingTwiceReturnsTheBlockOnce() {
        open(64 * MIB);
        DeviceBuffer b = pool.allocate(1000);
        b.release();
        b.release();
        assertThat(pool.cachedBytes()).isEqualTo(1024);
        DeviceBuffer again = pool.allocate(1000);
        DeviceBuffer other = pool.allocate(1000);
        assertThat(again.address()).isEqualTo(b.address());
        assertThat(other.address()).isNotEqualTo(b.address());
    }

    @Test
    void blocksOfCollectedOwnersComeBack() {
        open(64 * MIB);
        int count = 10;
        lendToOwnersThatDie(count, 1000);
        assertThat(pool.liveCount()).isEqualTo(count);
        awaitWithGc(() -> pool.liveCount() == 0, "the cleaner to return every block of a collected owner");
        assertThat(pool.liveBytes()).isZero();
        assertThat(pool.cachedBytes()).isEqualTo(count * 1024L);
        long mallocs = pool.mallocCalls();
        pool.allocate(1000);
        assertThat(pool.mallocCalls()).as("a returned block is lent again").isEqualTo(mallocs);
    }

    private void lendToOwnersThatDie(int count, long bytes) {
        for (int i = 0; i < count; i++) {
            pool.watch(new Object(), pool.allocate(bytes));
        }
    }

    @Test
    void outOfMemoryTrimsTheCacheFirstAndThenNamesRequestAndFreeMemory() {
        long capacity = MIB;
        open(capacity);
        DeviceBuffer held = pool.allocate(600 * 1024);
        pool.allocate(200 * 1024).release();
        assertThat(pool.cachedBytes()).isEqualTo(200 * 1024);
        assertThatThrownBy(() -> pool.allocate(500 * 1024))
                .isInstanceOf(DeviceOutOfMemoryException.class)
                .hasMessageContaining("could not allocate " + 500 * 1024 + " bytes")
                .hasMessageContaining(String.format("device free %.1f MiB of 1.0 MiB", (capacity - 600 * 1024.0) / MIB))
                .hasMessageContaining("requested " + 500 * 1024 + " bytes");
        assertThat(pool.cachedBytes()).as("the cache was trimmed before giving up").isZero();
        assertThat(device.usedBytes()).isEqualTo(held.bytes());
        assertThat(held.isReleased()).isFalse();
    }

    @Test
    void trimmingTheCacheCanSatisfyARequest() {
        open(MIB);
        pool.allocate(600 * 1024);
        pool.allocate(300 * 1024).release();
        DeviceBuffer b = pool.allocate(400 * 1024);  // fits only once the cached 300 KiB are freed
        assertThat(b.bytes()).isEqualTo(400 * 1024);
        assertThat(pool.cachedBytes()).isZero();
        assertThat(device.usedBytes()).isEqualTo(1000 * 1024);
    }

    @Test
    void closeFreesLentAndCachedBlocks() {
        open(64 * MIB);
        DeviceBuffer a = pool.allocate(1000);
        DeviceBuffer b = pool.allocate(5000);
        pool.allocate(3000).release();
        assertThat(device.usedBytes()).isEqualTo(1024 + 5120 + 3072);
        pool.close();
        assertThat(a.isReleased()).isTrue();
        assertThat(b.isReleased()).isTrue();
        assertThat(device.usedBytes()).isZero();
        assertThat(pool.liveCount()).isZero();
        a.release();  // late releases of closed blocks do nothing
        assertThatThrownBy(() -> pool.allocate(10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        pool.close();  // idempotent
    }

    /** Requests collections until {@code condition} holds; fails after a generous bound (no timing assert). */
    private static void awaitWithGc(BooleanSupplier condition, String what) {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
        if (!condition.getAsBoolean()) {
            fail("gave up waiting for " + what);
        }
    }
}
