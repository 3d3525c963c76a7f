package dev.thinj.model.serialize;

import dev.thinj.model.Model;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Shapes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
     */
    public static void save(Model<?, ?> model, Path path) {
        try {
            AtomicFiles.write(path, toBytes(model));
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
     */
    public static <M extends Model<?, ?>> M load(M model, Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelFileException("Model file " + path + " does not exist");
        } catch (IOException e) {
            throw new ModelFileException("Cannot read model file " + path + ": " + e.getMessage(), e);
        }
        fromBytes(model, bytes, path.toString());
        return model;
    }

    /**
     * @param model the model
     * @return its state in the file format
     */
    public static byte[] toBytes(Model<?, ?> model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            List<Model<?, ?>> nodes = model.walk();
            out.writeInt(nodes.size());
            for (Model<?, ?> node : nodes) {
                writeNode(out, node);
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
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
                float[] values = a.toFloatArray();
                ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(values);
                out.write(buf.array());
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
     * Reads the format into a model of the same architecture.
     *
     * @param model the model to fill
     * @param bytes the file's bytes
     * @param source the file's name, for errors
     */
    public static void fromBytes(Model<?, ?> model, byte[] bytes, String source) {
        if (bytes.length < MAGIC.length + 4 + 8 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ModelFileException(source + " is not a thinj model file (no THINJMDL header)");
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
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length + 4,
                bytes.length - MAGIC.length - 4 - 8));
        try {
            List<Model<?, ?>> nodes = model.walk();
            int count = in.readInt();
            if (count != nodes.size()) {
                throw new ModelMismatchException(source + " holds " + count + " nodes, the model has " + nodes.size()
                        + ": it was saved from a different architecture");
            }
            for (int i = 0; i < count; i++) {
                readNode(in, nodes.get(i), i, source);
            }
        } catch (EOFException e) {
            throw new ModelFileException(source + " ends early: it is truncated", e);
        } catch (IOException e) {
            throw new ModelFileException("Cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static void readNode(DataInputStream in, Model<?, ?> node, int index, String source) throws IOException {
        String name = in.readUTF();
        String where = source + ", node " + index + " ('" + node.name() + "')";
        if (!name.equals(node.name())) {
            throw new ModelMismatchException(where + ": the file has a node named '" + name + "' here");
        }
        int dims = in.readInt();
        for (int d = 0; d < dims; d++) {
            String dim = in.readUTF();
            int value = in.readInt();
            if (value >= 0 && node.dimNames().contains(dim)) {
                if (node.hasDim(dim) && node.getDim(dim) != value) {
                    throw new ModelMismatchException(where + ": dim '" + dim + "' is " + value + " in the file and "
                            + node.getDim(dim) + " in the model");
                }
                node.setDim(dim, value);
            }
        }
        int params = in.readInt();
        for (int p = 0; p < params; p++) {
            String param = in.readUTF();
            if (!node.paramNames().contains(param)) {
                throw new ModelMismatchException(where + ": the file has a parameter '" + param + "' the model lacks (it has "
                        + node.paramNames() + ")");
            }
            if (!in.readBoolean()) {
                continue;
            }
            int rank = in.readInt();
            if (rank < 1 || rank > Shapes.MAX_RANK) {
                throw new ModelFileException(where + ": parameter '" + param + "' has an invalid rank " + rank);
            }
            int[] shape = new int[rank];
            for (int r = 0; r < rank; r++) {
                shape[r] = in.readInt();
            }
            if (node.hasParam(param) && !Shapes.same(node.getParam(param).shape(), shape)) {
                throw new ModelMismatchException(where + ": parameter '" + param + "' has shape " + Shapes.format(shape)
                        + " in the file and " + Shapes.format(node.getParam(param).shape()) + " in the model");
            }
            byte[] raw = new byte[Shapes.checkedSize("load", shape) * 4];
            in.readFully(raw);
            float[] values = new float[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            node.setParam(param, node.ops().asArray(values, shape));
        }
        int attrs = in.readInt();
        for (int a = 0; a < attrs; a++) {
            String attr = in.readUTF();
            byte type = in.readByte();
            Object value;
            switch (type) {
                case 'L' -> value = in.readLong();
                case 'I' -> value = in.readInt();
                case 'F' -> value = in.readFloat();
                case 'D' -> value = in.readDouble();
                case 'Z' -> value = in.readBoolean();
                case 'S' -> value = in.readUTF();
                default -> throw new ModelFileException(where + ": attribute '" + attr + "' has an unknown type tag " + type);
            }
            node.setAttr(attr, value);
        }
    }
}
