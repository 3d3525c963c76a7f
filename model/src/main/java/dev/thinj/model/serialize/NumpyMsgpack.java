package dev.thinj.model.serialize;

import dev.thinj.ops.Shapes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessagePacker;

/**
 * NumPy arrays as srsly's msgpack-numpy writes them, which is how Thinc stores parameters: a map with
 * bin keys {@code nd} (true), {@code type} (the dtype string, {@code "<f4"}), {@code kind} (empty
 * bin), {@code shape} (an array of ints) and {@code data} (the C-order bytes, as a bin).
 */
final class NumpyMsgpack {
    private static final byte[][] KEYS = {bytes("nd"), bytes("type"), bytes("kind"), bytes("shape"), bytes("data")};
    /** Thinc writes parameters little-endian ({@code to_numpy(byte_order="<")}). */
    private static final String FLOAT32_LE = "<f4";
    private static final String FLOAT32_BE = ">f4";

    private NumpyMsgpack() {
    }

    /** A float32 array: its shape and values, row-major. */
    record Floats(int[] shape, float[] values) {
    }

    /**
     * Writes a float32 array exactly as Thinc 8.1.7 does, so that Thinc reads it and writes the same bytes.
     *
     * @param out the packer
     * @param shape the shape
     * @param values the values, row-major
     */
    static void write(MessagePacker out, int[] shape, float[] values) throws IOException {
        out.packMapHeader(KEYS.length);
        key(out, 0);
        out.packBoolean(true);
        key(out, 1);
        ThincModelFile.packText(out, FLOAT32_LE);
        key(out, 2);
        out.packBinaryHeader(0);
        key(out, 3);
        out.packArrayHeader(shape.length);
        for (int d : shape) {
            out.packInt(d);
        }
        key(out, 4);
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        out.packBinaryHeader(data.capacity());
        out.writePayload(data.array());
    }

    private static void key(MessagePacker out, int i) throws IOException {
        out.packBinaryHeader(KEYS[i].length);
        out.writePayload(KEYS[i]);
    }

    /**
     * Reads a float32 array from its parsed map, checking every field.
     *
     * @param value the parsed value ({@link MsgpackTree})
     * @param what the parameter, for errors, such as {@code "model.bin, node 3 ('relu'), parameter 'W'"}
     * @return the array
     * @throws ModelFileException if it is not a float32 NumPy array of rank 1 to 4 whose data fills its shape
     */
    static Floats read(Object value, String what) {
        if (!(value instanceof Map<?, ?> map) || !Boolean.TRUE.equals(map.get("nd"))) {
            throw new ModelFileException(what + " is not a NumPy array (a map with nd = true), but "
                    + ThincModelFile.describe(value));
        }
        String type = text(map.get("type"));
        if (!FLOAT32_LE.equals(type) && !FLOAT32_BE.equals(type)) {
            throw new ModelFileException(what + " is a NumPy array of type " + (type == null ? "(none)" : "'" + type
                    + "'") + "; Thinc's parameters are float32 ('<f4'), the only type thinj reads");
        }
        Object kind = map.get("kind");
        if (kind != null && !"".equals(text(kind))) {
            throw new ModelFileException(what + " is a NumPy array of structured kind '" + text(kind)
                    + "'; Thinc's parameters are plain float32");
        }
        int[] shape = shape(map.get("shape"), what);
        if (!(map.get("data") instanceof MsgpackTree.Bin data)) {
            throw new ModelFileException(what + ": the array's data is " + ThincModelFile.describe(map.get("data"))
                    + ", not bytes");
        }
        int size = Shapes.size(shape);
        if (data.length() != 4L * size) {
            throw new ModelFileException(what + ": shape " + Shapes.format(shape) + " needs " + 4L * size
                    + " bytes of float32 data, the file holds " + data.length());
        }
        float[] values = new float[size];
        data.buffer().order(FLOAT32_LE.equals(type) ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                .asFloatBuffer().get(values);
        return new Floats(shape, values);
    }

    private static int[] shape(Object value, String what) {
        if (!(value instanceof List<?> dims) || dims.isEmpty() || dims.size() > Shapes.MAX_RANK) {
            throw new ModelFileException(what + ": the array's shape is " + ThincModelFile.describe(value)
                    + ", expected a list of 1 to " + Shapes.MAX_RANK + " dimensions");
        }
        int[] shape = new int[dims.size()];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new ModelFileException(what + ": dimension " + i + " of the array's shape is "
                        + ThincModelFile.describe(dims.get(i)) + ", expected a count from 0 to 2^31");
            }
            shape[i] = (int) (long) d;
            size *= d;
            if (size > Integer.MAX_VALUE - 8) {
                throw new ModelFileException(what + ": the array's shape " + dims + " has more than 2^31 elements");
            }
        }
        return shape;
    }

    /** @return a str or bin value as text (srsly writes the dtype as str, older writers as bin), else null */
    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof MsgpackTree.Bin b) {
            return new String(b.copy(), StandardCharsets.UTF_8);
        }
        return null;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
