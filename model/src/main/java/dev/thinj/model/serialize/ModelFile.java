package dev.thinj.model.serialize;

import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Shapes;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Saves and loads a model's state — dims, parameters and simple attributes of every node — as
 * Thinc's {@code to_disk}/{@code from_disk} do: the architecture comes from code or a config, the file
 * holds the numbers. Loading checks the file against the model node by node and says where they
 * differ.
 *
 * <h2>Format, version 1 (all integers big-endian)</h2>
 * <pre>
 *   8 bytes  magic "THINJMDL"
 *   int32    format version (1)
 *   int32    node count, then per node in {@link Model#walk()} order:
 *            UTF name; int32 dim count, per dim: UTF name, int32 value (-1 = unset);
 *            int32 param count, per param: UTF name, byte present, and if present:
 *                int32 rank, rank x int32 dims, size x float32 (little-endian, the raw array);
 *            int32 attr count, per attr: UTF name, byte type (L long, I int, F float, D double,
 *                Z boolean, S string), value
 *   int64    CRC-32 of every byte before it
 * </pre>
 * Attributes of other types (objects a layer keeps for itself) are not saved. Files are written to a
 * temporary file in the same folder and moved into place atomically, so a crash mid-write leaves the
 * previous file intact.
 *
 * <p>Loading trusts nothing in the file: every count and length is checked against the bytes left
 * before anything is allocated, a dim, parameter or attribute the model lacks (or an attribute of
 * another type) is an error, and the model changes only once the whole file has been read and found
 * consistent. Every failure is a {@link ModelFileException} naming the file.
 */
public final class ModelFile {
    /** The first bytes of every model file. */
    static final byte[] MAGIC = "THINJMDL".getBytes(StandardCharsets.US_ASCII);
    /** The format this build writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    private ModelFile() {
    }

    /**
     * Writes the model's state atomically.
     *
     * @param model the model (its parameters are read, not modified)
     * @param path the file to write; its folder must exist
     * @throws ModelFileException naming the file if it cannot be written
     */
    public static void save(Model<?, ?> model, Path path) {
        try {
            AtomicFiles.write(path, out -> writeTo(model, out));
        } catch (IOException e) {
            throw new ModelFileException("Cannot write model file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a file into a model of the same architecture: sets unset dims, replaces the parameters
     * (on the model's backend) and restores the saved attributes.
     *
     * @param model the model to fill
     * @param path the file
     * @param <M> the model's type
     * @return the model
     * @throws ModelFileException naming the file and what was wrong (see {@link #fromBytes}); the
     *     model is then unchanged
     */
    public static <M extends Model<?, ?>> M load(M model, Path path) {
        byte[] bytes = CheckedInput.readFile(path, "model file");
        fromBytes(model, bytes, path.toString());
        return model;
    }

    /**
     * @param model the model
     * @return its state in the file format
     */
    public static byte[] toBytes(Model<?, ?> model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(model, bytes);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param model the model
     * @param out where its state goes in the file format (what {@link #toBytes} returns)
     * @throws IOException if {@code out} fails
     */
    public static void writeTo(Model<?, ?> model, OutputStream out) throws IOException {
        ChecksummedOutput.write(out, data -> writeBody(model, data));
    }

    /**
     * The model's file as it is now, to be written later from any thread (the parameters are copied
     * to the host now): what a checkpoint takes between the steps and writes during the evaluation.
     *
     * @param model the model
     * @return what writes the bytes {@link #writeTo} would have written now
     */
    public static AtomicFiles.Content snapshot(Model<?, ?> model) {
        return ChecksummedOutput.snapshot(data -> writeBody(model, data));
    }

    private static void writeBody(Model<?, ?> model, DataOutputStream data) throws IOException {
        data.write(MAGIC);
        data.writeInt(FORMAT_VERSION);
        List<Model<?, ?>> nodes = model.walk();
        data.writeInt(nodes.size());
        for (Model<?, ?> node : nodes) {
            writeNode(data, node);
        }
    }

    private static void writeNode(DataOutputStream out, Model<?, ?> node) throws IOException {
        out.writeUTF(node.name());
        out.writeInt(node.dimNames().size());
        for (String d : node.dimNames()) {
            out.writeUTF(d);
            out.writeInt(node.hasDim(d) ? node.getDim(d) : -1);
        }
        out.writeInt(node.paramNames().size());
        for (String p : node.paramNames()) {
            out.writeUTF(p);
            boolean present = node.hasParam(p);
            out.writeBoolean(present);
            if (present) {
                FloatArray a = node.getParam(p);
                int[] shape = a.shape();
                out.writeInt(shape.length);
                for (int d : shape) {
                    out.writeInt(d);
                }
                ChecksummedOutput.writeFloats(out, a.toFloatArray());
            }
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (String a : node.attrNames()) {
            Object v = node.attr(a);
            if (v instanceof Long || v instanceof Integer || v instanceof Float || v instanceof Double
                    || v instanceof Boolean || v instanceof String) {
                attrs.put(a, v);
            }
        }
        out.writeInt(attrs.size());
        for (Map.Entry<String, Object> e : attrs.entrySet()) {
            out.writeUTF(e.getKey());
            Object v = e.getValue();
            if (v instanceof Long l) {
                out.writeByte('L');
                out.writeLong(l);
            } else if (v instanceof Integer i) {
                out.writeByte('I');
                out.writeInt(i);
            } else if (v instanceof Float f) {
                out.writeByte('F');
                out.writeFloat(f);
            } else if (v instanceof Double d) {
                out.writeByte('D');
                out.writeDouble(d);
            } else if (v instanceof Boolean b) {
                out.writeByte('Z');
                out.writeBoolean(b);
            } else {
                out.writeByte('S');
                out.writeUTF((String) v);
            }
        }
    }

    /**
     * Reads the format into a model of the same architecture. The whole file is read and checked
     * against the model first; the model changes only once nothing is wrong, so a failed load leaves it
     * as it was.
     *
     * @param model the model to fill
     * @param bytes the file's bytes
     * @param source the file's name, for errors
     * @throws ModelFileException naming the source and what was wrong: not a model file, a newer format,
     *     a checksum mismatch, a count or length the bytes cannot hold, or a node, dim, parameter or
     *     attribute that does not match the model
     */
    public static void fromBytes(Model<?, ?> model, byte[] bytes, String source) {
        checkFraming(bytes, source);
        CheckedInput in = new CheckedInput(bytes, MAGIC.length + 4, bytes.length - 8, source);
        List<Model<?, ?>> nodes = model.walk();
        int count = in.readInt("node count");
        if (count != nodes.size()) {
            throw new ModelMismatchException(source + " holds " + count + " nodes, the model has " + nodes.size()
                    + ": it was saved from a different architecture");
        }
        List<NodeState> states = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            states.add(readNode(in, nodes.get(i), i, source));
        }
        in.expectEnd("the last node");
        for (int i = 0; i < count; i++) {
            states.get(i).applyTo(nodes.get(i));
        }
    }

    /** Checks the magic, the version and the checksum, in that order, so each failure is told as itself. */
    private static void checkFraming(byte[] bytes, String source) {
        if (bytes.length == 0) {
            throw new ModelFileException(source + " is empty, not a thinj model file");
        }
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ModelFileException(source + " is not a thinj model file (no THINJMDL header)");
        }
        if (bytes.length < MAGIC.length + 4 + 4 + 8) {
            throw new ModelFileException(source + " is truncated: " + bytes.length
                    + " bytes cannot hold a model file's header and checksum");
        }
        int version = ByteBuffer.wrap(bytes, MAGIC.length, 4).getInt();
        if (version > FORMAT_VERSION) {
            throw new ModelFileException(source + " was written in model format v" + version
                    + " by a newer thinj; this build reads up to v" + FORMAT_VERSION);
        }
        if (version < 1) {
            throw new ModelFileException(source + ": invalid model format version " + version);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (crc.getValue() != stored) {
            throw new ModelFileException(source + " is corrupt or truncated (checksum mismatch over "
                    + (bytes.length - 8) + " bytes)");
        }
    }

    /** One parameter's values as the file holds them. */
    private record ParamData(int[] shape, float[] values) {
    }

    /** What the file holds for one node, checked against it but not yet applied. */
    private record NodeState(Map<String, Integer> dims, Map<String, ParamData> params, Map<String, Object> attrs) {
        void applyTo(Model<?, ?> node) {
            dims.forEach((dim, value) -> {
                if (!node.hasDim(dim)) {
                    node.setDim(dim, value);
                }
            });
            params.forEach((param, data) -> node.setParam(param, node.ops().asArray(data.values(), data.shape())));
            attrs.forEach(node::setAttr);
        }
    }

    private static NodeState readNode(CheckedInput in, Model<?, ?> node, int index, String source) {
        // "at" is for the reader's errors, which name the file and offset themselves.
        String at = "node " + index + " ('" + node.name() + "')";
        String where = source + ", " + at;
        String name = in.readUtf("the name of node " + index);
        if (!name.equals(node.name())) {
            throw new ModelMismatchException(where + ": the file has a node named '" + name + "' here");
        }
        // A dim takes at least a name length (2) and a value (4); a param a name length and a flag.
        int dims = in.readCount(at + ": dim count", 6);
        Map<String, Integer> dimValues = new LinkedHashMap<>();
        for (int d = 0; d < dims; d++) {
            String dim = in.readUtf(at + ": dim " + d + " name");
            int value = in.readInt(at + ": dim '" + dim + "'");
            if (value < -1) {
                throw in.error(at + ": dim '" + dim + "' is " + value + " (expected -1 for unset, or >= 0)");
            }
            if (!node.dimNames().contains(dim)) {
                throw new ModelMismatchException(where + ": the file has a dim '" + dim + "' the model lacks (it has "
                        + node.dimNames() + ")");
            }
            if (value < 0) {
                continue;
            }
            Integer known = node.hasDim(dim) ? Integer.valueOf(node.getDim(dim)) : dimValues.get(dim);
            if (known != null && known != value) {
                throw new ModelMismatchException(where + ": dim '" + dim + "' is " + value + " in the file and "
                        + known + (node.hasDim(dim) ? " in the model" : " earlier in the file"));
            }
            dimValues.put(dim, value);
        }
        int params = in.readCount(at + ": parameter count", 3);
        Map<String, ParamData> paramValues = new LinkedHashMap<>();
        for (int p = 0; p < params; p++) {
            String param = in.readUtf(at + ": parameter " + p + " name");
            if (!node.paramNames().contains(param)) {
                throw new ModelMismatchException(where + ": the file has a parameter '" + param
                        + "' the model lacks (it has " + node.paramNames() + ")");
            }
            if (paramValues.containsKey(param)) {
                throw in.error(at + ": parameter '" + param + "' appears twice");
            }
            if (!in.readBoolean(at + ": parameter '" + param + "' present flag")) {
                continue;
            }
            int[] shape = in.readShape(at + ": parameter '" + param + "'");
            if (node.hasParam(param) && !Shapes.same(node.getParam(param).shape(), shape)) {
                throw new ModelMismatchException(where + ": parameter '" + param + "' has shape " + Shapes.format(shape)
                        + " in the file and " + Shapes.format(node.getParam(param).shape()) + " in the model");
            }
            float[] values = in.readFloatsLittleEndian(Shapes.size(shape), at + ": parameter '" + param + "'");
            paramValues.put(param, new ParamData(shape, values));
        }
        int attrs = in.readCount(at + ": attribute count", 3);
        Map<String, Object> attrValues = new LinkedHashMap<>();
        for (int a = 0; a < attrs; a++) {
            String attr = in.readUtf(at + ": attribute " + a + " name");
            String what = at + ": attribute '" + attr + "'";
            byte type = in.readByte(what + " type tag");
            Object value = switch (type) {
                case 'L' -> in.readLong(what);
                case 'I' -> in.readInt(what);
                case 'F' -> in.readFloat(what);
                case 'D' -> in.readDouble(what);
                case 'Z' -> in.readBoolean(what);
                case 'S' -> in.readUtf(what);
                default -> throw in.error(what + " has an unknown type tag " + type);
            };
            if (!node.attrNames().contains(attr)) {
                throw new ModelMismatchException(where + ": the file has an attribute '" + attr
                        + "' the model lacks (it has " + node.attrNames() + ")");
            }
            Object current = node.attr(attr);
            if (current != null && current.getClass() != value.getClass()) {
                // The layer casts its attributes; a changed type would fail later, far from the file.
                throw new ModelFileException(source + ", " + what + " is a " + value.getClass().getSimpleName()
                        + " in the file and a " + current.getClass().getSimpleName() + " in the model");
            }
            attrValues.put(attr, value);
        }
        return new NodeState(dimValues, paramValues, attrValues);
    }
}
