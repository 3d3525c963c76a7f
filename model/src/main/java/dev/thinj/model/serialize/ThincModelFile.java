package dev.thinj.model.serialize;

import dev.thinj.model.Model;
import dev.thinj.model.serialize.ThincLayers.Attr;
import dev.thinj.model.serialize.ThincLayers.Kind;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Shapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Reads and writes Thinc's own serialized models, what {@code Model.to_bytes()} and
 * {@code Model.to_disk()} produce and {@code from_bytes()}/{@code from_disk()} read: a msgpack map of
 * four lists, aligned with {@code walk()} order (breadth-first, each node once) — {@code nodes}
 * (index, name, dims, refs), {@code attrs} (each value msgpack-encoded on its own), {@code params}
 * (NumPy float32 arrays in srsly's msgpack-numpy encoding, or nil where unallocated) and
 * {@code shims}.
 *
 * <p>As in Thinc, the file carries no architecture: the model is built from the same config (Thinc's
 * config format, Thinc's layer names) and the file is matched with it node by node, by Thinc's
 * structure and names. Dims, parameters and the attributes both know (a dropout rate, a softmax's
 * temperature and normalisation) are copied; thinj's own attributes (seeds, dropout counters) are
 * neither written nor read. Writing produces the bytes Thinc 8.1.7 itself writes for the same model,
 * so Thinc's {@code from_bytes} accepts them and its {@code to_bytes} gives them back unchanged.
 *
 * <p>Reading trusts nothing in the file: a file for another architecture is a
 * {@link ModelMismatchException} naming the first node, dim or parameter that differs (the expected
 * and the found value or shape); a layer thinj does not have, or truncated or garbled msgpack, is a
 * {@link ModelFileException} naming the file. The whole file is read and checked before the model
 * changes, so a failed read leaves it as it was.
 */
public final class ThincModelFile {
    private ThincModelFile() {
    }

    /**
     * Reads a Thinc model file into a model built from the same config: sets unset dims, replaces the
     * parameters (on the model's backend) and sets the attributes both know. A parameter the file holds
     * as nil (Thinc's unallocated) is left as the model has it.
     *
     * @param model the model to fill
     * @param path the file ({@code model.to_disk(path)})
     * @param <M> the model's type
     * @return the model
     * @throws ModelFileException naming the file and what was wrong; the model is then unchanged
     */
    public static <M extends Model<?, ?>> M read(M model, Path path) {
        fromBytes(model, CheckedInput.readFile(path, "Thinc model file"), path.toString());
        return model;
    }

    /**
     * Writes the model as Thinc's {@code to_disk} would, atomically.
     *
     * @param model the model (read, not modified)
     * @param path the file to write; its folder must exist
     * @throws ModelFileException naming the file if it cannot be written, or naming the node Thinc has
     *     no layer for
     */
    public static void write(Model<?, ?> model, Path path) {
        byte[] bytes = toBytes(model);
        try {
            AtomicFiles.write(path, bytes);
        } catch (IOException e) {
            throw new ModelFileException("Cannot write Thinc model file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param model the model (read, not modified)
     * @return its state as Thinc's {@code to_bytes()} writes it
     * @throws ModelFileException naming the first node that is not one of Thinc's layers
     */
    public static byte[] toBytes(Model<?, ?> model) {
        List<Model<?, ?>> nodes = model.walk();
        for (int i = 0; i < nodes.size(); i++) {
            if (ThincLayers.kindOf(nodes.get(i)) == null) {
                throw new ModelFileException("Node " + i + " ('" + nodes.get(i).name() + "') is not one of Thinc's"
                        + " layers, so the model has no Thinc form; Thinc's layers in thinj: " + ThincLayers.THINJ_HAS);
            }
        }
        try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
            out.packMapHeader(4);
            packText(out, "nodes");
            out.packArrayHeader(nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                writeNode(out, nodes.get(i), i);
            }
            packText(out, "attrs");
            out.packArrayHeader(nodes.size());
            for (Model<?, ?> node : nodes) {
                writeAttrs(out, node);
            }
            packText(out, "params");
            out.packArrayHeader(nodes.size());
            for (Model<?, ?> node : nodes) {
                writeParams(out, node);
            }
            packText(out, "shims");
            out.packArrayHeader(nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                out.packArrayHeader(0);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    private static void writeNode(MessagePacker out, Model<?, ?> node, int index) throws IOException {
        out.packMapHeader(4);
        packText(out, "index");
        out.packInt(index);
        packText(out, "name");
        packText(out, node.name());
        packText(out, "dims");
        List<String> dims = ThincLayers.dims(node);
        out.packMapHeader(dims.size());
        for (String d : dims) {
            packText(out, d);
            if (node.dimNames().contains(d) && node.hasDim(d)) {
                out.packInt(node.getDim(d));
            } else {
                out.packNil();
            }
        }
        packText(out, "refs");
        out.packMapHeader(0);
    }

    private static void writeAttrs(MessagePacker out, Model<?, ?> node) throws IOException {
        List<Attr> attrs = new ArrayList<>();
        for (Attr a : ThincLayers.kindOf(node).attrs()) {
            if (node.attrNames().contains(a.name()) && node.attr(a.name()) != null) {
                attrs.add(a);
            }
        }
        out.packMapHeader(attrs.size());
        for (Attr a : attrs) {
            packText(out, a.name());
            // Thinc msgpack-encodes each attribute's value on its own, then stores those bytes.
            try (MessageBufferPacker value = MessagePack.newDefaultBufferPacker()) {
                Object v = node.attr(a.name());
                if (v instanceof Boolean b) {
                    value.packBoolean(b);
                } else if (v instanceof Float f) {
                    // Thinc holds the config's number as its parser read it, not float32 0.2's
                    // double 0.20000000298...
                    value.packDouble(ThincConfigFloats.of(f));
                } else if (v instanceof Number n) {
                    value.packDouble(n.doubleValue());
                } else {
                    throw new ModelFileException("Node '" + node.name() + "': attribute '" + a.name() + "' is a "
                            + v.getClass().getSimpleName() + ", which Thinc's layer does not hold");
                }
                byte[] bytes = value.toByteArray();
                out.packBinaryHeader(bytes.length);
                out.writePayload(bytes);
            }
        }
    }

    private static void writeParams(MessagePacker out, Model<?, ?> node) throws IOException {
        List<String> params = ThincLayers.kindOf(node).params();
        out.packMapHeader(params.size());
        for (String p : params) {
            packText(out, p);
            if (node.paramNames().contains(p) && node.hasParam(p)) {
                FloatArray a = node.getParam(p);
                NumpyMsgpack.write(out, a.shape(), a.toFloatArray());
            } else {
                out.packNil();  // unallocated, as Thinc writes it
            }
        }
    }

    /**
     * Packs text with the shortest header, as Python's msgpack does (the packer's own string writer
     * may reserve a longer header for long strings).
     */
    static void packText(MessagePacker out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.packRawStringHeader(b.length);
        out.writePayload(b);
    }

    // ---- reading -------------------------------------------------------------------------------

    /**
     * Reads Thinc's bytes into a model built from the same config. The whole file is read and
     * checked against the model first; the model changes only once nothing is wrong.
     *
     * @param model the model to fill
     * @param bytes the file's bytes
     * @param source the file's name, for errors
     * @throws ModelMismatchException if the file holds another architecture: the first node, dim or
     *     parameter that differs, with the expected and the found value
     * @throws ModelFileException if the bytes are not a Thinc model file, are truncated or garbled, or
     *     hold a layer thinj does not have
     */
    public static void fromBytes(Model<?, ?> model, byte[] bytes, String source) {
        if (bytes.length == 0) {
            throw new ModelFileException(source + " is empty, not a thinj model file nor a Thinc one");
        }
        if (!isMapHeader(bytes[0])) {
            throw new ModelFileException(source + " is not a thinj model file (no THINJMDL header) nor a Thinc one"
                    + " (Model.to_bytes(): a msgpack map, which this does not begin with)");
        }
        Map<String, Object> top = map(MsgpackTree.parse(bytes, source, "a Thinc model file"), source
                + " is not a Thinc model file: expected a map of nodes, attrs, params and shims");
        List<Object> nodes = section(top, "nodes", source);
        List<Object> attrs = section(top, "attrs", source);
        List<Object> params = section(top, "params", source);
        List<Object> shims = section(top, "shims", source);
        int n = nodes.size();
        if (attrs.size() != n || params.size() != n || shims.size() != n) {
            throw new ModelFileException(source + " is corrupt: its lists of nodes (" + n + "), attrs ("
                    + attrs.size() + "), params (" + params.size() + ") and shims (" + shims.size()
                    + ") should be as long as each other");
        }
        List<Model<?, ?>> walk = model.walk();
        List<Map<String, Object>> infos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            infos.add(nodeInfo(nodes.get(i), i, source));
        }
        checkLayers(infos, walk, source);
        List<NodeState> states = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Model<?, ?> node = walk.get(i);
            String where = source + ", node " + i + " ('" + node.name() + "')";
            states.add(readNode(node, infos.get(i), attrs.get(i), params.get(i), shims.get(i), where));
        }
        for (int i = 0; i < n; i++) {
            states.get(i).applyTo(walk.get(i));
        }
    }

    /** msgpack's map headers: fixmap, map 16, map 32. */
    private static boolean isMapHeader(byte b) {
        return (b & 0xf0) == 0x80 || b == (byte) 0xde || b == (byte) 0xdf;
    }

    private static Map<String, Object> nodeInfo(Object value, int i, String source) {
        String what = source + ", node " + i;
        Map<String, Object> info = map(value, what + " is corrupt: expected a map of index, name, dims and refs");
        if (!(info.get("name") instanceof String)) {
            throw new ModelFileException(what + " is corrupt: its name is " + describe(info.get("name")));
        }
        if (!(info.get("index") instanceof Long index) || index != i) {
            throw new ModelFileException(what + " is corrupt: its index is " + describe(info.get("index")));
        }
        return info;
    }

    /**
     * First a layer thinj does not have anywhere in the file (no config could load it), then the
     * first node whose name differs from the model's, then the node count.
     */
    private static void checkLayers(List<Map<String, Object>> infos, List<Model<?, ?>> walk, String source) {
        for (int i = 0; i < infos.size(); i++) {
            String name = (String) infos.get(i).get("name");
            String unknown = ThincLayers.unknownLayer(name);
            if (unknown != null) {
                throw new ModelFileException(source + ", node " + i + " ('" + name + "'): '" + unknown + "' is a layer"
                        + " thinj does not have; thinj has " + ThincLayers.THINJ_HAS);
            }
        }
        for (int i = 0; i < Math.min(infos.size(), walk.size()); i++) {
            String name = (String) infos.get(i).get("name");
            if (!name.equals(walk.get(i).name())) {
                throw new ModelMismatchException(source + ", node " + i + ": the model has '" + walk.get(i).name()
                        + "' here, the file '" + name + "': it was saved from a different architecture");
            }
        }
        if (infos.size() != walk.size()) {
            throw new ModelMismatchException(source + " holds " + infos.size() + " nodes, the model has "
                    + walk.size() + ": it was saved from a different architecture");
        }
        for (int i = 0; i < walk.size(); i++) {
            if (ThincLayers.kindOf(walk.get(i)) == null) {
                throw new ModelFileException(source + ", node " + i + " ('" + walk.get(i).name() + "'): the model's"
                        + " node is not one of Thinc's layers (thinj has " + ThincLayers.THINJ_HAS + ")");
            }
        }
    }

    /** What the file holds for one node, checked against it but not yet applied. */
    private record NodeState(Map<String, Integer> dims, Map<String, NumpyMsgpack.Floats> params,
            Map<String, Object> attrs) {
        void applyTo(Model<?, ?> node) {
            dims.forEach((dim, value) -> {
                if (!node.hasDim(dim)) {
                    node.setDim(dim, value);
                }
            });
            params.forEach((p, a) -> node.setParam(p, node.ops().asArray(a.values(), a.shape())));
            attrs.forEach(node::setAttr);
        }
    }

    private static NodeState readNode(Model<?, ?> node, Map<String, Object> info, Object attrs, Object params,
            Object shims, String where) {
        Kind kind = ThincLayers.kindOf(node);
        if (!map(info.get("refs"), where + " is corrupt: its refs are not a map").isEmpty()) {
            throw new ModelFileException(where + ": the file gives it refs to other nodes, which Thinc's "
                    + node.name() + " layer does not have");
        }
        if (!(shims instanceof List<?> list) || !list.isEmpty()) {
            throw new ModelFileException(where + ": the file holds shims (a wrapped PyTorch, TensorFlow or MXNet"
                    + " model), which thinj cannot run");
        }
        Map<String, Integer> dims = readDims(node, map(info.get("dims"), where + " is corrupt: its dims are not a map"),
                where);
        Map<String, Integer> allDims = new LinkedHashMap<>();
        for (String d : node.dimNames()) {
            if (node.hasDim(d)) {
                allDims.put(d, node.getDim(d));
            }
        }
        allDims.putAll(dims);
        Map<String, NumpyMsgpack.Floats> paramValues = readParams(node, kind, allDims,
                map(params, where + " is corrupt: its params are not a map"), where);
        Map<String, Object> attrValues = readAttrs(node, kind,
                map(attrs, where + " is corrupt: its attrs are not a map"), where);
        return new NodeState(dims, paramValues, attrValues);
    }

    private static Map<String, Integer> readDims(Model<?, ?> node, Map<String, Object> fileDims, String where) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fileDims.entrySet()) {
            String dim = e.getKey();
            Object value = e.getValue();
            if (value == null) {
                continue;  // unset in Thinc: nothing to copy or compare
            }
            if (!(value instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                throw new ModelFileException(where + " is corrupt: dim '" + dim + "' is " + describe(value)
                        + ", expected a width from 0 to 2^31");
            }
            if (!node.dimNames().contains(dim)) {
                throw new ModelMismatchException(where + ": the file sets dim '" + dim + "' = " + v + ", which the"
                        + " model's layer does not have (it has " + node.dimNames() + ")");
            }
            if (node.hasDim(dim) && node.getDim(dim) != v) {
                throw new ModelMismatchException(where + ", dim '" + dim + "': expected " + node.getDim(dim)
                        + " (the model's), found " + v + " in the file");
            }
            out.put(dim, (int) (long) v);
        }
        return out;
    }

    private static Map<String, NumpyMsgpack.Floats> readParams(Model<?, ?> node, Kind kind, Map<String, Integer> dims,
            Map<String, Object> fileParams, String where) {
        Map<String, NumpyMsgpack.Floats> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fileParams.entrySet()) {
            String param = e.getKey();
            if (!kind.params().contains(param) || !node.paramNames().contains(param)) {
                throw new ModelMismatchException(where + ": the file has a parameter '" + param + "', which the"
                        + " model's layer does not have (it has " + node.paramNames() + ")");
            }
            if (e.getValue() == null) {
                continue;  // Thinc's unallocated parameter: nothing to copy
            }
            String what = where + ", parameter '" + param + "'";
            NumpyMsgpack.Floats a = NumpyMsgpack.read(e.getValue(), what);
            int[] expected = node.hasParam(param) ? node.getParam(param).shape() : kind.paramShape(param, dims);
            if (expected == null) {
                throw new ModelFileException(what + ": the file holds an array of shape " + Shapes.format(a.shape())
                        + " but leaves the dims that size it unset (it is corrupt)");
            }
            if (!Shapes.same(expected, a.shape())) {
                throw new ModelMismatchException(what + ": expected shape " + Shapes.format(expected)
                        + " (from the model's dims " + dims + "), found " + Shapes.format(a.shape()) + " in the file");
            }
            out.put(param, a);
        }
        return out;
    }

    private static Map<String, Object> readAttrs(Model<?, ?> node, Kind kind, Map<String, Object> fileAttrs,
            String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Attr a : kind.attrs()) {
            if (!fileAttrs.containsKey(a.name()) || !node.attrNames().contains(a.name())) {
                continue;  // Thinc's layer as built keeps its default
            }
            String what = where + ", attribute '" + a.name() + "'";
            if (!(fileAttrs.get(a.name()) instanceof MsgpackTree.Bin bin)) {
                throw new ModelFileException(what + " is corrupt: expected msgpack bytes, found "
                        + describe(fileAttrs.get(a.name())));
            }
            Object v = MsgpackTree.parse(bin.copy(), what, "an attribute value");
            if (a.isFloat()) {
                if (!(v instanceof Double) && !(v instanceof Long)) {
                    throw new ModelFileException(what + " is " + describe(v) + ", expected a number");
                }
                double d = ((Number) v).doubleValue();
                if (!a.valid().test(d)) {
                    throw new ModelFileException(what + " is " + d + "; it must be " + a.range());
                }
                out.put(a.name(), (float) d);
            } else {
                if (!(v instanceof Boolean)) {
                    throw new ModelFileException(what + " is " + describe(v) + ", expected true or false");
                }
                out.put(a.name(), v);
            }
        }
        return out;
    }

    // ---- the parsed tree -----------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String error) {
        if (!(value instanceof Map<?, ?>)) {
            throw new ModelFileException(error + " (found " + describe(value) + ")");
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> section(Map<String, Object> top, String key, String source) {
        Object value = top.get(key);
        if (!(value instanceof List<?>)) {
            throw new ModelFileException(source + " is not a Thinc model file: its '" + key + "' is "
                    + describe(value) + ", expected a list with one entry per node (keys: " + top.keySet() + ")");
        }
        return (List<Object>) value;
    }

    /** @return a parsed value's kind, for errors, without printing what may be megabytes */
    static String describe(Object value) {
        if (value == null) {
            return "nil (missing)";
        }
        if (value instanceof Map<?, ?> m) {
            return "a map with keys " + m.keySet();
        }
        if (value instanceof List<?> l) {
            return "a list of " + l.size();
        }
        if (value instanceof String s) {
            return "the text '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (value instanceof MsgpackTree.Bin b) {
            return b.length() + " bytes";
        }
        return value.getClass().getSimpleName().toLowerCase().replace("long", "integer").replace("double", "float")
                + " " + value;
    }
}
