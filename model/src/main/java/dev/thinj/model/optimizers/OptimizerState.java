package dev.thinj.model.optimizers;

import dev.thinj.model.Model;
import dev.thinj.model.ParamKey;
import dev.thinj.model.schedules.LastScore;
import dev.thinj.model.serialize.AtomicFiles;
import dev.thinj.model.serialize.ChecksummedOutput;
import dev.thinj.model.serialize.CheckedInput;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.ops.ArrayScope;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.Shapes;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * CRC-32 of the rest. Written atomically. Loading checks every count and length against the bytes
 * left before allocating, and every array against its parameter's shape, and changes the optimizer
 * only once the whole file has been read; every failure is a {@link ModelFileException} naming the file.
 */
public final class OptimizerState {
    private static final byte[] MAGIC = "THINJOPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    /** The optional arrays of an entry, in file order. */
    private static final List<String> ARRAY_NAMES = List.of("first moment", "second moment", "average");

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
     * @throws ModelFileException naming the file if it cannot be written, or if the optimizer is not one
     *     this class knows
     */
    public static void save(Optimizer optimizer, Model<?, ?> model, Path path) {
        ThincOptimizer opt = thinc(optimizer);  // refused before any file is touched
        try {
            AtomicFiles.write(path, out -> writeTo(opt, model, out));
        } catch (IOException e) {
            throw new ModelFileException("Cannot write optimizer state " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param optimizer an optimizer built by {@link Adam}, {@link SGD} or {@link RAdam}
     * @param model the model it updates
     * @return the bytes {@link #save} writes (a copy of the state: the optimizer may go on updating)
     * @throws ModelFileException if the optimizer is not one this class knows
     */
    public static byte[] toBytes(Optimizer optimizer, Model<?, ?> model) {
        ThincOptimizer opt = thinc(optimizer);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(opt, model, bytes);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);  // a ByteArrayOutputStream cannot
        }
        return bytes.toByteArray();
    }

    /**
     * Writes what {@link #toBytes} returns to {@code out}, streamed (a checkpoint never holds its ~10 MB
     * in memory).
     *
     * @param optimizer an optimizer built by {@link Adam}, {@link SGD} or {@link RAdam}
     * @param model the model it updates
     * @param out the stream (flushed, not closed)
     * @throws IOException if {@code out} fails
     * @throws ModelFileException if the optimizer is not one this class knows (before anything is written)
     */
    public static void writeTo(Optimizer optimizer, Model<?, ?> model, OutputStream out) throws IOException {
        writeTo(thinc(optimizer), model, out);
    }

    /**
     * The optimizer's file as it is now, to be written later from any thread (its arrays are copied to
     * the host now): what a checkpoint takes between the steps and writes during the evaluation.
     *
     * @param optimizer an optimizer built by {@link Adam}, {@link SGD} or {@link RAdam}
     * @param model the model it updates
     * @return what writes the bytes {@link #writeTo} would have written now
     * @throws ModelFileException if the optimizer is not one this class knows
     */
    public static AtomicFiles.Content snapshot(Optimizer optimizer, Model<?, ?> model) {
        ThincOptimizer opt = thinc(optimizer);
        return ChecksummedOutput.snapshot(data -> writeBody(opt, model, data));
    }

    private static void writeTo(ThincOptimizer opt, Model<?, ?> model, OutputStream out) throws IOException {
        ChecksummedOutput.write(out, data -> writeBody(opt, model, data));
    }

    private static void writeBody(ThincOptimizer opt, Model<?, ?> model, DataOutputStream data) throws IOException {
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
        data.write(MAGIC);
        data.writeInt(VERSION);
        data.writeLong(opt.step());
        LastScore score = opt.lastScore();
        data.writeBoolean(score != null);
        if (score != null) {
            data.writeLong(score.step());
            data.writeDouble(score.score());
        }
        data.writeInt(keys.size());
        for (ParamKey k : keys) {
            data.writeInt(index.get(k.nodeId()));
            data.writeUTF(k.name());
            data.writeInt(opt.updateCounts().get(k));
            writeArray(data, opt.firstMoments().get(k));
            writeArray(data, opt.secondMoments().get(k));
            writeArray(data, opt.averagesMutable().get(k));
        }
    }

    /**
     * Replaces the optimizer's state with the file's. The whole file is read and checked against the
     * model first; the optimizer changes only once nothing is wrong, so a failed load leaves it as it was.
     *
     * @param optimizer an optimizer built by {@link Adam}, {@link SGD} or {@link RAdam}
     * @param model the model it updates, of the architecture the state was saved with
     * @param path the file
     * @throws ModelFileException naming the file and what was wrong: missing, not an optimizer state,
     *     another format version, a checksum mismatch, a count or length the bytes cannot hold, a
     *     negative step or count, or state that does not match the model's parameters
     */
    public static void load(Optimizer optimizer, Model<?, ?> model, Path path) {
        ThincOptimizer opt = thinc(optimizer);
        byte[] bytes = CheckedInput.readFile(path, "optimizer state");
        fromBytes(opt, model, bytes, path.toString());
    }

    /**
     * Replaces the optimizer's state with bytes from {@link #toBytes}, checked in full first as
     * {@link #load} says.
     *
     * @param optimizer an optimizer built by {@link Adam}, {@link SGD} or {@link RAdam}
     * @param model the model it updates, of the architecture the state was taken from
     * @param bytes the state
     * @param source where the bytes came from, for errors
     * @throws ModelFileException as {@link #load}
     */
    public static void fromBytes(Optimizer optimizer, Model<?, ?> model, byte[] bytes, String source) {
        fromBytes(thinc(optimizer), model, bytes, source);
    }

    /**
     * The optimizer's state arrays (first moments, second moments, averages) as one flat vector, in the
     * order {@link #toBytes} writes them: the parameters in {@link Model#walk()} order, each one's present
     * arrays in that order. Two optimizers that updated the same parameters lay out the same vector, so
     * data-parallel workers' states can be summed element by element (local SGD's averaging).
     *
     * @param optimizer an optimizer built by {@link Adam}, {@link SGD} or {@link RAdam}
     * @param model the model it updates
     * @return the arrays' values
     */
    public static float[] stateArrays(Optimizer optimizer, Model<?, ?> model) {
        List<FloatArray> arrays = arraysInOrder(thinc(optimizer), model);
        long total = 0;
        for (FloatArray a : arrays) {
            total += a.size();
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new ModelFileException("the optimizer's state holds " + total + " values, more than one vector can");
        }
        float[] out = new float[(int) total];
        int at = 0;
        for (FloatArray a : arrays) {
            System.arraycopy(a.toFloatArray(), 0, out, at, a.size());
            at += a.size();
        }
        return out;
    }

    /**
     * Overwrites the optimizer's state arrays with a vector laid out as {@link #stateArrays} lays it out
     * for this optimizer (its present arrays keep their places; nothing is added or removed).
     *
     * @param optimizer an optimizer built by {@link Adam}, {@link SGD} or {@link RAdam}
     * @param model the model it updates
     * @param values the new values
     * @throws IllegalArgumentException if the vector's length is not the state's
     */
    public static void setStateArrays(Optimizer optimizer, Model<?, ?> model, float[] values) {
        List<FloatArray> arrays = arraysInOrder(thinc(optimizer), model);
        long total = 0;
        for (FloatArray a : arrays) {
            total += a.size();
        }
        if (total != values.length) {
            throw new IllegalArgumentException("a state vector of " + values.length + " values for an optimizer whose"
                    + " state arrays hold " + total + ": the states are of different parameters");
        }
        int at = 0;
        for (FloatArray a : arrays) {
            a.ops().copyFromHost(a, values, at);
            at += a.size();
        }
    }

    /** @return the state's arrays in file order: keys in walk order, then first moment, second moment, average */
    private static List<FloatArray> arraysInOrder(ThincOptimizer opt, Model<?, ?> model) {
        List<FloatArray> out = new java.util.ArrayList<>();
        List<Map<ParamKey, FloatArray>> slots = List.of(opt.firstMoments(), opt.secondMoments(), opt.averagesMutable());
        for (Model<?, ?> node : model.walk()) {
            for (String p : node.paramNames()) {
                ParamKey k = new ParamKey(node.id(), p);
                if (opt.updateCounts().containsKey(k)) {
                    for (Map<ParamKey, FloatArray> slot : slots) {
                        FloatArray a = slot.get(k);
                        if (a != null) {
                            out.add(a);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Reads the format into the optimizer, checked first in full as {@link #load} says.
     *
     * @param opt the optimizer
     * @param model the model it updates
     * @param bytes the file's bytes
     * @param source the file's name, for errors
     */
    static void fromBytes(ThincOptimizer opt, Model<?, ?> model, byte[] bytes, String source) {
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ModelFileException(source + " is not a thinj optimizer state file (no THINJOPT header)");
        }
        if (bytes.length < MAGIC.length + 12) {
            throw new ModelFileException(source + " is truncated: " + bytes.length
                    + " bytes cannot hold an optimizer state's header and checksum");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong()) {
            throw new ModelFileException(source + " is corrupt or truncated (checksum mismatch)");
        }
        List<Model<?, ?>> nodes = model.walk();
        CheckedInput in = new CheckedInput(bytes, MAGIC.length, bytes.length - 8, source);
        int version = in.readInt("format version");
        if (version != VERSION) {
            throw new ModelFileException(source + " is optimizer state format v" + version + "; this build reads v"
                    + VERSION);
        }
        long step = in.readLong("step");
        if (step < 0) {
            throw in.error("the step is negative (" + step + ")");
        }
        LastScore score = null;
        if (in.readBoolean("has-score flag")) {
            long scoreStep = in.readLong("score step");
            if (scoreStep < 0) {
                throw in.error("the last score's step is negative (" + scoreStep + ")");
            }
            score = new LastScore(scoreStep, in.readDouble("score"));
        }
        // An entry takes at least a node index, a name length, a count and three absent-array flags.
        int entries = in.readCount("entry count", 4 + 2 + 4 + 3);
        Map<ParamKey, Integer> counts = new LinkedHashMap<>();
        List<Map<ParamKey, float[]>> arrays = List.of(new LinkedHashMap<>(), new LinkedHashMap<>(),
                new LinkedHashMap<>());
        Map<ParamKey, int[]> shapes = new HashMap<>();
        for (int e = 0; e < entries; e++) {
            int node = in.readInt("node index of entry " + e);
            String name = in.readUtf("parameter name of entry " + e);
            if (node < 0 || node >= nodes.size() || !nodes.get(node).paramNames().contains(name)) {
                throw new ModelFileException(source + ": state for parameter '" + name + "' of node " + node
                        + " has no match in the model: it was saved with a different architecture");
            }
            Model<?, ?> owner = nodes.get(node);
            String what = "state for parameter '" + name + "' of node " + node + " ('" + owner.name() + "')";
            ParamKey key = new ParamKey(owner.id(), name);
            if (counts.containsKey(key)) {
                throw in.error(what + " appears twice");
            }
            int updates = in.readInt(what + ": update count");
            if (updates < 0) {
                throw in.error(what + ": the update count is negative (" + updates + ")");
            }
            counts.put(key, updates);
            for (int k = 0; k < ARRAY_NAMES.size(); k++) {
                String array = what + ": " + ARRAY_NAMES.get(k);
                if (!in.readBoolean(array + " present flag")) {
                    continue;
                }
                int[] shape = in.readShape(array);
                // The update kernels take the moments as the parameter's shape; another shape is corrupt.
                if (owner.hasParam(name) && !Shapes.same(owner.getParam(name).shape(), shape)) {
                    throw new ModelFileException(source + ": " + array + " has shape " + Shapes.format(shape)
                            + " but the parameter has " + Shapes.format(owner.getParam(name).shape()));
                }
                arrays.get(k).put(key, in.readFloatsLittleEndian(Shapes.size(shape), array));
                shapes.put(key, shape);
            }
        }
        in.expectEnd("the last entry");
        Ops ops = model.ops();
        opt.updateCounts().clear();
        opt.updateCounts().putAll(counts);
        List<Map<ParamKey, FloatArray>> targets = List.of(opt.firstMoments(), opt.secondMoments(),
                opt.averagesMutable());
        for (int k = 0; k < targets.size(); k++) {
            targets.get(k).clear();
            for (Map.Entry<ParamKey, float[]> a : arrays.get(k).entrySet()) {
                targets.get(k).put(a.getKey(), ArrayScope.detach(ops.asArray(a.getValue(), shapes.get(a.getKey()))));
            }
        }
        opt.restoreStep(step, score);
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
        ChecksummedOutput.writeFloats(out, a.toFloatArray());
    }
}
