package dev.thinj.ops.cuda.device;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Mutable pointer wrappers. JavaCPP picks a native overload by the wrapper's type and reads its
 * address field at each call, so one wrapper, re-aimed with {@code at}, serves every call of a thread
 * and a call allocates nothing.
 */
final class Handles {
    private Handles() {
    }

    /** Any device or host address. */
    static final class Address extends Pointer {
        Address at(long address) {
            this.address = address;
            return this;
        }
    }

    /** A {@code cudaStream_t}. */
    static final class StreamHandle extends CUstream_st {
        StreamHandle at(long stream) {
            this.address = stream;
            return this;
        }
    }

    /** A {@code cudaEvent_t}. */
    static final class EventHandle extends CUevent_st {
        EventHandle at(long event) {
            this.address = event;
            return this;
        }
    }

    /** Pinned host memory read or written as floats. */
    static final class HostFloats extends FloatPointer {
        HostFloats at(long host) {
            this.address = host;
            return this;
        }
    }

    /** Pinned host memory read or written as ints. */
    static final class HostInts extends IntPointer {
        HostInts at(long host) {
            this.address = host;
            return this;
        }
    }

    /** Device memory passed to cuBLAS as floats. */
    static final class DeviceFloats extends FloatPointer {
        DeviceFloats at(long device) {
            this.address = device;
            return this;
        }
    }
}
