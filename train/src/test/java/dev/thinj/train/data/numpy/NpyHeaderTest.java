package dev.thinj.train.data.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.Mutations;
import dev.thinj.train.data.DataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * .npy files built byte by byte: every header version, dtype and order, and hostile headers and
 * data. The reader either returns exactly what the bytes say or throws a DataException naming the
 * source; a lying shape never makes it allocate what the shape claims.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NpyHeaderTest {
    private static final String SOURCE = "mem.npy";

    /** @return a .npy file: magic, version, padded header, data */
    static byte[] npy(int major, String dict, byte[] data) {
        byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + text.length + 1;
        int pad = (64 - total % 64) % 64;
        ByteBuffer b = ByteBuffer.allocate(total + pad + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) (text.length + pad + 1));
        } else {
            b.putInt(text.length + pad + 1);
        }
        b.put(text);
        for (int i = 0; i < pad; i++) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n').put(data);
        return b.array();
    }

    static NpyArray read(byte[] bytes) {
        return NpyReader.read(new ByteArrayInputStream(bytes), SOURCE, bytes.length);
    }

    private static byte[] ints(ByteOrder order, int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    @Test
    void everyVersionAndByteOrderReads() {
        for (int major = 1; major <= 3; major++) {
            for (String order : new String[] {"<", ">"}) {
                ByteOrder o = order.equals("<") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                NpyArray a = read(npy(major, "{'descr': '" + order + "i4', 'fortran_order': False, 'shape': (2, 2), }",
                        ints(o, 1, -2, 70000, 4)));
                assertThat(a.values()).as("v" + major + order).containsExactly(1f, -2f, 70000f, 4f);
                assertThat(a.rows()).isEqualTo(2);
                assertThat(a.width()).isEqualTo(2);
            }
        }
    }

    @Test
    void unsignedAndWideIntegersConvert() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).putLong(1L << 40);
        assertThat(read(npy(1, "{'descr': '<u8', 'fortran_order': False, 'shape': (2,)}", b.array())).values())
                .containsExactly(0x1p64f, 0x1p40f);
        assertThat(read(npy(1, "{'descr': '<u4', 'fortran_order': False, 'shape': (1,)}", ints(ByteOrder.LITTLE_ENDIAN,
                -1))).values()).containsExactly(4294967295f);
        // Python 2's long suffix, double quotes and no trailing comma are accepted too.
        assertThat(read(npy(1, "{\"descr\": \"|u1\", \"shape\": (3L,), \"fortran_order\": False}",
                new byte[] {0, (byte) 200, 7})).values()).containsExactly(0f, 200f, 7f);
    }

    @Test
    void malformedHeadersAreNamed() {
        String[][] cases = {
            {"{'descr': '<f4', 'shape': (1,)}", "lacks 'fortran_order'"},
            {"{'descr': '<f4', 'fortran_order': 'no', 'shape': (1,)}", "'fortran_order' is not True or False"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': 3}", "'shape' is not a tuple"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", "'shape' holds -1, not a size"},
            {"{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}", "structured dtype"},
            {"{'descr': '<f2', 'fortran_order': False, 'shape': (1,)}", "unsupported dtype '<f2'"},
            {"{'descr': '|f4', 'fortran_order': False, 'shape': (1,)}", "has no byte order for 4-byte elements"},
            {"{'descr': 'f4', 'fortran_order': False, 'shape': (1,)}", "lacks its byte order"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,)", "malformed .npy header"},
            {"['descr']", "the header is not a dict"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "an integer below 2^63"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296)}",
                "implausible shape"},
            // The file's size refutes the shape before anything is allocated.
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (70000, 70000)}", "needs 19600000000 data bytes"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> read(npy(1, c[0], new byte[4]))).as(c[0]).isInstanceOf(DataException.class)
                    .hasMessageStartingWith(SOURCE + ": ").hasMessageContaining(c[1]);
        }
    }

    @Test
    void anArrayBeyondOneJavaArrayIsRefusedByName() {
        byte[] huge = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (70000, 70000)}", new byte[4]);
        assertThatThrownBy(() -> NpyReader.read(new ByteArrayInputStream(huge), SOURCE, -1))
                .isInstanceOf(DataException.class)
                .hasMessage(SOURCE + ": shape (70000, 70000) holds more than 2147483631 values, too many to read whole "
                        + "into one array");
    }

    @Test
    void versionsBeyondThreeAndTruncationsAreNamed() {
        byte[] good = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", new byte[8]);
        byte[] v4 = good.clone();
        v4[6] = 4;
        assertThatThrownBy(() -> read(v4)).hasMessage(SOURCE + ": .npy format version 4.0 is not supported (1.0, 2.0 "
                + "and 3.0 are)");
        assertThatThrownBy(() -> read(java.util.Arrays.copyOf(good, good.length - 1)))
                .hasMessage(SOURCE + ": truncated: shape (2,) float32 needs 8 data bytes, the file holds 7");
        assertThatThrownBy(() -> read(java.util.Arrays.copyOf(good, 9))).hasMessageContaining("truncated .npy header length");
        assertThatThrownBy(() -> read(new byte[0])).hasMessage(SOURCE + ": empty file, not a .npy");
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> read(longer)).hasMessageContaining("the file goes on after the 8 data bytes");
        // Unknown size (a stream): the truncation is found while reading.
        assertThatThrownBy(() -> NpyReader.read(new ByteArrayInputStream(java.util.Arrays.copyOf(good, good.length - 3)),
                SOURCE, -1)).hasMessage(SOURCE + ": truncated: shape (2,) float32 needs 8 data bytes, the file holds 5");
    }

    @Test
    void aLyingShapeAllocatesNothingLikeWhatItClaims() {
        // 500 million floats promised, 8 bytes there.
        byte[] liar = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (500000000,)}", new byte[8]);
        long allocated = Mutations.allocatedBytes(() -> assertThatThrownBy(() -> read(liar))
                .isInstanceOf(DataException.class).hasMessageContaining("truncated"));
        assertThat(allocated).isLessThan(10L << 20);
    }

    @Test
    void aLyingShapeInAStreamOfUnknownSizeAllocatesOnlyWhatIsRead() {
        byte[] liar = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (500000000,)}", new byte[400]);
        long allocated = Mutations.allocatedBytes(() -> assertThatThrownBy(() -> NpyReader.read(
                new ByteArrayInputStream(liar), SOURCE, -1)).isInstanceOf(DataException.class)
                .hasMessage(SOURCE + ": truncated: shape (500000000,) float32 needs 2000000000 data bytes, the file "
                        + "holds 400"));
        assertThat(allocated).isLessThan(10L << 20);
    }

    @Test
    void aStreamOfUnknownSizeReadsTheSameValues() {
        byte[] good = npy(2, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3)}",
                ints(ByteOrder.LITTLE_ENDIAN, 0, 3, 1, 4, 2, 5));
        assertThat(NpyReader.read(new ByteArrayInputStream(good), SOURCE, -1).values())
                .containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
    }

    @Test
    void mutatedFilesReadAsTheirBytesSayOrFailNamingTheSource() {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < 24; i++) {
            data.writeBytes(ints(ByteOrder.BIG_ENDIAN, Float.floatToIntBits(i * 0.5f)));
        }
        byte[] good = npy(1, "{'descr': '>f4', 'fortran_order': True, 'shape': (2, 3, 4), }", data.toByteArray());
        int loaded = 0;
        for (long seed = 0; seed < 3000; seed++) {
            Random r = new Random(seed);
            byte[] bytes = good;
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                bytes = Mutations.mutate(bytes, r);
            }
            try {
                NpyArray a = read(bytes);
                loaded++;
                long n = 1;
                for (long d : a.header().shape()) {
                    n *= d;
                }
                assertThat(a.values()).as("seed " + seed).hasSize((int) n);
                assertThat((long) a.rows() * a.width()).as("seed " + seed).isEqualTo(n);
            } catch (DataException e) {
                assertThat(e.getMessage()).as("seed " + seed).startsWith(SOURCE + ": ");
            } catch (Throwable e) {
                throw new AssertionError("seed " + seed + ": expected a DataException, got " + e, e);
            }
        }
        assertThat(loaded).as("some mutations (of the data bytes) still load").isPositive();
    }
}
