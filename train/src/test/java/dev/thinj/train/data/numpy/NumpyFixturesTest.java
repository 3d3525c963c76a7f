package dev.thinj.train.data.numpy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinj.train.data.DataException;
import dev.thinj.train.data.LoadedDataset;
import dev.thinj.train.data.Task;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files written by real {@code numpy.save}, {@code numpy.savez} and {@code numpy.savez_compressed}
 * (make_numpy_fixtures.py beside them), read and compared with the values and shapes the script
 * recorded in expected.json.
 */
class NumpyFixturesTest {
    private static final String DIR = "/dev/thinj/train/data/numpy/";

    static Path fixture(String name) {
        try {
            return Path.of(NumpyFixturesTest.class.getResource(DIR + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing fixture " + name + "; run make_numpy_fixtures.py", e);
        }
    }

    static JsonNode expected() throws IOException {
        try (InputStream in = NumpyFixturesTest.class.getResourceAsStream(DIR + "expected.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<String> npyFixtures() throws IOException {
        Stream.Builder<String> names = Stream.builder();
        for (Iterator<String> it = expected().fieldNames(); it.hasNext();) {
            String name = it.next();
            if (name.endsWith(".npy")) {
                names.add(name);
            }
        }
        return names.build();
    }

    static void matches(NpyArray a, JsonNode e, String what) {
        long[] shape = new long[e.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = e.get("shape").get(i).asLong();
        }
        assertThat(a.header().shape()).as(what + " shape").containsExactly(shape);
        assertThat(a.header().dtype().name()).as(what + " dtype").isEqualTo(e.get("dtype").asText());
        float[] values = new float[e.get("values").size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) e.get("values").get(i).asDouble();
        }
        assertThat(a.values()).as(what + " values, C order").containsExactly(values);
    }

    @ParameterizedTest
    @MethodSource("npyFixtures")
    void everyNpyFixtureReadsAsNumpyWroteIt(String name) throws IOException {
        NpyArray a = NpyReader.read(fixture(name));
        matches(a, expected().get(name), name);
        assertThat(a.source()).isEqualTo(fixture(name).toString());
    }

    @Test
    void theFixturesCoverEveryFormatFeature() throws IOException {
        // Guards against a regenerated fixture set that silently lost a case.
        JsonNode e = expected();
        assertThat(NpyReader.read(fixture("f64_big_endian.npy")).header().dtype().order())
                .isEqualTo(java.nio.ByteOrder.BIG_ENDIAN);
        assertThat(NpyReader.read(fixture("fortran_3d.npy")).header().fortranOrder()).isTrue();
        assertThat(NpyReader.read(fixture("fortran_2d.npy")).header().fortranOrder()).isTrue();
        assertThat(NpyReader.read(fixture("f32_v2.npy")).header().dataOffset()).isEqualTo(12 + 0x74);
        assertThat(e.get("u8_3d.npy").get("shape").size()).isEqualTo(3);
        assertThat(e.get("fortran_3d.npy").get("values").get(1).asDouble()).isEqualTo(1.0);
    }

    @Test
    void fortranOrderIsTransposedToCOrder() {
        // np.asfortranarray(np.arange(24).reshape(2, 3, 4)): C-order values are 0..23 whatever the layout.
        float[] v = NpyReader.read(fixture("fortran_3d.npy")).values();
        for (int i = 0; i < 24; i++) {
            assertThat(v[i]).isEqualTo(i);
        }
        NpyArray f2 = NpyReader.read(fixture("fortran_2d.npy"));
        assertThat(f2.rows()).isEqualTo(2);
        assertThat(f2.width()).isEqualTo(3);
        assertThat(f2.values()).containsExactly(0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f);
    }

    @Test
    void savezAndSavezCompressedGiveTheSameDataset() throws IOException {
        JsonNode e = expected();
        for (String file : List.of("dataset.npz", "dataset_compressed.npz")) {
            try (NpzReader npz = NpzReader.open(fixture(file))) {
                assertThat(npz.keys()).containsExactly("test_X", "test_y", "train_X", "train_y");
                for (String key : npz.keys()) {
                    NpyArray a = npz.read(key);
                    matches(a, e.get("dataset.npz:" + key), file + "[" + key + "]");
                    assertThat(a.source()).isEqualTo(fixture(file) + "[" + key + "]");
                }
            }
            LoadedDataset d = NumpyDataset.loadNpz(fixture(file), List.of("train_X", "train_y", "test_X", "test_y"), null);
            assertThat(d.task()).as("int64 labels: classification").isEqualTo(Task.CLASSIFY);
            // Train labels go to 2, test labels to 3: the classes span both.
            assertThat(d.classNames()).containsExactly("0", "1", "2", "3");
            assertThat(d.train().labels()).containsExactly(0, 1, 2, 1, 0);
            assertThat(d.test().labels()).containsExactly(2, 3);
            assertThat(d.train().width()).isEqualTo(3);
            assertThat(d.test().features()[0]).isEqualTo(3f);
            assertThat(d.describe()).contains("train_X", "(5, 3) float32", "4 classes");
        }
    }

    @Test
    void floatTargetsMeanRegressionWithConfigurableKeys() {
        LoadedDataset d = NumpyDataset.loadNpz(fixture("regress.npz"), List.of("X", "y", "Xt", "yt"), null);
        assertThat(d.task()).isEqualTo(Task.REGRESS);
        assertThat(d.classNames()).isEmpty();
        assertThat(d.train().targets()).containsExactly(0f, 0.5f, 1f, 1.5f, 2f);
        assertThat(d.test().targets()).containsExactly(0.25f, -1.5f);
        assertThat(d.train().targetWidth()).isEqualTo(1);
        // Forcing classification refuses the fractions, naming the array.
        assertThatThrownBy(() -> NumpyDataset.loadNpz(fixture("regress.npz"), List.of("X", "y", "Xt", "yt"),
                Task.CLASSIFY)).isInstanceOf(DataException.class)
                .hasMessageContaining(fixture("regress.npz") + "[y]: label 0.5 at row 1 is not a class index")
                .hasMessageContaining("task = \"regress\"");
        // Forcing regression on integer labels is allowed.
        LoadedDataset r = NumpyDataset.loadNpz(fixture("dataset.npz"), List.of("train_X", "train_y", "test_X", "test_y"),
                Task.REGRESS);
        assertThat(r.train().targets()).containsExactly(0f, 1f, 2f, 1f, 0f);
    }

    @Test
    void npyFilesMakeADatasetWithColumnLabelsOrWideTargets() {
        // f32.npy is (3, 4) float32; i32_column_labels.npy is [[1], [0], [1]].
        LoadedDataset d = NumpyDataset.loadNpy(fixture("f32.npy"), fixture("i32_column_labels.npy"), fixture("f32.npy"),
                fixture("i32_column_labels.npy"), null);
        assertThat(d.task()).isEqualTo(Task.CLASSIFY);
        assertThat(d.classNames()).containsExactly("0", "1");
        assertThat(d.train().labels()).containsExactly(1, 0, 1);
        assertThat(d.train().features()).hasSize(12).startsWith(-1f, -0.75f);
        // u8_3d.npy is (2, 3, 4) uint8, flattened to 12 values per row, not scaled; bools.npy (2, 2).
        LoadedDataset r = NumpyDataset.loadNpy(fixture("u8_3d.npy"), fixture("bools.npy"), fixture("u8_3d.npy"),
                fixture("bools.npy"), Task.REGRESS);
        assertThat(r.train().width()).isEqualTo(12);
        assertThat(r.train().features()[1]).isEqualTo(11f);
        assertThat(r.train().targetWidth()).isEqualTo(2);
        assertThat(r.train().targets()).containsExactly(1f, 0f, 0f, 1f);
    }

    @Test
    void aMissingKeyListsTheKeysPresent() {
        assertThatThrownBy(() -> NumpyDataset.loadNpz(fixture("dataset.npz"), List.of("X", "train_y", "test_X", "test_y"),
                null)).isInstanceOf(DataException.class)
                .hasMessage(fixture("dataset.npz") + ": no array \"X\" (the archive holds: test_X, test_y, train_X, train_y)");
    }

    @Test
    void unsupportedArraysAreNamedWithWhatIsSupported() {
        assertThatThrownBy(() -> NpyReader.read(fixture("object.npy"))).isInstanceOf(DataException.class)
                .hasMessageStartingWith(fixture("object.npy") + ": an object array (dtype '|O')");
        assertThatThrownBy(() -> NpyReader.read(fixture("unicode.npy"))).isInstanceOf(DataException.class)
                .hasMessage(fixture("unicode.npy") + ": unsupported dtype '<U2' (supported: " + NpyDtype.SUPPORTED + ")");
        assertThatThrownBy(() -> NpyReader.read(fixture("complex.npy"))).isInstanceOf(DataException.class)
                .hasMessageContaining("unsupported dtype '<c8'");
        assertThatThrownBy(() -> NpyReader.read(fixture("dataset.npz"))).isInstanceOf(DataException.class)
                .hasMessage(fixture("dataset.npz") + ": not a .npy file (it does not start with \\x93NUMPY)");
        assertThatThrownBy(() -> NpzReader.open(fixture("f32.npy"))).isInstanceOf(DataException.class)
                .hasMessageStartingWith(fixture("f32.npy") + ": not a .npz (zip) archive");
    }

    @Test
    void mismatchedArraysNameBoth() {
        Map<String, Path> f = Map.of("f32", fixture("f32.npy"), "u8", fixture("u8_3d.npy"), "labels5",
                fixture("i64_labels.npy"), "labels3", fixture("i32_column_labels.npy"));
        // f32 is (3, 4); i64_labels has 5 rows.
        assertThatThrownBy(() -> NumpyDataset.loadNpy(f.get("f32"), f.get("labels5"), f.get("f32"), f.get("labels3"), null))
                .isInstanceOf(DataException.class)
                .hasMessage("row count mismatch: " + f.get("f32") + " (3, 4) float32 has 3 rows, " + f.get("labels5")
                        + " (5,) int64 has 5");
        // u8_3d is (2, 3, 4): 12 values per row; f32 has 4.
        assertThatThrownBy(() -> NumpyDataset.loadNpy(f.get("f32"), f.get("labels3"), f.get("u8"),
                fixture("bools.npy"), null)).isInstanceOf(DataException.class)
                .hasMessageContaining("feature width mismatch: " + f.get("f32") + " (3, 4) float32 has 4 values per row, "
                        + f.get("u8") + " (2, 3, 4) uint8 has 12");
        // (n, 2) labels are not class indices.
        assertThatThrownBy(() -> NumpyDataset.loadNpy(fixture("small_ints.npy"), fixture("bools.npy"),
                fixture("small_ints.npy"), fixture("bools.npy"), null)).isInstanceOf(DataException.class)
                .hasMessageContaining(fixture("bools.npy") + ": class labels must be a vector (n,) or a column (n, 1)");
        // Negative labels are not class indices.
        assertThatThrownBy(() -> NumpyDataset.loadNpy(fixture("i16_big_endian.npy"), fixture("i16_big_endian.npy"),
                fixture("i16_big_endian.npy"), fixture("i16_big_endian.npy"), Task.CLASSIFY))
                .hasMessageContaining("label -300 at row 0 is not a class index");
    }
}
