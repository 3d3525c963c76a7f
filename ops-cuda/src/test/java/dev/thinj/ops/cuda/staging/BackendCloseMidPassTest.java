package dev.thinj.ops.cuda.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.ops.batching.Batch;
import dev.thinj.ops.batching.BatchOptions;
import dev.thinj.ops.batching.BatchSizes;
import dev.thinj.ops.batching.BatchSource;
import dev.thinj.ops.cuda.CudaOps;
import dev.thinj.ops.cuda.device.Device;
import dev.thinj.ops.cuda.emulated.Emulated;
import dev.thinj.ops.cuda.emulated.EmulatedDevice;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing the backend while its batch producer is inside a device call: the close must wait for that
 * call, refuse every later one, and only then destroy the streams and free the staging, so that no
 * call reaches a destroyed stream or a closed device (undefined on a GPU; the {@link OrderingDevice}
 * records both). The producer is held inside a call by a device in front of the ordering checks.
 */
@Timeout(120)
class BackendCloseMidPassTest {
    private static final int ROWS = 40;
    private static final int WIDTH = 5;
    private static final long GUARD_S = 30;  // hang guards only

    @BeforeAll
    static void emulator() {
        Emulated.assumeAvailable();
    }

    /** A device that holds the batch producer inside its {@code n}-th {@code writePinned}, until released. */
    private static Device holding(Device inner, int n, CountDownLatch held, CountDownLatch release) {
        AtomicInteger calls = new AtomicInteger();
        return (Device) Proxy.newProxyInstance(Device.class.getClassLoader(), new Class<?>[] {Device.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("writePinned")
                            && Thread.currentThread().getName().startsWith("thinj-batch-producer")
                            && calls.incrementAndGet() == n) {
                        held.countDown();
                        if (!release.await(GUARD_S, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never released the producer");
                        }
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static boolean finishedOrWaitingInTheGate(Thread closer) {
        Thread.State state = closer.getState();
        if (state == Thread.State.TERMINATED) {
            return true;
        }
        if (state != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement e : closer.getStackTrace()) {
            if (e.getClassName().equals("dev.thinj.ops.cuda.GatedDevice") && e.getMethodName().equals("shut")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void closingTheBackendWhileTheProducerIsInADeviceCallWaitsForItAndRefusesTheRest() throws Exception {
        OrderingDevice ordering = new OrderingDevice(new EmulatedDevice());
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Batch 1 writes features and labels into pinned memory; the third write is batch 2's features.
        CudaOps ops = new CudaOps(holding(ordering, 3, held, release), 64L << 20);
        float[] x = new float[ROWS * WIDTH];
        int[] y = new int[ROWS];
        java.util.Arrays.setAll(y, r -> r);
        Iterator<Batch> it = ops.multibatch(BatchSizes.fixed(8), BatchOptions.defaults().buffer(3),
                BatchSource.of(x, ROWS, WIDTH), y).iterator();
        Batch first = it.next();
        assertThat(first.ints(1).toIntArray()).startsWith(0, 1, 2);
        assertThat(held.await(GUARD_S, TimeUnit.SECONDS)).as("the producer reached batch 2").isTrue();

        AtomicReference<Throwable> closeFailed = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                ops.close();
            } catch (Throwable t) {
                closeFailed.set(t);
            }
        }, "closer");
        closer.start();
        // Let the close run as far as it goes while the producer is inside its call: to its end (which
        // would be the bug), or to where it waits for that call (parked in the gate's shut).
        for (int i = 0; i < GUARD_S * 100 && !finishedOrWaitingInTheGate(closer); i++) {
            Thread.sleep(10);
        }
        release.countDown();
        closer.join(GUARD_S * 1000);
        assertThat(closer.isAlive()).as("close finished once the producer's call returned").isFalse();
        assertThat(closeFailed.get()).as("close itself").isNull();
        // The producer's failure reaches the consumer after the producer's last device call.
        assertThatThrownBy(it::next).as("the rest of the pass fails, naming why").hasMessageContaining("closed");

        assertThat(ordering.violations()).as("no call on a destroyed stream or a closed device:\n"
                + String.join("\n", ordering.log(40))).isEmpty();
        assertThat(ordering.liveStreams()).as("compute and copy streams destroyed").isZero();
        assertThat(ordering.liveEvents()).as("the open pass's events destroyed").isZero();
        assertThat(ordering.livePinned()).as("the open pass's pinned slots freed").isZero();
        assertThat(first.floats(0).isClosed()).as("the backend's close freed the batch handed out").isTrue();
    }
}
