package dev.thinj.model.optimizers;

import dev.thinj.model.Model;
import dev.thinj.model.ParamKey;
import dev.thinj.model.schedules.LastScore;
import dev.thinj.model.serialize.AtomicFiles;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Saves and restores what an optimizer from {@link Adam}, {@link SGD} or {@link RAdam} has learnt —
 * its step, last score, per-parameter update counts, moments and averages — so that training resumed
 * from a checkpoint continues exactly where it stopped. Parameter keys hold process-specific node
 * ids, so the file names each parameter by its node's position in {@link Model#walk()} instead; load
 * it with the same architecture.
 *
 * <p>Hyperparameter schedules are functions of the step and come back with it; a schedule built on a
 * one-shot iterator cannot be rewound and is the one exception.
 *
 * <p>Format (big-endian): "THINJOPT", int32 version 1, int64 step, byte has-score (+ int64 step,
 * float64 score), int32 entries, per entry: int32 node index, UTF name, int32 update count, three
 * optional arrays (mom1, mom2, average) as byte present + int32 rank + dims + float32 LE data; int64
 * CRC-32 of the rest. Written atomically.
 */
public final class OptimizerState {
    private static final byte[] MAGIC = "THINJOPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private OptimizerState() {
    }

    private static ThincOptimizer thinc(Optimizer optimizer) {
        if (optimizer instanceof ThincOptimizer t) {
            return t;
        }
        throw new ModelFileException("Cannot checkpoint an optimizer of type " + optimizer.getClass().getName()
                + ": only the optimizers built by Adam, SGD and RAdam keep state this class knows");
    }

    /**
     * @param optimizer an optimizer built by {@link Adam}, {@link SGD} or {@link RAdam}
     * @param model the model it updates
     * @param path the file to write atomically
     */
    public static void save(Optimizer optimizer, Model<?, ?> model, Path path) {
        ThincOptimizer opt = thinc(optimizer);
        Map<Long, Integer> index = new HashMap<>();
        List<Model<?, ?>> nodes = model.walk();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).id(), i);
        }
        // Walk order, not map order: the file is then the same bytes for the same state in any process.
        Set<ParamKey> keys = new LinkedHashSet<>();
        for (Model<?, ?> node : nodes) {
            for (String p : node.paramNames()) {
                ParamKey k = new ParamKey(node.id(), p);
                if (opt.updateCounts().containsKey(k)) {
                    keys.add(k);
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(opt.step());
            LastScore score = opt.lastScore();
            out.writeBoolean(score != null);
            if (score != null) {
                out.writeLong(score.step());
                out.writeDouble(score.score());
            }
            out.writeInt(keys.size());
            for (ParamKey k : keys) {
                out.writeInt(index.get(k.nodeId()));
                out.writeUTF(k.name());
                out.writeInt(opt.updateCounts().get(k));
                writeArray(out, opt.firstMoments().get(k));
                writeArray(out, opt.secondMoments().get(k));
                writeArray(out, opt.averagesMutable().get(k));
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            AtomicFiles.write(path, bytes.toByteArray());
        } catch (IOException e) {
            throw new ModelFileException("Cannot write optimizer state " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the optimizer's state with the file's.
     *
     * @param optimizer an optimizer built by {@link Adam}, {@link SGD} or {@link RAdam}
     * @param model the model it updates, of the architecture the state was saved with
     * @param path the file
     */
    public static void load(Optimizer optimizer, Model<?, ?> model, Path path) {
        ThincOptimizer opt = thinc(optimizer);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelFileException("Optimizer state " + path + " does not exist");
        } catch (IOException e) {
            throw new ModelFileException("Cannot read optimizer state " + path + ": " + e.getMessage(), e);
        }
        String source = path.toString();
        if (bytes.length < MAGIC.length + 12 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ModelFileException(source + " is not a thinj optimizer state file (no THINJOPT header)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong()) {
            throw new ModelFileException(source + " is corrupt or truncated (checksum mismatch)");
        }
        List<Model<?, ?>> nodes = model.walk();
        Ops ops = model.ops();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length,
                bytes.length - MAGIC.length - 8))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new ModelFileException(source + " is optimizer state format v" + version + "; this build reads v"
                        + VERSION);
            }
            long step = in.readLong();
            LastScore score = in.readBoolean() ? new LastScore(in.readLong(), in.readDouble()) : null;
            int entries = in.readInt();
            opt.updateCounts().clear();
            opt.firstMoments().clear();
            opt.secondMoments().clear();
            opt.averagesMutable().clear();
            for (int e = 0; e < entries; e++) {
                int node = in.readInt();
                String name = in.readUTF();
                if (node < 0 || node >= nodes.size() || !nodes.get(node).paramNames().contains(name)) {
                    throw new ModelFileException(source + ": state for parameter '" + name + "' of node " + node
                            + " has no match in the model: it was saved with a different architecture");
                }
                ParamKey key = new ParamKey(nodes.get(node).id(), name);
                opt.updateCounts().put(key, in.readInt());
                putIfPresent(opt.firstMoments(), key, readArray(in, ops));
                putIfPresent(opt.secondMoments(), key, readArray(in, ops));
                putIfPresent(opt.averagesMutable(), key, readArray(in, ops));
            }
            opt.restoreStep(step, score);
        } catch (EOFException e) {
            throw new ModelFileException(source + " ends early: it is truncated", e);
        } catch (IOException e) {
            throw new ModelFileException("Cannot read optimizer state " + source + ": " + e.getMessage(), e);
        }
    }

    private static void putIfPresent(Map<ParamKey, FloatArray> map, ParamKey key, FloatArray value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static void writeArray(DataOutputStream out, FloatArray a) throws IOException {
        out.writeBoolean(a != null);
        if (a == null) {
            return;
        }
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

    private static FloatArray readArray(DataInputStream in, Ops ops) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int rank = in.readInt();
        if (rank < 1 || rank > Shapes.MAX_RANK) {
            throw new IOException("invalid array rank " + rank);
        }
        int[] shape = new int[rank];
        for (int r = 0; r < rank; r++) {
            shape[r] = in.readInt();
        }
        byte[] raw = new byte[Shapes.checkedSize("load", shape) * 4];
        in.readFully(raw);
        float[] values = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return ops.asArray(values, shape);
    }
}
