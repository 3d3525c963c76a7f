package dev.thinj.model.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.Model;
import dev.thinj.model.ParamKey;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.Result;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.schedules.LastScore;
import dev.thinj.model.schedules.Schedules;
import dev.thinj.model.serialize.ModelFile;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint of model + optimizer resumes training bit for bit. */
class OptimizerStateTest {
    private final Ops ops = Ops.get("cpu");
    private final CategoricalCrossentropy loss = new CategoricalCrossentropy();
    @TempDir
    Path dir;

    private Model<FloatArray, FloatArray> model() {
        RandomSeeds.fix(11);
        return Chain.of(Relu.of(8, 0.3f), Softmax.of(4, null));
    }

    private Optimizer optimizer() {
        return Adam.builder().learnRate(Schedules.warmupLinear(0.01, 3, 20)).l2(1e-4).build();
    }

    private FloatArray batchX(int step) {
        Random r = new Random(step);
        float[] v = new float[6 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return ops.asArray(v, 6, 5);
    }

    private int[] batchY(int step) {
        Random r = new Random(1000 + step);
        int[] y = new int[6];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(4);
        }
        return y;
    }

    private void train(Model<FloatArray, FloatArray> model, Optimizer opt, int from, int to) {
        for (int step = from; step < to; step++) {
            Result<FloatArray, FloatArray> r = model.beginUpdate(batchX(step));
            r.backprop().apply(loss.apply(r.output(), batchY(step)).grad());
            model.finishUpdate(opt);
            opt.stepSchedules();
        }
    }

    private float[] allParams(Model<?, ?> model) {
        List<Float> out = new ArrayList<>();
        for (Model<?, ?> node : model.walk()) {
            for (String p : node.paramNames()) {
                for (float v : node.getParam(p).toFloatArray()) {
                    out.add(v);
                }
            }
        }
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    @Test
    void resumingFromACheckpointGivesTheSameWeightsAsAnUninterruptedRun() {
        Model<FloatArray, FloatArray> straight = model().initialize(batchX(0), null);
        Optimizer straightOpt = optimizer();
        train(straight, straightOpt, 0, 12);

        Model<FloatArray, FloatArray> first = model().initialize(batchX(0), null);
        Optimizer firstOpt = optimizer();
        train(first, firstOpt, 0, 5);
        ModelFile.save(first, dir.resolve("model.bin"));
        OptimizerState.save(firstOpt, first, dir.resolve("optimizer.bin"));

        Model<FloatArray, FloatArray> resumed = ModelFile.load(model(), dir.resolve("model.bin"));
        Optimizer resumedOpt = optimizer();
        OptimizerState.load(resumedOpt, resumed, dir.resolve("optimizer.bin"));
        assertThat(resumedOpt.learnRate()).isEqualTo(firstOpt.learnRate());
        train(resumed, resumedOpt, 5, 12);

        assertThat(allParams(resumed)).containsExactly(allParams(straight));
        Map<ParamKey, FloatArray> a = straightOpt.averages();
        Map<ParamKey, FloatArray> b = resumedOpt.averages();
        assertThat(b).hasSameSizeAs(a);
    }

    /** The keys and every array of the optimizer's state, in a form to compare. */
    private static Map<String, List<Float>> state(Optimizer optimizer, Model<?, ?> model) {
        ThincOptimizer opt = (ThincOptimizer) optimizer;
        Map<String, List<Float>> out = new TreeMap<>();
        List<Model<?, ?>> nodes = model.walk();
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            position.put(nodes.get(i).id(), i);
        }
        Function<ParamKey, String> name = k -> position.getOrDefault(k.nodeId(), -1) + "." + k.name();
        opt.updateCounts().forEach((k, v) -> out.put(name.apply(k) + " count", List.of((float) v)));
        opt.firstMoments().forEach((k, v) -> out.put(name.apply(k) + " mom1", floats(v)));
        opt.secondMoments().forEach((k, v) -> out.put(name.apply(k) + " mom2", floats(v)));
        opt.averages().forEach((k, v) -> out.put(name.apply(k) + " average", floats(v)));
        out.put("step", List.of((float) opt.step()));
        return out;
    }

    private static List<Float> floats(FloatArray a) {
        List<Float> out = new ArrayList<>();
        for (float v : a.toFloatArray()) {
            out.add(v);
        }
        return out;
    }

    @Test
    void loadingReplacesWhatTheOptimizerHeldWithNothingStaleLeft() {
        Model<FloatArray, FloatArray> m = model().initialize(batchX(0), null);
        Optimizer saved = optimizer();
        train(m, saved, 0, 3);
        OptimizerState.save(saved, m, dir.resolve("optimizer.bin"));

        // An optimizer that has trained other parameters, and these ones further.
        Optimizer busy = optimizer();
        RandomSeeds.fix(5);
        Model<FloatArray, FloatArray> other = Softmax.of(4, 5).initialize(batchX(0), null);
        train(other, busy, 0, 2);
        train(m, busy, 0, 7);
        assertThat(state(busy, m)).isNotEqualTo(state(saved, m));

        OptimizerState.load(busy, m, dir.resolve("optimizer.bin"));

        assertThat(state(busy, m)).isEqualTo(state(saved, m));
        assertThat(busy.averages().keySet()).isEqualTo(saved.averages().keySet());
        assertThat(((ThincOptimizer) busy).lastScore()).isEqualTo(((ThincOptimizer) saved).lastScore());
    }

    @Test
    void loadingTheStateOfAnUntrainedOptimizerLeavesItEmpty() {
        Model<FloatArray, FloatArray> m = model().initialize(batchX(0), null);
        Optimizer fresh = optimizer();
        OptimizerState.save(fresh, m, dir.resolve("fresh.bin"));
        Optimizer busy = optimizer();
        busy.setLastScore(2, 0.5);
        train(m, busy, 0, 4);

        OptimizerState.load(busy, m, dir.resolve("fresh.bin"));

        assertThat(state(busy, m)).isEqualTo(state(fresh, m)).containsOnlyKeys("step");
        assertThat(busy.averages()).isEmpty();
        assertThat(((ThincOptimizer) busy).lastScore()).isNull();
        assertThat(busy.learnRate()).isEqualTo(fresh.learnRate());
    }

    @Test
    void aSingleLayerModelResumesBitForBit() {
        RandomSeeds.fix(3);
        Model<FloatArray, FloatArray> straight = Softmax.of(4, 5).initialize(batchX(0), null);
        Optimizer straightOpt = optimizer();
        train(straight, straightOpt, 0, 6);

        RandomSeeds.fix(3);
        Model<FloatArray, FloatArray> first = Softmax.of(4, 5).initialize(batchX(0), null);
        Optimizer firstOpt = optimizer();
        firstOpt.setLastScore(2, 0.75);
        train(first, firstOpt, 0, 2);
        ModelFile.save(first, dir.resolve("model.bin"));
        OptimizerState.save(firstOpt, first, dir.resolve("optimizer.bin"));

        RandomSeeds.fix(99);
        Model<FloatArray, FloatArray> resumed = ModelFile.load(Softmax.of(4, 5), dir.resolve("model.bin"));
        Optimizer resumedOpt = optimizer();
        OptimizerState.load(resumedOpt, resumed, dir.resolve("optimizer.bin"));
        assertThat(state(resumedOpt, resumed)).isEqualTo(state(firstOpt, first));
        assertThat(((ThincOptimizer) resumedOpt).lastScore()).isEqualTo(new LastScore(2, 0.75));
        train(resumed, resumedOpt, 2, 6);

        assertThat(allParams(resumed)).containsExactly(allParams(straight));
    }

    /**
     * A state file written by hand in the documented format, with a valid checksum: one entry for
     * parameter {@code name} of node {@code node}, its first moment an array of the given rank.
     */
    private Path craft(int version, int node, String name, int... shape) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write("THINJOPT".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(version);
            out.writeLong(3);
            out.writeBoolean(false);
            out.writeInt(1);
            out.writeInt(node);
            out.writeUTF(name);
            out.writeInt(1);
            out.writeBoolean(true);
            out.writeInt(shape.length);
            int size = 1;
            for (int d : shape) {
                out.writeInt(d);
                size *= d;
            }
            out.write(new byte[4 * size]);
            out.writeBoolean(false);
            out.writeBoolean(false);
        }
        return withChecksum(bytes.toByteArray());
    }

    private Path withChecksum(byte[] body) throws Exception {
        CRC32 crc = new CRC32();
        crc.update(body);
        Path file = Files.createTempFile(dir, "crafted", ".bin");
        Files.write(file, ByteBuffer.allocate(body.length + 8).put(body).putLong(crc.getValue()).array());
        return file;
    }

    @Test
    void craftedFilesAreReadToTheLetterOfTheFormat() throws Exception {
        RandomSeeds.fix(1);
        Model<FloatArray, FloatArray> single = Softmax.of(4, 5).initialize();
        Optimizer opt = optimizer();
        OptimizerState.load(opt, single, craft(1, 0, "W", 4, 5));
        assertThat(((ThincOptimizer) opt).step()).isEqualTo(3);
        assertThat(((ThincOptimizer) opt).firstMoments()).hasSize(1);
        assertThatThrownBy(() -> OptimizerState.load(optimizer(), single, craft(1, 0, "W", 1, 1, 4, 5)))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("first moment has shape (1, 1, 4, 5) but the parameter has (4, 5)");

        assertThatThrownBy(() -> OptimizerState.load(optimizer(), single, craft(1, 1, "W", 4, 5)))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("of node 1 has no match");
        assertThatThrownBy(() -> OptimizerState.load(optimizer(), single, craft(1, -1, "W", 4, 5)))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("of node -1 has no match");
        assertThatThrownBy(() -> OptimizerState.load(optimizer(), single, craft(1, 0, "nope", 4, 5)))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("'nope'");
        assertThatThrownBy(() -> OptimizerState.load(optimizer(), single, craft(2, 0, "W", 4, 5)))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("format v2; this build reads v1");
        for (int rank : new int[] {0, 5}) {
            assertThatThrownBy(() -> OptimizerState.load(optimizer(), single, craft(1, 0, "W", new int[rank])))
                    .as("rank %d", rank).isInstanceOf(ModelFileException.class)
                    .hasMessageContaining("has an invalid rank " + rank);
        }
        // The shortest file with a header and a checksum: it passes both and then ends early.
        byte[] headerOnly = ByteBuffer.allocate(12).put("THINJOPT".getBytes(StandardCharsets.US_ASCII))
                .putInt(1).array();
        assertThatThrownBy(() -> OptimizerState.load(optimizer(), single, withChecksum(headerOnly)))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("step needs 8 bytes, but only 0 remain");
        Path tooShort = dir.resolve("short.bin");
        Files.write(tooShort, Arrays.copyOf(Files.readAllBytes(withChecksum(headerOnly)), 19));
        assertThatThrownBy(() -> OptimizerState.load(optimizer(), single, tooShort))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("is truncated");
    }

    @Test
    void aStateFileFromAnotherArchitectureOrCorruptedIsRefused() throws Exception {
        Model<FloatArray, FloatArray> m = model().initialize(batchX(0), null);
        Optimizer opt = optimizer();
        train(m, opt, 0, 2);
        Path file = dir.resolve("optimizer.bin");
        OptimizerState.save(opt, m, file);

        RandomSeeds.fix(1);
        Model<FloatArray, FloatArray> other = Softmax.of(4, 5).initialize();
        assertThatThrownBy(() -> OptimizerState.load(optimizer(), other, file))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("different architecture");

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> OptimizerState.load(optimizer(), m, file))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("corrupt");
    }

    /** The flat state vector data-parallel workers sum: laid out as the file, and written back in place. */
    @Test
    void stateArraysAreTheFilesArraysAndWriteBackInPlace() {
        Model<FloatArray, FloatArray> model = model();
        Optimizer opt = optimizer();
        model.initialize(batchX(0), null);
        assertThat(OptimizerState.stateArrays(opt, model)).isEmpty();
        train(model, opt, 0, 3);
        float[] params = allParams(model);
        float[] state = OptimizerState.stateArrays(opt, model);
        // Adam with averages: two moments and an average per parameter value.
        assertThat(state).hasSize(3 * params.length);
        float[] doubled = state.clone();
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] *= 2;
        }
        byte[] before = OptimizerState.toBytes(opt, model);
        OptimizerState.setStateArrays(opt, model, doubled);
        assertThat(OptimizerState.stateArrays(opt, model)).containsExactly(doubled);
        // Loading the bytes taken before puts the old arrays back: the vector is the file's arrays.
        OptimizerState.fromBytes(opt, model, before, "test");
        assertThat(OptimizerState.stateArrays(opt, model)).containsExactly(state);
        assertThatThrownBy(() -> OptimizerState.setStateArrays(opt, model, new float[state.length - 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(state.length));
    }

    /** save streams into the file; what lands there is toBytes to the byte (the format did not change). */
    @Test
    void theStreamedFileIsToBytes() throws Exception {
        Model<FloatArray, FloatArray> model = model();
        Optimizer opt = optimizer();
        model.initialize(batchX(0), null);
        train(model, opt, 0, 3);
        Path file = dir.resolve("streamed.bin");
        OptimizerState.save(opt, model, file);
        assertThat(Files.readAllBytes(file)).containsExactly(OptimizerState.toBytes(opt, model));
    }

    /** A snapshot keeps the state it was taken in: written after more training, it is the earlier bytes. */
    @Test
    void aSnapshotIsTheStateWhenItWasTaken() throws Exception {
        Model<FloatArray, FloatArray> model = model();
        Optimizer opt = optimizer();
        model.initialize(batchX(0), null);
        train(model, opt, 0, 3);
        byte[] then = OptimizerState.toBytes(opt, model);
        var snapshot = OptimizerState.snapshot(opt, model);
        train(model, opt, 3, 5);
        assertThat(OptimizerState.toBytes(opt, model)).as("training changed the state").isNotEqualTo(then);
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        snapshot.writeTo(written);
        assertThat(written.toByteArray()).isEqualTo(then);
    }
}
