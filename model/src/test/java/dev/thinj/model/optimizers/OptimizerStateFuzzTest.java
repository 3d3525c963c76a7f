package dev.thinj.model.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.Model;
import dev.thinj.model.Mutations;
import dev.thinj.model.ParamKey;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.Result;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.model.losses.CategoricalCrossentropy;
import dev.thinj.model.serialize.ModelFileException;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ThinjException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OptimizerState#load} on hostile bytes, as {@code ModelFileFuzzTest} does for model files:
 * random mutations the checksum must catch, the same with the checksum recomputed, and every
 * structural field overwritten with lying counts, lengths and shapes. The only outcomes allowed are a
 * load after which the optimizer still updates the model, or a {@link ModelFileException} naming the
 * file that leaves the optimizer as it was. Each try's seed is in its failure message.
 */
// A hang guard only: a separate thread, so that even a loop that ignores interrupts fails the test.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OptimizerStateFuzzTest {
    private static final int TRIES = 1000;
    private static final String SOURCE = "fuzz/optimizer.bin";
    private static final Ops OPS = Ops.get("cpu");
    private static final FloatArray X = OPS.asArray(new float[] {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f,
        0.9f, 1.0f}, 2, 5);
    private static final int[] Y = {0, 2};

    @TempDir
    Path dir;
    private final Model<FloatArray, FloatArray> model = model();
    private byte[] original;
    private ThincOptimizer target;
    private String snapshot;
    private final Map<ParamKey, float[]> params = new HashMap<>();

    private static Model<FloatArray, FloatArray> model() {
        RandomSeeds.fix(3);
        return Chain.of(Relu.of(4, 0.2f), Softmax.of(3, null)).initialize(X, null);
    }

    private static ThincOptimizer optimizer() {
        return (ThincOptimizer) Adam.builder().learnRate(0.01).build();
    }

    private static void train(Model<FloatArray, FloatArray> model, Optimizer opt) {
        Result<FloatArray, FloatArray> r = model.beginUpdate(X);
        r.backprop().apply(new CategoricalCrossentropy().apply(r.output(), Y).grad());
        model.finishUpdate(opt);
        opt.stepSchedules();
    }

    @BeforeEach
    void saveAState() throws IOException {
        ThincOptimizer trained = optimizer();
        train(model, trained);
        train(model, trained);
        trained.setLastScore(2, 0.75);
        Path file = dir.resolve("saved.bin");
        OptimizerState.save(trained, model, file);
        original = Files.readAllBytes(file);
        for (Model<?, ?> node : model.walk()) {
            for (String p : node.paramNames()) {
                params.put(new ParamKey(node.id(), p), node.getParam(p).toFloatArray());
            }
        }
        resetTarget();
    }

    private void resetTarget() {
        target = optimizer();
        OptimizerState.fromBytes(target, model, original, "original");
        snapshot = snapshot(target);
    }

    private static String snapshot(ThincOptimizer opt) {
        StringBuilder sb = new StringBuilder().append(opt.step()).append(' ').append(opt.lastScore()).append('\n');
        sb.append(new TreeMap<>(keyed(opt.updateCounts()))).append('\n');
        for (Map<ParamKey, FloatArray> m : List.of(opt.firstMoments(), opt.secondMoments(), opt.averagesMutable())) {
            TreeMap<String, String> arrays = new TreeMap<>();
            m.forEach((k, a) -> arrays.put(k.toString(),
                    Arrays.toString(a.shape()) + Arrays.toString(a.toFloatArray())));
            sb.append(arrays).append('\n');
        }
        return sb.toString();
    }

    private static <V> Map<String, V> keyed(Map<ParamKey, V> m) {
        Map<String, V> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }

    /** @return whether the bytes loaded; checks the outcome either way */
    private boolean tryLoad(byte[] bytes, String what) {
        try {
            OptimizerState.fromBytes(target, model, bytes, SOURCE);
        } catch (ModelFileException e) {
            assertThat(e.getMessage()).as(what).isNotBlank().contains(SOURCE);
            assertThat(snapshot(target)).as(what + ": a failed load must leave the optimizer as it was")
                    .isEqualTo(snapshot);
            return false;
        } catch (Throwable e) {
            throw new AssertionError(what + ": expected a ModelFileException, got " + e, e);
        }
        // Loaded: every moment has its parameter's shape, and the optimizer can take a step.
        for (Map<ParamKey, FloatArray> m : List.of(target.firstMoments(), target.secondMoments(),
                target.averagesMutable())) {
            m.forEach((k, a) -> assertThat(a.shape()).as(what + ": " + k).isEqualTo(paramShape(k)));
        }
        try {
            train(model, target);
        } catch (IllegalArgumentException | ThinjException e) {
            // A value the checksum vouches for but the optimizer refuses (a schedule at a huge step): said clearly.
            assertThat(e.getMessage()).as(what).isNotBlank();
        } catch (Throwable e) {
            throw new AssertionError(what + ": the loaded state crashes an update: " + e, e);
        } finally {
            // The next try starts from the trained weights again.
            params.forEach((k, v) -> nodeOf(k).setParam(k.name(), OPS.asArray(v, paramShape(k))));
        }
        resetTarget();
        return true;
    }

    private int[] paramShape(ParamKey key) {
        return nodeOf(key).getParam(key.name()).shape();
    }

    private Model<?, ?> nodeOf(ParamKey key) {
        for (Model<?, ?> node : model.walk()) {
            if (node.id() == key.nodeId()) {
                return node;
            }
        }
        throw new AssertionError("no node " + key);
    }

    @Test
    void theOriginalLoads() {
        assertThat(tryLoad(original, "the original")).isTrue();
    }

    @Test
    void randomMutationsNeverLoad() {
        for (int t = 0; t < TRIES / 2; t++) {
            long seed = 1000 + t;
            byte[] bytes = Mutations.mutate(original, new Random(seed));
            boolean loaded = tryLoad(bytes, "seed " + seed);
            assertThat(loaded && !Arrays.equals(bytes, original)).as("seed %d: a mutated file loaded", seed).isFalse();
        }
    }

    @Test
    void everyTruncationIsRefused() {
        for (int n = 0; n < original.length; n++) {
            assertThat(tryLoad(Arrays.copyOf(original, n), "cut to " + n)).as("cut to %d", n).isFalse();
            if (n >= 20) {
                byte[] resealed = Mutations.resealCrc(Arrays.copyOf(original, n));
                assertThat(tryLoad(resealed, "cut to " + n + ", resealed")).as("cut to %d, resealed", n).isFalse();
            }
        }
    }

    @Test
    void resealedRandomMutationsLoadConsistentlyOrAreRefused() {
        for (int t = 0; t < TRIES / 2; t++) {
            long seed = 5000 + t;
            byte[] bytes = Mutations.mutate(original, new Random(seed));
            tryLoad(bytes.length >= 8 ? Mutations.resealCrc(bytes) : bytes, "seed " + seed + " (resealed)");
        }
    }

    @Test
    void lyingFieldsWithAValidChecksumAreRefusedBeforeAllocating() {
        List<Field> fields = fields(original);
        int refused = 0;
        for (int t = 0; t < TRIES; t++) {
            long seed = 9000 + t;
            Random r = new Random(seed);
            Field f = fields.get(r.nextInt(fields.size()));
            long value = f.width() == 8 && r.nextBoolean() ? Long.MIN_VALUE + r.nextInt(2) : Mutations.hostileInt(r);
            byte[] bytes = Mutations.resealCrc(Mutations.overwrite(original, f.offset(), f.width(), value));
            if (!tryLoad(bytes, "seed " + seed + ": " + f + " = " + value)) {
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(TRIES / 2);
    }

    // ---- the named cases ---------------------------------------------------------------------------

    private Field first(String name) {
        return fields(original).stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    private void assertRefused(byte[] bytes, String message) {
        assertRefused(model, bytes, message);
    }

    private void assertRefused(Model<?, ?> into, byte[] bytes, String message) {
        Path file;
        try {
            file = Files.write(dir.resolve("optimizer.bin"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThatThrownBy(() -> OptimizerState.load(target, into, file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(message);
        assertThat(snapshot(target)).isEqualTo(snapshot);
    }

    private byte[] with(String field, int skip, long value) {
        Field f = fields(original).stream().filter(x -> x.name().equals(field)).skip(skip).findFirst().orElseThrow();
        return Mutations.resealCrc(Mutations.overwrite(original, f.offset(), f.width(), value));
    }

    @Test
    void aMomentOfTwoBillionElementsIsRefusedWithoutAllocatingIt() {
        Field rank = first("rank");
        byte[] bytes = Mutations.overwrite(original, rank.offset(), 4, 1);
        bytes = Mutations.overwrite(bytes, rank.offset() + 4, 4, Integer.MAX_VALUE - 9);
        assertRefused(Mutations.resealCrc(bytes), "has shape (2147483638,) but the parameter has");
        // A model without parameters yet has no shape to compare with: the bytes left decide.
        byte[] resealed = Mutations.resealCrc(bytes);
        long allocated = Mutations.allocatedBytes(() -> assertRefused(Chain.of(Relu.of(4, 0.2f), Softmax.of(3, null)),
                resealed, "needs 8589934552 bytes, but only"));
        assertThat(allocated).isLessThan(16L << 20);
    }

    @Test
    void momentDimensionsWhoseProductOverflowsIntAreRefused() {
        Field rank = first("rank");
        byte[] bytes = Mutations.overwrite(original, rank.offset(), 4, 2);
        bytes = Mutations.overwrite(bytes, rank.offset() + 4, 4, 65_536);
        bytes = Mutations.overwrite(bytes, rank.offset() + 8, 4, 65_536);
        assertRefused(Mutations.resealCrc(bytes), "more than 2^31 elements");
    }

    @Test
    void oversizedAndNegativeCountsAreRefused() {
        assertRefused(with("entry count", 0, Integer.MAX_VALUE), "entry count is 2147483647, but only");
        assertRefused(with("entry count", 0, -1), "entry count is negative");
        assertRefused(with("update count", 0, -5), "the update count is negative (-5)");
        assertRefused(with("step", 0, Long.MIN_VALUE), "the step is negative");
        assertRefused(with("score step", 0, -1), "the last score's step is negative");
        assertRefused(with("name length", 0, 0xffff), "65535 bytes of text");
    }

    @Test
    void aMomentOfAnotherShapeThanItsParameterIsRefused() {
        assertRefused(with("dim 0", 0, 2), "but the parameter has");
    }

    @Test
    void stateForTheSameParameterTwiceIsRefused() {
        // The first entry's node index and name copied over the second's makes a duplicate key.
        List<Field> nodeFields = fields(original).stream().filter(f -> f.name().equals("node index")).toList();
        ByteBuffer b = ByteBuffer.wrap(original);
        int firstNode = b.getInt(nodeFields.get(0).offset());
        int secondNode = b.getInt(nodeFields.get(1).offset());
        assertThat(secondNode).isEqualTo(firstNode);  // W and b of the same node, names of equal length
        byte[] bytes = original.clone();
        int at = nodeFields.get(0).offset() + 4;
        int length = b.getShort(at) & 0xffff;
        int second = nodeFields.get(1).offset() + 4;
        assertThat(b.getShort(second) & 0xffff).isEqualTo(length);
        System.arraycopy(original, at, bytes, second, 2 + length);
        assertRefused(Mutations.resealCrc(bytes), "appears twice");
    }

    @Test
    void bytesAfterTheLastEntryAreRefused() {
        byte[] longer = Mutations.splice(original, original.length - 8, original.length - 8, new byte[] {1});
        assertRefused(Mutations.resealCrc(longer), "1 unexpected bytes after the last entry");
    }

    @Test
    void aBadFlagByteIsRefused() {
        assertRefused(with("present", 0, 7), "is the byte 7, expected 0 or 1");
    }

    // ---- the file's structure ----------------------------------------------------------------------

    /** A structural field of an optimizer state file. */
    record Field(int offset, int width, String name) {
    }

    /** Walks a valid optimizer state file and lists its counts, lengths, flags, ranks and dims. */
    static List<Field> fields(byte[] b) {
        List<Field> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(b, 0, b.length - 8);
        buf.position(8);
        out.add(new Field(buf.position(), 4, "version"));
        buf.getInt();
        out.add(new Field(buf.position(), 8, "step"));
        buf.getLong();
        out.add(new Field(buf.position(), 1, "has score"));
        if (buf.get() == 1) {
            out.add(new Field(buf.position(), 8, "score step"));
            buf.getLong();
            buf.getDouble();
        }
        out.add(new Field(buf.position(), 4, "entry count"));
        int entries = buf.getInt();
        for (int e = 0; e < entries; e++) {
            out.add(new Field(buf.position(), 4, "node index"));
            buf.getInt();
            out.add(new Field(buf.position(), 2, "name length"));
            buf.position(buf.position() + 2 + (buf.getShort() & 0xffff));
            out.add(new Field(buf.position(), 4, "update count"));
            buf.getInt();
            for (int k = 0; k < 3; k++) {
                out.add(new Field(buf.position(), 1, "present"));
                if (buf.get() == 0) {
                    continue;
                }
                out.add(new Field(buf.position(), 4, "rank"));
                int rank = buf.getInt();
                long size = 1;
                for (int r = 0; r < rank; r++) {
                    out.add(new Field(buf.position(), 4, "dim " + r));
                    size *= buf.getInt();
                }
                buf.position(buf.position() + (int) size * 4);
            }
        }
        return out;
    }
}
