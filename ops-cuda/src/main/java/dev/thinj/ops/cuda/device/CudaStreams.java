package dev.thinj.ops.cuda.device;

import static dev.thinj.ops.cuda.device.CudaErrors.checkAsync;
import static dev.thinj.ops.cuda.device.CudaErrors.checkRuntime;
import static org.bytedeco.cuda.global.cudart.cudaErrorNotReady;
import static org.bytedeco.cuda.global.cudart.cudaEventCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaEventDestroy;
import static org.bytedeco.cuda.global.cudart.cudaEventDisableTiming;
import static org.bytedeco.cuda.global.cudart.cudaEventQuery;
import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaEventSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaStreamWaitEvent;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;

/**
 * Streams and events for {@link CudaRuntimeDevice}: non-blocking streams (they never wait for the
 * legacy default stream), events without timing (cheaper to record and query). Each thread re-aims
 * its own pair of handle wrappers, so a call allocates nothing. The caller has made the device's
 * context current.
 */
final class CudaStreams {
    private final String deviceName;
    private final ThreadLocal<Handles.StreamHandle> streamHandle = ThreadLocal.withInitial(Handles.StreamHandle::new);
    private final ThreadLocal<Handles.EventHandle> eventHandle = ThreadLocal.withInitial(Handles.EventHandle::new);

    /** @param deviceName named in asynchronous errors */
    CudaStreams(String deviceName) {
        this.deviceName = deviceName;
    }

    /** @return the current thread's stream wrapper aimed at {@code stream} */
    CUstream_st stream(long stream) {
        return streamHandle.get().at(stream);
    }

    private CUevent_st event(long event) {
        return eventHandle.get().at(event);
    }

    long createStream() {
        CUstream_st stream = new CUstream_st();
        checkRuntime(cudaStreamCreateWithFlags(stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
        return stream.address();
    }

    void destroyStream(long stream) {
        checkRuntime(cudaStreamDestroy(stream(stream)), "cudaStreamDestroy");
    }

    long createEvent() {
        CUevent_st event = new CUevent_st();
        checkRuntime(cudaEventCreateWithFlags(event, cudaEventDisableTiming), "cudaEventCreateWithFlags");
        return event.address();
    }

    void destroyEvent(long event) {
        checkRuntime(cudaEventDestroy(event(event)), "cudaEventDestroy");
    }

    void recordEvent(long event, long stream) {
        checkRuntime(cudaEventRecord(event(event), stream(stream)), "cudaEventRecord");
    }

    void streamWaitEvent(long stream, long event) {
        checkRuntime(cudaStreamWaitEvent(stream(stream), event(event), 0), "cudaStreamWaitEvent");
    }

    boolean eventDone(long event) {
        int r = cudaEventQuery(event(event));
        if (r == cudaErrorNotReady) {
            return false;
        }
        checkAsync(r, "cudaEventQuery", deviceName);
        return true;
    }

    void synchronizeEvent(long event) {
        checkAsync(cudaEventSynchronize(event(event)), "cudaEventSynchronize", deviceName);
    }

    void synchronizeStream(long stream) {
        checkAsync(cudaStreamSynchronize(stream(stream)), "cudaStreamSynchronize", deviceName);
    }
}
