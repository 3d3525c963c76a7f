package dev.thinj.model.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thinj.model.Model;
import dev.thinj.model.Mutations;
import dev.thinj.model.ThincJson;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.ThinjException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * {@link ThincModelFile#fromBytes} on hostile bytes made from files Thinc wrote: random mutations,
 * bit flips, every truncation, and msgpack lengths and counts that lie. A Thinc file has no checksum,
 * so a mutation of a weight loads; the only outcomes allowed are a load after which the model
 * predicts (or refuses its input with a clear {@link ThinjException}), or a
 * {@link ModelFileException} naming the file that leaves the model as it was. Each try's seed is in
 * its failure message.
 */
// A hang guard only: a separate thread, so that even a loop that ignores interrupts fails the test.
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThincModelFileFuzzTest {
    private static final int TRIES = 1000;
    private static final String SOURCE = "fuzz/model.thinc";

    /** One fixture under fuzzing: its config, its bytes, and a model of each kind to read into. */
    private static final class Subject {
        final JsonNode c;
        final byte[] original;
        final FloatArray input;
        Model<FloatArray, FloatArray> target;
        String targetState;
        Model<FloatArray, FloatArray> fresh;
        String freshState;

        Subject(String name) {
            c = ThincCases.named(name);
            original = ThincCases.thincBytes(c);
            input = ThincJson.toArray(ThincCases.OPS, c.get("input"));
            renewTarget();
            renewFresh();
        }

        void renewTarget() {
            target = ThincCases.read(c);
            targetState = ThincCases.state(target);
        }

        void renewFresh() {
            fresh = ThincCases.build(c);
            freshState = ThincCases.state(fresh);
        }

        /** Reads into an initialised and a fresh model; @return whether the initialised one took it */
        boolean tryLoad(byte[] bytes, String what) {
            if (load(fresh, bytes, what + " (fresh model)", freshState)) {
                predicts(fresh, what + " (fresh model)");
                renewFresh();
            }
            if (!load(target, bytes, what, targetState)) {
                return false;
            }
            predicts(target, what);
            renewTarget();
            return true;
        }

        private void predicts(Model<FloatArray, FloatArray> model, String what) {
            try {
                model.predict(input);
            } catch (IllegalArgumentException | ThinjException e) {
                // Values the file may hold but the layers refuse, such as inconsistent widths across
                // layers: said clearly. Only a crash would be the reader's fault.
                assertThat(e.getMessage()).as(what).isNotBlank();
            } catch (Throwable e) {
                throw new AssertionError(what + ": the loaded model crashes: " + e, e);
            }
        }
    }

    /** @return whether the bytes loaded; if not, checks the exception and that the model is unchanged */
    private static boolean load(Model<?, ?> model, byte[] bytes, String what, String before) {
        try {
            ThincModelFile.fromBytes(model, bytes, SOURCE);
            return true;
        } catch (ModelFileException e) {
            assertThat(e.getMessage()).as(what).isNotBlank().contains(SOURCE);
            assertThat(ThincCases.state(model)).as(what + ": a failed read must leave the model as it was")
                    .isEqualTo(before);
            return false;
        } catch (Throwable e) {
            throw new AssertionError(what + ": expected a ModelFileException, got " + e, e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"chain_mlp", "maxout_normalize_nP", "concatenate", "residual"})
    void randomMutationsLoadConsistentlyOrAreRefused(String name) {
        Subject s = new Subject(name);
        assertThat(s.tryLoad(s.original, "the original")).isTrue();
        int refused = 0;
        for (int t = 0; t < TRIES; t++) {
            long seed = 1000 + t;
            if (!s.tryLoad(Mutations.mutate(s.original, new Random(seed)), name + ", seed " + seed)) {
                refused++;
            }
        }
        // Most of a small model's bytes are structure, not weights.
        assertThat(refused).isGreaterThan(TRIES / 4);
    }

    @Test
    void singleBitFlipsLoadConsistentlyOrAreRefused() {
        Subject s = new Subject("chain_mlp");
        Random r = new Random(7);
        for (int t = 0; t < TRIES; t++) {
            int bit = r.nextInt(s.original.length * 8);
            byte[] bytes = s.original.clone();
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            s.tryLoad(bytes, "bit " + bit);
        }
    }

    @Test
    void everyTruncationIsRefused() {
        Subject s = new Subject("chain_mlp");
        for (int n = 0; n < s.original.length; n++) {
            assertThat(s.tryLoad(Arrays.copyOf(s.original, n), "cut to " + n)).as("cut to %d bytes", n).isFalse();
        }
    }

    @Test
    void lyingLengthsAndCountsAreRefusedOrConsistent() {
        Subject s = new Subject("chain_mlp");
        List<Header> headers = headers(s.original);
        int refused = 0;
        for (int t = 0; t < TRIES; t++) {
            long seed = 9000 + t;
            Random r = new Random(seed);
            Header h = headers.get(r.nextInt(headers.size()));
            long value = Mutations.hostileInt(r);
            byte[] bytes = r.nextBoolean() ? h.withLength(s.original, value) : h.widened(s.original, value);
            if (!s.tryLoad(bytes, "seed " + seed + ": " + h + " = " + value)) {
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(TRIES / 2);
    }

    // ---- the named cases ---------------------------------------------------------------------------

    @Test
    void aBinOfTwoBillionBytesIsRefusedWithoutAllocatingIt() {
        Subject s = new Subject("chain_mlp");
        Header data = headers(s.original).stream().filter(h -> h.type() == 'b' && h.length() == 4 * 30)
                .findFirst().orElseThrow();  // the first Relu's W, 6 x 5
        byte[] bytes = data.widened(s.original, Integer.MAX_VALUE);
        assertThat(Mutations.allocatedBytes(() -> assertThatThrownBy(() -> ThincModelFile.fromBytes(
                ThincCases.build(s.c), bytes, SOURCE)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("a bin value of 2147483647 bytes, but only"))).isLessThan(16L << 20);
        byte[] unsigned = data.widened(s.original, 0xffff_fff0L);
        assertThatThrownBy(() -> ThincModelFile.fromBytes(ThincCases.build(s.c), unsigned, SOURCE))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("a length or count of 4294967280, more than");
    }

    @Test
    void countsPastTheEndAreRefusedWithoutAllocating() {
        Subject s = new Subject("chain_mlp");
        Header nodes = headers(s.original).stream().filter(h -> h.type() == 'a').findFirst().orElseThrow();
        byte[] bytes = nodes.widened(s.original, 0x7fff_ffffL);
        assertThat(Mutations.allocatedBytes(() -> assertThatThrownBy(() -> ThincModelFile.fromBytes(
                ThincCases.build(s.c), bytes, SOURCE)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("an array of 2147483647 entries, but only"))).isLessThan(16L << 20);
        byte[] unsigned = nodes.widened(s.original, 0xffff_ffffL);
        assertThatThrownBy(() -> ThincModelFile.fromBytes(ThincCases.build(s.c), unsigned, SOURCE))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("a length or count of 4294967295");
    }

    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        byte[] bytes = new byte[1 << 20];
        Arrays.fill(bytes, (byte) 0x91);  // an array of one array of one array ...
        bytes[0] = (byte) 0x81;
        bytes[1] = (byte) 0xa1;
        bytes[2] = 'x';
        assertThatThrownBy(() -> ThincModelFile.fromBytes(ThincCases.build(ThincCases.named("linear")), bytes, SOURCE))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("values nested more than 16 deep");
    }

    @Test
    void invalidTextAndExtensionTypesAreRefused() {
        byte[] badUtf8 = {(byte) 0x81, (byte) 0xa2, (byte) 0xc3, (byte) 0x28, (byte) 0xc0};
        assertThatThrownBy(() -> ThincModelFile.fromBytes(ThincCases.build(ThincCases.named("linear")), badUtf8,
                SOURCE)).isInstanceOf(ModelFileException.class).hasMessageContaining("is not UTF-8");
        byte[] ext = {(byte) 0x81, (byte) 0xa1, 'x', (byte) 0xd4, 1, 2};
        assertThatThrownBy(() -> ThincModelFile.fromBytes(ThincCases.build(ThincCases.named("linear")), ext, SOURCE))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("a msgpack extension value");
        byte[] intKey = {(byte) 0x81, 1, 2};
        assertThatThrownBy(() -> ThincModelFile.fromBytes(ThincCases.build(ThincCases.named("linear")), intKey,
                SOURCE)).isInstanceOf(ModelFileException.class).hasMessageContaining("a map key of type integer");
        byte[] twice = {(byte) 0x82, (byte) 0xa1, 'x', 1, (byte) 0xa1, 'x', 2};
        assertThatThrownBy(() -> ThincModelFile.fromBytes(ThincCases.build(ThincCases.named("linear")), twice,
                SOURCE)).isInstanceOf(ModelFileException.class).hasMessageContaining("the key 'x' appears twice");
    }

    // ---- the file's msgpack headers, to aim mutations at -------------------------------------------

    /**
     * A length-carrying msgpack header: where it starts, its format byte's size class and the length
     * it gives.
     *
     * @param offset the format byte's offset
     * @param width the bytes of length after the format byte (0 for the fix formats)
     * @param type 'b' bin, 's' str, 'a' array, 'm' map
     * @param length the length or count it holds
     */
    record Header(int offset, int width, char type, long length) {
        /** @return the bytes with this header's length field overwritten (fix formats: the low bits) */
        byte[] withLength(byte[] b, long value) {
            if (width == 0) {
                byte[] out = b.clone();
                int mask = type == 's' ? 0x1f : 0x0f;
                out[offset] = (byte) ((out[offset] & ~mask) | (value & mask));
                return out;
            }
            return Mutations.overwrite(b, offset + 1, width, value);
        }

        /** @return the bytes with this header rewritten in its 32-bit form, holding {@code value} */
        byte[] widened(byte[] b, long value) {
            byte format = switch (type) {
                case 'b' -> (byte) 0xc6;
                case 's' -> (byte) 0xdb;
                case 'a' -> (byte) 0xdd;
                default -> (byte) 0xdf;
            };
            byte[] header = ByteBuffer.allocate(5).put(format).putInt((int) value).array();
            return Mutations.splice(b, offset, offset + 1 + width, header);
        }
    }

    /** Walks a valid file and lists every bin, str, array and map header. */
    static List<Header> headers(byte[] b) {
        List<Header> out = new ArrayList<>();
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(b)) {
            while (in.hasNext()) {
                int at = (int) in.getTotalReadBytes();
                MessageFormat f = in.getNextFormat();
                int width = switch (f) {
                    case BIN8, STR8 -> 1;
                    case BIN16, STR16, ARRAY16, MAP16 -> 2;
                    case BIN32, STR32, ARRAY32, MAP32 -> 4;
                    default -> 0;
                };
                switch (f.getValueType()) {
                    case BINARY -> {
                        int n = in.unpackBinaryHeader();
                        out.add(new Header(at, width, 'b', n));
                        in.readPayload(n);
                    }
                    case STRING -> {
                        int n = in.unpackRawStringHeader();
                        out.add(new Header(at, width, 's', n));
                        in.readPayload(n);
                    }
                    // Containers: step into them; their elements follow as values.
                    case ARRAY -> out.add(new Header(at, width, 'a', in.unpackArrayHeader()));
                    case MAP -> out.add(new Header(at, width, 'm', in.unpackMapHeader()));
                    default -> in.skipValue();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
