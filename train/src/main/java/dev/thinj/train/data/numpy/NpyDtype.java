package dev.thinj.train.data.numpy;

import dev.thinj.train.data.DataException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The element type of a {@code .npy} array, from its header's {@code descr} such as {@code '<f4'}:
 * a byte order ({@code <} little, {@code >} big, {@code |} not applicable, {@code =} this machine's),
 * a kind and a size. Numeric kinds are supported: {@code f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1}; every
 * value is converted to float32 as it is read.
 *
 * @param descr the descriptor as written
 * @param kind {@code 'f'}, {@code 'i'}, {@code 'u'} or {@code 'b'}
 * @param size bytes per element
 * @param order the byte order of multi-byte elements
 */
public record NpyDtype(String descr, char kind, int size, ByteOrder order) {
    /** The supported descriptors (without byte order) and NumPy's names for them. */
    private static final Map<String, String> NAMES = Map.ofEntries(Map.entry("f4", "float32"),
            Map.entry("f8", "float64"), Map.entry("i1", "int8"), Map.entry("i2", "int16"), Map.entry("i4", "int32"),
            Map.entry("i8", "int64"), Map.entry("u1", "uint8"), Map.entry("u2", "uint16"), Map.entry("u4", "uint32"),
            Map.entry("u8", "uint64"), Map.entry("b1", "bool"));
    /** What the messages list as supported. */
    static final String SUPPORTED = "float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool";

    /**
     * @param descr a header's {@code descr}
     * @param source the file, for messages
     * @return the dtype
     * @throws DataException for an object, string, complex, date, half or structured dtype
     */
    public static NpyDtype parse(String descr, String source) {
        String d = descr.strip();
        char orderChar = d.isEmpty() ? '?' : d.charAt(0);
        String type = "<>|=".indexOf(orderChar) >= 0 ? d.substring(1) : d;
        if (type.equals("O") || type.startsWith("O")) {
            throw new DataException(source + ": an object array (dtype '" + descr + "') holds Python objects, not numbers;"
                    + " save a numeric array instead (e.g. np.asarray(x, dtype=np.float32))");
        }
        String name = NAMES.get(type);
        if (name == null) {
            throw new DataException(source + ": unsupported dtype '" + descr + "' (supported: " + SUPPORTED + ")");
        }
        int size = type.charAt(1) - '0';
        ByteOrder order = switch (orderChar) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            case '|' -> {
                if (size != 1) {
                    throw new DataException(source + ": dtype '" + descr + "' has no byte order for " + size
                            + "-byte elements");
                }
                yield ByteOrder.LITTLE_ENDIAN;
            }
            default -> throw new DataException(source + ": dtype '" + descr + "' lacks its byte order (<, > or |)");
        };
        return new NpyDtype(descr, type.charAt(0), size, order);
    }

    /** @return NumPy's name for this type, such as {@code float32} */
    public String name() {
        return NAMES.get(String.valueOf(kind) + size);
    }

    /** @return whether the values are integers (or booleans) rather than floating point */
    public boolean isInteger() {
        return kind != 'f';
    }

    /**
     * Converts elements to float32.
     *
     * @param src the elements, from its position on (its position advances past them; its byte
     *     order is set to this dtype's)
     * @param dst where to put them (modified)
     * @param offset the first index in {@code dst}
     * @param count how many
     */
    public void decode(ByteBuffer src, float[] dst, int offset, int count) {
        src.order(order);
        int end = offset + count;
        switch (kind + Integer.toString(size)) {
            case "f4" -> {
                src.asFloatBuffer().get(dst, offset, count);
                src.position(src.position() + 4 * count);
            }
            case "f8" -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = (float) src.getDouble();
                }
            }
            case "i1" -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = src.get();
                }
            }
            case "u1" -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = src.get() & 0xff;
                }
            }
            case "b1" -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = src.get() != 0 ? 1f : 0f;
                }
            }
            case "i2" -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = src.getShort();
                }
            }
            case "u2" -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = src.getShort() & 0xffff;
                }
            }
            case "i4" -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = src.getInt();
                }
            }
            case "u4" -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = src.getInt() & 0xffffffffL;
                }
            }
            case "i8" -> {
                for (int i = offset; i < end; i++) {
                    dst[i] = src.getLong();
                }
            }
            case "u8" -> {
                for (int i = offset; i < end; i++) {
                    long v = src.getLong();
                    // Above 2^63 the signed value is negative: halve (keeping the sticky bit), convert, double.
                    dst[i] = v >= 0 ? (float) v : (float) ((v >>> 1) | (v & 1)) * 2f;
                }
            }
            default -> throw new IllegalStateException("dtype " + descr + " has no decoder");
        }
    }
}
