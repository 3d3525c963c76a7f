package dev.thinj.ops.cuda.device;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The arguments of one kernel launch, laid out as {@code cuLaunchKernel} reads them: one 8-byte slot
 * per parameter, an {@code int} or {@code float} in the low 4 bytes of its slot, a device address in
 * all 8. The buffer is direct and reused launch after launch, so a launch allocates nothing.
 *
 * <p>Not thread-safe: each thread that launches uses its own (see {@code CudaContext}).
 */
public final class KernelArgs {
    /** The most parameters a thinj kernel takes. */
    public static final int MAX_ARGS = 24;

    private final ByteBuffer slots = ByteBuffer.allocateDirect(MAX_ARGS * 8).order(ByteOrder.nativeOrder());
    private int count;

    /**
     * Empties the list for a new launch.
     *
     * @return this
     */
    public KernelArgs reset() {
        count = 0;
        return this;
    }

    /**
     * @param address a device address (0 for a null pointer)
     * @return this
     */
    public KernelArgs ptr(long address) {
        slots.putLong(next() * 8, address);
        return this;
    }

    /**
     * @param value an {@code int} parameter
     * @return this
     */
    public KernelArgs i32(int value) {
        int at = next() * 8;
        slots.putLong(at, 0L);
        slots.putInt(at, value);
        return this;
    }

    /**
     * @param value a {@code long long} parameter
     * @return this
     */
    public KernelArgs i64(long value) {
        slots.putLong(next() * 8, value);
        return this;
    }

    /**
     * @param value a {@code float} parameter
     * @return this
     */
    public KernelArgs f32(float value) {
        int at = next() * 8;
        slots.putLong(at, 0L);
        slots.putFloat(at, value);
        return this;
    }

    /**
     * @param value a {@code double} parameter
     * @return this
     */
    public KernelArgs f64(double value) {
        slots.putDouble(next() * 8, value);
        return this;
    }

    /** @return the number of parameters set since {@link #reset()} */
    public int count() {
        return count;
    }

    /** @return the slots (direct, native order); slot {@code i} starts at byte {@code 8 * i} */
    public ByteBuffer slots() {
        return slots;
    }

    private int next() {
        if (count == MAX_ARGS) {
            throw new IllegalStateException("KernelArgs: more than " + MAX_ARGS + " kernel parameters");
        }
        return count++;
    }
}
