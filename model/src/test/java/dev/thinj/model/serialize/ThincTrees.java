package dev.thinj.model.serialize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Edits Thinc model files as trees, for the bad-input tests: {@link #parse} gives mutable maps and
 * lists ({@link MsgpackTree}'s values), {@link #encode} writes them back as Thinc does (a map with an
 * {@code nd} key is a NumPy array and gets bin keys), so that one field can be made wrong at a time.
 */
final class ThincTrees {
    private ThincTrees() {
    }

    /** @return the file's tree, with mutable maps and lists */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(byte[] bytes) {
        return (Map<String, Object>) mutable(MsgpackTree.parse(bytes, "test", "a Thinc model file"));
    }

    private static Object mutable(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, mutable(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(mutable(x)));
            return out;
        }
        if (v instanceof MsgpackTree.Bin b) {
            return b.copy();
        }
        return v;
    }

    /** @return the tree as msgpack, encoded as Thinc encodes it */
    static byte[] encode(Object tree) {
        try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
            write(out, tree);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code node}'s entry in one of the file's lists ({@code "nodes"}, {@code "params"}, ...) */
    @SuppressWarnings("unchecked")
    static Map<String, Object> entry(Map<String, Object> tree, String list, int node) {
        return (Map<String, Object>) ((List<Object>) tree.get(list)).get(node);
    }

    /** @return a NumPy array map as srsly writes it, of any dtype string */
    static Map<String, Object> array(String type, List<Long> shape, byte[] data) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("nd", true);
        a.put("type", type);
        a.put("kind", new byte[0]);
        a.put("shape", new ArrayList<>(shape));
        a.put("data", data);
        return a;
    }

    /** @return {@code n} float32 values, little-endian */
    static byte[] floats(int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(i / 10f);
        }
        return b.array();
    }

    /** @return one value msgpack-encoded on its own, as Thinc stores attributes */
    static byte[] attr(Object value) {
        return encode(value);
    }

    private static void write(MessagePacker out, Object v) throws IOException {
        if (v == null) {
            out.packNil();
        } else if (v instanceof Boolean b) {
            out.packBoolean(b);
        } else if (v instanceof Long l) {
            out.packLong(l);
        } else if (v instanceof Integer i) {
            out.packInt(i);
        } else if (v instanceof Double d) {
            out.packDouble(d);
        } else if (v instanceof String s) {
            ThincModelFile.packText(out, s);
        } else if (v instanceof byte[] b) {
            out.packBinaryHeader(b.length);
            out.writePayload(b);
        } else if (v instanceof List<?> l) {
            out.packArrayHeader(l.size());
            for (Object x : l) {
                write(out, x);
            }
        } else if (v instanceof Map<?, ?> m) {
            boolean numpy = m.containsKey("nd");
            out.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (numpy) {
                    byte[] k = ((String) e.getKey()).getBytes(StandardCharsets.UTF_8);
                    out.packBinaryHeader(k.length);
                    out.writePayload(k);
                } else {
                    ThincModelFile.packText(out, (String) e.getKey());
                }
                write(out, e.getValue());
            }
        } else {
            throw new IllegalArgumentException("cannot encode " + v.getClass());
        }
    }
}
