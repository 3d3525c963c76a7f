package dev.thinj.ops.cuda.device;

/** The device could not satisfy an allocation even after the pool released its cached blocks. */
public class DeviceOutOfMemoryException extends CudaException {
    private static final long serialVersionUID = 1L;

    /** @param message the request in bytes, the free and total device memory, and what the pool holds */
    public DeviceOutOfMemoryException(String message) {
        super(message);
    }
}
