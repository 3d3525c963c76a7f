package dev.thinj.model.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.Model;
import dev.thinj.model.Mutations;
import dev.thinj.model.RandomSeeds;
import dev.thinj.model.layers.Chain;
import dev.thinj.model.layers.Relu;
import dev.thinj.model.layers.Softmax;
import dev.thinj.ops.FloatArray;
import dev.thinj.ops.Ops;
import dev.thinj.ops.ThinjException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelFile#load} on hostile bytes: random mutations (which the checksum must catch), the same
 * mutations with the checksum recomputed (so that the parsing behind it is reached), and every
 * structural field overwritten with counts and lengths that lie. The only outcomes allowed are a
 * load that leaves the model consistent, or a {@link ModelFileException} naming the file that leaves
 * the model unchanged. Each try's seed is in its failure message.
 */
// A hang guard only: a separate thread, so that even a loop that ignores interrupts fails the test.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModelFileFuzzTest {
    private static final int TRIES = 1000;
    /** The name the random tries give their bytes; the named tests read real files. */
    private static final String SOURCE = "fuzz/model.bin";
    private static final Ops OPS = Ops.get("cpu");
    private static final FloatArray INPUT = input();
    private static final Model<FloatArray, FloatArray> SAVED = mlp(1);
    private static final byte[] ORIGINAL = ModelFile.toBytes(SAVED);
    private static final String STRUCTURE = snapshot(SAVED, false);

    @TempDir
    Path dir;
    private final byte[] original = ORIGINAL;
    private Model<FloatArray, FloatArray> target;
    private String snapshot;
    private Model<FloatArray, FloatArray> fresh = unset();
    private String freshSnapshot = snapshot(fresh, true);

    private static Model<FloatArray, FloatArray> unset() {
        return Chain.of(Relu.of(4, 0.2f), Softmax.of(3, null));
    }

    private static Model<FloatArray, FloatArray> mlp(long seed) {
        RandomSeeds.fix(seed);
        return unset().initialize(INPUT, null);
    }

    private static FloatArray input() {
        float[] v = new float[2 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / 10f - 0.4f;
        }
        return OPS.asArray(v, 2, 5);
    }

    @BeforeEach
    void loadTheOriginal() {
        target = mlp(2);
        ModelFile.fromBytes(target, original, "original");
        snapshot = snapshot(target, true);
    }

    /** Everything load can change: dims, parameter shapes and (if asked) values, attribute types and values. */
    private static String snapshot(Model<?, ?> model, boolean values) {
        StringBuilder sb = new StringBuilder();
        for (Model<?, ?> node : model.walk()) {
            sb.append(node.name()).append(' ');
            for (String d : node.dimNames()) {
                // Structure only (values false): a dim the model left unset may come from the file.
                sb.append(d).append('=').append(values && node.hasDim(d) ? node.getDim(d) : "").append(' ');
            }
            for (String p : node.paramNames()) {
                FloatArray a = node.hasParam(p) ? node.getParam(p) : null;
                sb.append(p).append(a == null ? "=unset" : Arrays.toString(a.shape())
                        + (values ? Arrays.toString(a.toFloatArray()) : "")).append(' ');
            }
            TreeMap<String, Object> attrs = new TreeMap<>();
            for (String a : node.attrNames()) {
                Object v = node.attr(a);
                attrs.put(a, v == null ? null : v.getClass().getSimpleName() + (values ? ":" + v : ""));
            }
            sb.append(attrs).append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads the bytes into the initialized target and into a fresh, uninitialized model (which has no
     * shapes to check against, so the file's own lengths decide), and checks both outcomes.
     *
     * @return whether they loaded into the target
     */
    private boolean tryLoad(byte[] bytes, String what) {
        // A fresh model takes its dims and shapes from the file: there is nothing to compare them to.
        if (load(fresh, bytes, what + " (fresh model)", freshSnapshot)) {
            fresh = unset();
            freshSnapshot = snapshot(fresh, true);
        }
        if (!load(target, bytes, what, snapshot)) {
            return false;
        }
        // Loaded: the dims the model had, the same shapes and attribute types, and it still computes.
        assertThat(snapshot(target, false)).as(what).isEqualTo(STRUCTURE);
        List<Model<?, ?>> before = SAVED.walk();
        for (int i = 0; i < before.size(); i++) {
            for (String d : before.get(i).dimNames()) {
                if (before.get(i).hasDim(d)) {
                    assertThat(target.walk().get(i).getDim(d)).as(what + ": dim " + d)
                            .isEqualTo(before.get(i).getDim(d));
                }
            }
        }
        try {
            target.predict(INPUT);
        } catch (IllegalArgumentException | ThinjException e) {
            // A value the checksum vouches for but the layer refuses, such as a NaN temperature: the
            // layer says so clearly. Only a crash would be a reader's fault.
            assertThat(e.getMessage()).as(what).isNotBlank();
        } catch (Throwable e) {
            throw new AssertionError(what + ": the loaded model crashes: " + e, e);
        }
        // A new target: a dim the file set where the model had none cannot be unset by reloading.
        loadTheOriginal();
        return true;
    }

    /** @return whether the bytes loaded; if not, checks the exception and that the model is unchanged */
    private static boolean load(Model<?, ?> model, byte[] bytes, String what, String before) {
        try {
            ModelFile.fromBytes(model, bytes, SOURCE);
            return true;
        } catch (ModelFileException e) {
            assertThat(e.getMessage()).as(what).isNotBlank().contains(SOURCE);
            assertThat(snapshot(model, true)).as(what + ": a failed load must leave the model as it was")
                    .isEqualTo(before);
            return false;
        } catch (Throwable e) {
            throw new AssertionError(what + ": expected a ModelFileException, got " + e, e);
        }
    }

    private Path write(byte[] bytes) {
        try {
            return Files.write(dir.resolve("model.bin"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theOriginalLoadsFromItsFile() {
        Model<FloatArray, FloatArray> model = unset();
        ModelFile.load(model, write(original));
        assertThat(snapshot(model, true)).isEqualTo(snapshot);
        assertThat(tryLoad(original, "the original")).isTrue();
    }

    @Test
    void randomMutationsNeverLoad() {
        for (int t = 0; t < TRIES; t++) {
            long seed = 1000 + t;
            byte[] bytes = Mutations.mutate(original, new Random(seed));
            boolean loaded = tryLoad(bytes, "seed " + seed);
            assertThat(loaded && !Arrays.equals(bytes, original)).as("seed %d: a mutated file loaded", seed).isFalse();
        }
    }

    @Test
    void singleBitFlipsAnywhereNeverLoad() {
        Random r = new Random(7);
        for (int t = 0; t < TRIES; t++) {
            int bit = r.nextInt(original.length * 8);
            byte[] bytes = original.clone();
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(tryLoad(bytes, "bit " + bit)).as("bit %d flipped and the file loaded", bit).isFalse();
        }
    }

    @Test
    void everyTruncationIsRefused() {
        for (int n = 0; n < original.length; n++) {
            byte[] cut = Arrays.copyOf(original, n);
            assertThat(tryLoad(cut, "cut to " + n)).as("cut to %d bytes", n).isFalse();
            if (n >= 28) {
                // The checksum recomputed over what is left: the parser itself must see the end.
                byte[] resealed = Mutations.resealCrc(Arrays.copyOf(original, n));
                assertThat(tryLoad(resealed, "cut to " + n + ", resealed")).as("cut to %d, resealed", n).isFalse();
            }
        }
    }

    @Test
    void resealedRandomMutationsLoadConsistentlyOrAreRefused() {
        for (int t = 0; t < TRIES; t++) {
            long seed = 5000 + t;
            Random r = new Random(seed);
            byte[] bytes = Mutations.mutate(original, r);
            if (bytes.length >= 8) {
                bytes = Mutations.resealCrc(bytes);
            }
            tryLoad(bytes, "seed " + seed + " (resealed)");
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
            long value = f.width() == 8 ? (r.nextBoolean() ? Long.MIN_VALUE : Mutations.hostileInt(r))
                    : Mutations.hostileInt(r);
            byte[] bytes = Mutations.resealCrc(Mutations.overwrite(original, f.offset(), f.width(), value));
            if (!tryLoad(bytes, "seed " + seed + ": " + f + " = " + value)) {
                refused++;
            }
        }
        // Most structural fields cannot change without the file becoming inconsistent.
        assertThat(refused).isGreaterThan(TRIES / 2);
    }

    // ---- the named cases ---------------------------------------------------------------------------

    private Field first(String name) {
        return fields(original).stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    private Field firstRank(int rank) {
        return fields(original).stream().filter(f -> f.name().equals("rank")
                && ByteBuffer.wrap(original).getInt(f.offset()) == rank).findFirst().orElseThrow();
    }

    /** Loads into the initialized target, whose shapes the file is checked against. */
    private void assertRefused(byte[] bytes, String message) {
        assertRefused(target, bytes, message);
    }

    /** Loads into a fresh model, which has no shapes to check against: the file's lengths decide. */
    private void assertRefusedByAFreshModel(byte[] bytes, String message) {
        assertRefused(unset(), bytes, message);
    }

    private void assertRefused(Model<?, ?> model, byte[] bytes, String message) {
        String before = snapshot(model, true);
        Path file = write(bytes);
        assertThatThrownBy(() -> ModelFile.load(model, file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(message);
        assertThat(snapshot(model, true)).isEqualTo(before);
    }

    @Test
    void aParameterOfTwoBillionElementsIsRefusedWithoutAllocatingIt() {
        // (2^31 - 9) floats would be 8 GiB; the file holds a few hundred bytes.
        Field rank = first("rank");
        byte[] bytes = Mutations.overwrite(original, rank.offset(), 4, 1);
        bytes = Mutations.overwrite(bytes, rank.offset() + 4, 4, Integer.MAX_VALUE - 9);
        assertRefusedByAFreshModel(Mutations.resealCrc(bytes), "needs 8589934552 bytes, but only 408 remain");
        // 400 million floats do not overflow anything, but 1.6 GB must not be allocated to find them missing.
        byte[] large = Mutations.resealCrc(Mutations.overwrite(bytes, rank.offset() + 4, 4, 400_000_000));
        long allocated = Mutations.allocatedBytes(() -> assertRefusedByAFreshModel(large, "needs 1600000000 bytes"));
        assertThat(allocated).isLessThan(16L << 20);
    }

    @Test
    void aParameterWhoseDimensionsMultiplyPastIntIsRefused() {
        // 65536 x 65536 wraps to 0 in int arithmetic; the reader must not think it empty.
        Field rank = firstRank(2);
        byte[] bytes = Mutations.overwrite(original, rank.offset() + 4, 4, 65_536);
        bytes = Mutations.overwrite(bytes, rank.offset() + 8, 4, 65_536);
        assertRefusedByAFreshModel(Mutations.resealCrc(bytes), "more than 2^31 elements");
    }

    @Test
    void aNegativeDimensionIsRefused() {
        Field rank = first("rank");
        assertRefusedByAFreshModel(Mutations.resealCrc(Mutations.overwrite(original, rank.offset() + 4, 4, -4)),
                "negative dimension -4");
    }

    @Test
    void oversizedCountsAreRefused() {
        assertRefused(Mutations.resealCrc(Mutations.overwrite(original, first("dim count").offset(), 4,
                Integer.MAX_VALUE)), "dim count is 2147483647, but only");
        assertRefused(Mutations.resealCrc(Mutations.overwrite(original, first("param count").offset(), 4,
                Integer.MIN_VALUE)), "parameter count is negative");
        assertRefused(Mutations.resealCrc(Mutations.overwrite(original, first("attr count").offset(), 4,
                1 << 30)), "attribute count is 1073741824");
    }

    @Test
    void aStringLengthPastTheEndIsRefused() {
        assertRefused(Mutations.resealCrc(Mutations.overwrite(original, first("name length").offset(), 2, 0xffff)),
                "65535 bytes of text");
    }

    @Test
    void bytesAfterTheLastNodeAreRefused() {
        byte[] longer = Mutations.splice(original, original.length - 8, original.length - 8, new byte[] {0, 0, 0});
        assertRefused(Mutations.resealCrc(longer), "3 unexpected bytes after the last node");
    }

    @Test
    void anAttributeOfAnotherTypeIsRefused() {
        // dropout_draws is a long the layer casts; the file cannot make it a double.
        Field tag = fields(original).stream().filter(f -> f.name().equals("attr tag 'L'")).findFirst().orElseThrow();
        assertRefused(Mutations.resealCrc(Mutations.overwrite(original, tag.offset(), 1, 'D')),
                "is a Double in the file and a Long in the model");
    }

    @Test
    void aDimOrAttributeTheModelLacksIsRefused() {
        assertRefused(Mutations.resealCrc(rename(original, "dropout_draws", "dropout_drawz")),
                "the file has an attribute 'dropout_drawz' the model lacks");
        assertRefused(Mutations.resealCrc(rename(original, "nI", "nX")), "the file has a dim 'nX' the model lacks");
    }

    /** @return the bytes with the first occurrence of a name replaced by another of the same length */
    private static byte[] rename(byte[] b, String from, String to) {
        byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + needle.length <= b.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(b, i, i + needle.length), needle)) {
                return Mutations.splice(b, i, i + needle.length, to.getBytes(StandardCharsets.US_ASCII));
            }
        }
        throw new IllegalArgumentException(from + " not in the file");
    }

    @Test
    void aFileTooLargeForMemoryIsRefusedWithoutReadingIt() throws IOException {
        Path huge = dir.resolve("huge.bin");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30);  // sparse: 3 GiB that take no space
        }
        assertThatThrownBy(() -> ModelFile.load(target, huge)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(huge + " holds 3221225472 bytes, more than a model file can");
    }

    @Test
    void aFailedLoadPartWayThroughLeavesTheModelUnchanged() {
        // The last node is broken; the first nodes' parameters would already have been replaced.
        Model<FloatArray, FloatArray> other = mlp(3);
        byte[] bytes = ModelFile.toBytes(other);
        List<Field> fields = fields(bytes);
        Field lastRank = fields.stream().filter(f -> f.name().equals("rank")).reduce((a, b) -> b).orElseThrow();
        assertRefused(Mutations.resealCrc(Mutations.overwrite(bytes, lastRank.offset(), 4, 9)), "invalid rank 9");
    }

    // ---- the file's structure, to aim mutations at -------------------------------------------------

    /** A structural field of a model file: where it is, how wide, and what it is. */
    record Field(int offset, int width, String name) {
    }

    /** Walks a valid model file and lists its counts, lengths, flags, tags, ranks and dims. */
    static List<Field> fields(byte[] b) {
        List<Field> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(b, 0, b.length - 8);
        buf.position(ModelFile.MAGIC.length);
        out.add(new Field(buf.position(), 4, "version"));
        buf.getInt();
        out.add(new Field(buf.position(), 4, "node count"));
        int nodes = buf.getInt();
        for (int n = 0; n < nodes; n++) {
            utf(buf, out);
            out.add(new Field(buf.position(), 4, "dim count"));
            int dims = buf.getInt();
            for (int d = 0; d < dims; d++) {
                utf(buf, out);
                out.add(new Field(buf.position(), 4, "dim value"));
                buf.getInt();
            }
            out.add(new Field(buf.position(), 4, "param count"));
            int params = buf.getInt();
            for (int p = 0; p < params; p++) {
                utf(buf, out);
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
            out.add(new Field(buf.position(), 4, "attr count"));
            int attrs = buf.getInt();
            for (int a = 0; a < attrs; a++) {
                utf(buf, out);
                int tagAt = buf.position();
                char tag = (char) buf.get();
                out.add(new Field(tagAt, 1, "attr tag '" + tag + "'"));
                switch (tag) {
                    case 'L', 'D' -> buf.getLong();
                    case 'I', 'F' -> buf.getInt();
                    case 'Z' -> buf.get();
                    case 'S' -> utf(buf, out);
                    default -> throw new IllegalStateException("tag " + tag);
                }
            }
        }
        return out;
    }

    private static void utf(ByteBuffer buf, List<Field> out) {
        out.add(new Field(buf.position(), 2, "name length"));
        int length = buf.getShort() & 0xffff;
        buf.position(buf.position() + length);
    }
}
