package dev.thinj.model.serialize;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The tail every thinj binary file ends with: the body, then the CRC32 of the body's bytes as a long.
 * Written as a stream, so a file is never held in memory whole.
 */
public final class ChecksummedOutput {
    /** Floats go out through a buffer of this many bytes, not one the size of the array. */
    private static final int CHUNK = 1 << 16;

    /** A body written to a data stream. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param out the stream whose bytes the checksum covers
         * @throws IOException if the underlying stream fails
         */
        void writeTo(DataOutputStream out) throws IOException;
    }

    private ChecksummedOutput() {
    }

    /**
     * @param out where the body and then its CRC32 go (flushed, not closed)
     * @param body writes the body
     * @throws IOException if {@code out} fails
     */
    public static void write(OutputStream out, Body body) throws IOException {
        CRC32 crc = new CRC32();
        // The body's stream must not close or flush-and-close out: only its bytes pass through it.
        OutputStream shield = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        DataOutputStream data = new DataOutputStream(new CheckedOutputStream(shield, crc));
        body.writeTo(data);
        data.flush();
        DataOutputStream tail = new DataOutputStream(shield);
        tail.writeLong(crc.getValue());
        tail.flush();
    }

    /**
     * Writes the values as little-endian float32, through a small buffer.
     *
     * @param out the stream
     * @param values the values
     * @throws IOException if the stream fails
     */
    public static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        if (out instanceof Recording recording) {
            recording.keep(values);
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.min(CHUNK, values.length * 4)).order(ByteOrder.LITTLE_ENDIAN);
        int per = buf.capacity() / 4;
        for (int start = 0; start < values.length; start += per) {
            int n = Math.min(per, values.length - start);
            buf.clear();
            buf.asFloatBuffer().put(values, start, n);
            out.write(buf.array(), 0, n * 4);
        }
    }

    /**
     * Runs {@code body} now and returns the file it would write, to be written later, from any thread:
     * the body's bytes are kept, and the arrays it hands to {@link #writeFloats} are kept by reference
     * (so it must hand over copies nobody changes, as {@code FloatArray.toFloatArray} returns). Writing
     * the result gives the bytes {@link #write} gives. A checkpoint is taken this way between the steps
     * and written while the evaluation runs.
     *
     * @param body writes the body
     * @return what writes the body and its CRC32 to a stream
     */
    public static AtomicFiles.Content snapshot(Body body) {
        Recording recording = new Recording();
        List<Object> parts;
        try {
            body.writeTo(recording);
            parts = recording.parts();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);  // a ByteArrayOutputStream cannot
        }
        return out -> write(out, data -> {
            for (Object part : parts) {
                if (part instanceof byte[] bytes) {
                    data.write(bytes);
                } else {
                    writeFloats(data, (float[]) part);
                }
            }
        });
    }

    /** A body's bytes in memory, with the float arrays kept aside by reference. */
    private static final class Recording extends DataOutputStream {
        private final List<Object> parts = new ArrayList<>();

        Recording() {
            super(new ByteArrayOutputStream());
        }

        void keep(float[] values) throws IOException {
            cut();
            parts.add(values);
        }

        List<Object> parts() throws IOException {
            cut();
            return List.copyOf(parts);
        }

        private void cut() throws IOException {
            flush();
            ByteArrayOutputStream bytes = (ByteArrayOutputStream) out;
            if (bytes.size() > 0) {
                parts.add(bytes.toByteArray());
                bytes.reset();
            }
        }
    }
}
