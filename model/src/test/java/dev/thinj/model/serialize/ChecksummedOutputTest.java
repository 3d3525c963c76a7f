package dev.thinj.model.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ChecksummedOutputTest {
    @Test
    void floatsAreLittleEndianAcrossTheBuffersChunks() throws IOException {
        Random r = new Random(9);
        // Around the 64 KiB chunk (16,384 floats), and several chunks.
        for (int n : new int[] {0, 1, 16_383, 16_384, 16_385, 100_003}) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = Float.intBitsToFloat(r.nextInt());
            }
            ByteBuffer expected = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
            expected.asFloatBuffer().put(values);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ChecksummedOutput.write(bytes, out -> ChecksummedOutput.writeFloats(out, values));
            byte[] got = bytes.toByteArray();
            assertThat(Arrays.copyOf(got, n * 4)).as("%d floats", n).containsExactly(expected.array());
        }
    }

    @Test
    void theBodyIsFollowedByItsCrc32AndTheStreamStaysOpen() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ChecksummedOutput.write(bytes, out -> {
            out.writeInt(7);
            out.writeUTF("thinj");
            out.close();  // a body that closes its stream must not close the file under it
        });
        assertThat(closed[0]).as("the underlying stream closed by the body").isFalse();
        bytes.write(42);
        byte[] got = bytes.toByteArray();
        int body = 4 + 2 + 5;
        CRC32 crc = new CRC32();
        crc.update(got, 0, body);
        assertThat(got).hasSize(body + 8 + 1);
        assertThat(ByteBuffer.wrap(got, body, 8).getLong()).isEqualTo(crc.getValue());
        assertThat(got[got.length - 1]).isEqualTo((byte) 42);
    }

    /** A snapshot writes later, twice even, the bytes writing then would have: header, floats, more. */
    @Test
    void aSnapshotWritesTheBytesOfWritingNow() throws IOException {
        float[] first = {1f, -2.5f, Float.NaN, Float.MIN_VALUE};
        float[] second = new float[40_000];
        Arrays.fill(second, 0.25f);
        ChecksummedOutput.Body body = out -> {
            out.writeInt(3);
            ChecksummedOutput.writeFloats(out, first);
            ChecksummedOutput.writeFloats(out, new float[0]);
            out.writeUTF("between");
            ChecksummedOutput.writeFloats(out, second);
            out.writeLong(-1L);
        };
        ByteArrayOutputStream now = new ByteArrayOutputStream();
        ChecksummedOutput.write(now, body);
        AtomicFiles.Content later = ChecksummedOutput.snapshot(body);
        for (int i = 0; i < 2; i++) {
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            later.writeTo(written);
            assertThat(written.toByteArray()).as("written the %d. time", i + 1).isEqualTo(now.toByteArray());
        }
    }
}
