package dev.thinj.ops.cuda.device;

/**
 * One block of device memory lent by a {@link DevicePool}: an address, its rounded size, and whether
 * it has gone back. Arrays hold one each (a reshape view shares its base's).
 */
public final class DeviceBuffer {
    private final DevicePool pool;
    private final long address;
    private final long bytes;
    private volatile boolean released;

    DeviceBuffer(DevicePool pool, long address, long bytes) {
        this.pool = pool;
        this.address = address;
        this.bytes = bytes;
    }

    /** @return the device address (meaningless once {@link #isReleased()}) */
    public long address() {
        return address;
    }

    /** @return the block's size in bytes (the request rounded up to the pool's granularity) */
    public long bytes() {
        return bytes;
    }

    /** @return whether the block went back to its pool (array closed, collected, or backend closed) */
    public boolean isReleased() {
        return released;
    }

    /** Returns the block to its pool; later calls do nothing. */
    public void release() {
        pool.giveBack(this);
    }

    /** @return whether this call marked the block released (false if it already was) */
    synchronized boolean markReleased() {
        if (released) {
            return false;
        }
        released = true;
        return true;
    }
}
