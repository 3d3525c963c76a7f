package dev.thinj.model.serialize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessageUnpacker;

/**
 * Reads one msgpack value from bytes into plain Java values, trusting nothing: every count and length
 * is checked against the bytes that remain before anything is allocated, nesting is limited, and any
 * failure is a {@link ModelFileException} naming the source and the byte offset.
 *
 * <p>Values become: a map a {@code LinkedHashMap<String, Object>} (keys may be str or bin, as Thinc's
 * msgpack-numpy arrays have bin keys; both read as UTF-8 text), an array a {@code List<Object>}, an
 * integer a {@code Long}, a float a {@code Double}, a boolean a {@code Boolean}, nil {@code null},
 * str a {@code String}, and bin a {@link Bin}: a window on the input, not a copy, so the parameters
 * of a large model are not held twice.
 */
final class MsgpackTree {
    /** Thinc's model files nest five deep (top map, node list, param map, array map, shape). */
    static final int MAX_DEPTH = 16;

    private final byte[] bytes;
    private final String source;
    private final MessageUnpacker in;

    /**
     * A bin value: where its bytes lie in the input.
     *
     * @param bytes the whole input
     * @param offset the first byte
     * @param length how many bytes
     */
    record Bin(byte[] bytes, int offset, int length) {
        /** @return a copy of the bytes */
        byte[] copy() {
            byte[] out = new byte[length];
            System.arraycopy(bytes, offset, out, 0, length);
            return out;
        }

        /** @return the bytes, read-only */
        ByteBuffer buffer() {
            return ByteBuffer.wrap(bytes, offset, length).slice().asReadOnlyBuffer();
        }

        @Override
        public String toString() {
            return "bin[" + length + "]";
        }
    }

    private MsgpackTree(byte[] bytes, String source) {
        this.bytes = bytes;
        this.source = source;
        this.in = MessagePack.newDefaultUnpacker(bytes);
    }

    /**
     * Parses exactly one value that fills the bytes.
     *
     * @param bytes the input (kept: {@link Bin}s point into it)
     * @param source the file's name, for errors
     * @param what what the bytes should be, for errors, such as {@code "a Thinc model file"}
     * @return the value
     * @throws ModelFileException if the bytes are not one complete msgpack value
     */
    static Object parse(byte[] bytes, String source, String what) {
        if (bytes.length == 0) {
            throw new ModelFileException(source + " is empty, not " + what);
        }
        MsgpackTree t = new MsgpackTree(bytes, source);
        try (MessageUnpacker in = t.in) {
            Object value = t.value(0);
            if (t.position() != bytes.length) {
                throw t.corrupt(bytes.length - t.position() + " unexpected bytes after the end of the msgpack value ("
                        + what + " is one value)");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalStateException("closing an unpacker over an array cannot fail", e);
        }
    }

    private long position() {
        return in.getTotalReadBytes();
    }

    private long remaining() {
        return bytes.length - position();
    }

    private Object value(int depth) {
        try {
            return readValue(depth);
        } catch (ModelFileException e) {
            throw e;
        } catch (MessageSizeException e) {
            // A 32-bit length or count past 2^31: the unpacker refuses it before allocating.
            throw corrupt("a length or count of " + e.getSize() + ", more than the whole file's " + bytes.length
                    + " bytes could hold");
        } catch (IOException | MessagePackException e) {
            // The unpacker's own checks: running past the end, an integer too large for a long.
            throw corrupt(describe(e));
        }
    }

    private Object readValue(int depth) throws IOException {
        if (!in.hasNext()) {
            throw corrupt("the file ends where a value should begin (truncated?)");
        }
        if (depth > MAX_DEPTH) {
            throw corrupt("values nested more than " + MAX_DEPTH + " deep; a Thinc model file nests five");
        }
        MessageFormat format = in.getNextFormat();
        switch (format.getValueType()) {
            case NIL -> {
                in.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return in.unpackBoolean();
            }
            case INTEGER -> {
                if (format == MessageFormat.UINT64) {
                    long at = position();
                    java.math.BigInteger v = in.unpackBigInteger();
                    if (v.bitLength() > 63) {
                        throw corrupt(at, "an integer larger than 2^63");
                    }
                    return v.longValue();
                }
                return in.unpackLong();
            }
            case FLOAT -> {
                return in.unpackDouble();
            }
            case STRING -> {
                return string(in.unpackRawStringHeader());
            }
            case BINARY -> {
                int length = in.unpackBinaryHeader();
                checkLength(length, "a bin value");
                int offset = (int) position();
                in.readPayloadAsReference(length);
                return new Bin(bytes, offset, length);
            }
            case ARRAY -> {
                long at = position();
                int n = in.unpackArrayHeader();
                checkCount(at, n, 1, "an array");
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(value(depth + 1));
                }
                return list;
            }
            case MAP -> {
                long at = position();
                int n = in.unpackMapHeader();
                checkCount(at, n, 2, "a map");
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    long keyAt = position();
                    String key = key();
                    if (map.containsKey(key)) {
                        throw corrupt(keyAt, "the key '" + key + "' appears twice in one map");
                    }
                    map.put(key, value(depth + 1));
                }
                return map;
            }
            default -> throw corrupt("a msgpack " + format.getValueType().name().toLowerCase()
                    + " value, which Thinc's model files do not use");
        }
    }

    /** A map key: str, or bin as in Thinc's encoding of numpy arrays. */
    private String key() throws IOException {
        if (!in.hasNext()) {
            throw corrupt("the file ends where a map key should begin (truncated?)");
        }
        MessageFormat format = in.getNextFormat();
        return switch (format.getValueType()) {
            case STRING -> string(in.unpackRawStringHeader());
            case BINARY -> string(in.unpackBinaryHeader());
            default -> throw corrupt("a map key of type " + format.getValueType().name().toLowerCase()
                    + "; Thinc's model files have text keys");
        };
    }

    private String string(int length) throws IOException {
        checkLength(length, "a string");
        int offset = (int) position();
        in.readPayloadAsReference(length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt(offset, "a string of " + length + " bytes that is not UTF-8");
        }
    }

    private void checkLength(int length, String what) {
        // The unpacker reads 32-bit lengths as int: past 2^31 they turn negative.
        if (length < 0 || length > remaining()) {
            throw corrupt(what + " of " + Integer.toUnsignedString(length) + " bytes, but only " + remaining()
                    + " remain (truncated?)");
        }
    }

    private void checkCount(long at, int n, int minBytesEach, String what) {
        if (n < 0 || (long) n * minBytesEach > remaining()) {
            throw corrupt(at, what + " of " + Integer.toUnsignedString(n) + " entries, but only " + remaining()
                    + " bytes remain to hold them (truncated?)");
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        if (e instanceof org.msgpack.core.MessageInsufficientBufferException || e instanceof java.io.EOFException) {
            return "the file ends inside a value (truncated?)";
        }
        return "not valid msgpack (" + e.getClass().getSimpleName() + (m == null ? "" : ": " + m) + ")";
    }

    private ModelFileException corrupt(String problem) {
        return corrupt(position(), problem);
    }

    private ModelFileException corrupt(long offset, String problem) {
        return new ModelFileException(source + " is corrupt at byte " + offset + ": " + problem);
    }
}
