package dev.thinj.train.data.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.model.config.Config;
import dev.thinj.train.data.DataException;
import dev.thinj.train.data.FeatureRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predict's CSV input: the training columns picked by name, the label skipped, rows in blocks. */
class CsvFeatureRowsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static Config config(String data) {
        return Config.parse("[data]\n" + data + "\n");
    }

    /** @return every row, read {@code block} rows at a time */
    private static float[] all(FeatureRows rows, int block) {
        float[] out = new float[0];
        float[] buffer = new float[block * rows.width()];
        int n;
        while ((n = rows.read(buffer, block)) > 0) {
            assertThat(n).isBetween(1, block);
            int at = out.length;
            out = Arrays.copyOf(out, at + n * rows.width());
            System.arraycopy(buffer, 0, out, at, n * rows.width());
        }
        assertThat(rows.read(buffer, block)).as("stays at the end").isZero();
        return out;
    }

    @Test
    void listedFeaturesArePickedByNameAndTheLabelIsIgnored() throws IOException {
        Config cfg = config("@datasets = \"csv.v1\"\ntrain = \"t.csv\"\nlabel = \"y\"\nfeatures = [\"b\", \"a\"]");
        Path withLabel = write("in.csv", "y,a,b,c\nfoo,1,2,3\nbar,4,5,6\n");
        try (FeatureRows rows = FeatureRows.open(withLabel, cfg)) {
            assertThat(rows.width()).isEqualTo(2);
            assertThat(rows.source()).isEqualTo(withLabel.toString());
            assertThat(all(rows, 1)).containsExactly(2f, 1f, 5f, 4f);
        }
        Path without = write("in2.csv", "b,a\n2,1\n");
        try (FeatureRows rows = FeatureRows.open(without, cfg, 2)) {
            assertThat(all(rows, 8)).containsExactly(2f, 1f);
        }
    }

    @Test
    void defaultFeaturesAreEveryColumnButANamedLabel() throws IOException {
        Config cfg = config("@datasets = \"csv.v1\"\ntrain = \"t.csv\"\nlabel = \"species\"");
        Path with = write("with.csv", "sepal,species,petal\n1,x,2\n3,,4\n");
        try (FeatureRows rows = FeatureRows.open(with, cfg)) {
            // An empty label is fine: predict never reads it.
            assertThat(all(rows, 2)).containsExactly(1f, 2f, 3f, 4f);
        }
        Path without = write("without.csv", "sepal,petal\n1,2\n");
        try (FeatureRows rows = FeatureRows.open(without, cfg)) {
            assertThat(all(rows, 2)).containsExactly(1f, 2f);
        }
    }

    @Test
    void aLabelByPositionIsTakenAsPresentUnlessTheModelWidthSaysOtherwise() throws IOException {
        Config cfg = config("@datasets = \"csv.v1\"\ntrain = \"t.csv\"");
        Path f = write("f.csv", "a,b,c\n1,2,3\n");
        try (FeatureRows rows = FeatureRows.open(f, cfg)) {
            assertThat(all(rows, 1)).containsExactly(1f, 2f);
        }
        try (FeatureRows rows = FeatureRows.open(f, cfg, 2)) {
            assertThat(all(rows, 1)).containsExactly(1f, 2f);
        }
        try (FeatureRows rows = FeatureRows.open(f, cfg, 3)) {
            assertThat(all(rows, 1)).containsExactly(1f, 2f, 3f);
        }
        assertThatThrownBy(() -> FeatureRows.open(f, cfg, 5)).isInstanceOf(DataException.class)
                .hasMessageContaining(f + ":1: 3 columns, but the model takes 5 features (6 columns with the label)");
        Config first = config("@datasets = \"csv.v1\"\ntrain = \"t.csv\"\nlabel = 0\nheader = false\ndelimiter = \";\"");
        Path g = write("g.txt", "9;1;2\n8;3;4\n");
        try (FeatureRows rows = FeatureRows.open(g, first)) {
            assertThat(all(rows, 3)).containsExactly(1f, 2f, 3f, 4f);
        }
        try (FeatureRows rows = FeatureRows.open(g, first, 3)) {
            assertThat(all(rows, 3)).containsExactly(9f, 1f, 2f, 8f, 3f, 4f);
        }
    }

    @Test
    void withoutCsvSettingsEveryColumnIsAFeatureAndTheHeaderIsDetected() throws IOException {
        Config fashion = config("@datasets = \"fashion_mnist.v1\"");
        Path headed = write("h.csv", "p0,p1,p2\n0.5,1,2\n3,4,5\n");
        try (FeatureRows rows = FeatureRows.open(headed, fashion)) {
            assertThat(all(rows, 10)).containsExactly(0.5f, 1f, 2f, 3f, 4f, 5f);
        }
        Path bare = write("b.tsv", "0.5\t1\n3\t4\n");
        try (FeatureRows rows = FeatureRows.open(bare, null)) {
            assertThat(rows.width()).isEqualTo(2);
            assertThat(all(rows, 1)).containsExactly(0.5f, 1f, 3f, 4f);
        }
        assertThatThrownBy(() -> FeatureRows.open(headed, fashion, 4)).isInstanceOf(DataException.class)
                .hasMessage(headed + ": 3 features per row, but the model takes 4");
    }

    @Test
    void badRowsWhileStreamingNameFileLineAndColumn() throws IOException {
        Config cfg = config("@datasets = \"csv.v1\"\ntrain = \"t.csv\"\nlabel = \"y\"");
        Path f = write("bad.csv", "a,b,y\n1,2,x\n3,four,x\n");
        try (FeatureRows rows = FeatureRows.open(f, cfg)) {
            float[] buffer = new float[20];
            assertThat(rows.read(buffer, 1)).isEqualTo(1);
            assertThatThrownBy(() -> rows.read(buffer, 1)).isInstanceOf(DataException.class)
                    .hasMessage(f + ":3: column \"b\": \"four\" is not a number");
        }
        Path ragged = write("ragged.csv", "a,b,y\n1,2\n");
        try (FeatureRows rows = FeatureRows.open(ragged, cfg)) {
            assertThatThrownBy(() -> rows.read(new float[2], 1)).hasMessageContaining(ragged + ":2: 2 fields");
        }
        Path missing = write("missing.csv", "a,y\n1,x\n");
        // With the default features, the model's width is what tells a column is missing ...
        assertThatThrownBy(() -> FeatureRows.open(missing, cfg, 2)).isInstanceOf(DataException.class)
                .hasMessage(missing + ": 1 feature per row, but the model takes 2");
        // ... with listed ones, their names.
        Config listed = config("@datasets = \"csv.v1\"\ntrain = \"t.csv\"\nfeatures = [\"a\", \"b\"]");
        assertThatThrownBy(() -> FeatureRows.open(missing, listed)).isInstanceOf(DataException.class)
                .hasMessageContaining(missing + ":1: no feature column \"b\"");
        assertThatThrownBy(() -> FeatureRows.open(write("empty.csv", ""), cfg)).hasMessageContaining("empty file");
    }

    @Test
    void theBufferMustHoldTheRowsAskedFor() throws IOException {
        Path f = write("f.csv", "a,b,c\n1,2,3\n");
        try (FeatureRows rows = CsvFeatureRows.open(f, Optional.of(CsvColumns.defaults()), 0)) {
            assertThatThrownBy(() -> rows.read(new float[3], 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot hold 2 rows of 2");
            assertThatThrownBy(() -> rows.read(new float[3], 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anyBlockSizeGivesTheSameRows() throws IOException {
        Random r = new Random(11);
        StringBuilder b = new StringBuilder("x0,x1,x2,label\n");
        float[] expected = new float[300 * 3];
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = r.nextInt(1000) / 8f;
                b.append(expected[i * 3 + j]).append(',');
            }
            b.append(r.nextBoolean() ? "yes" : "no").append('\n');
        }
        Path f = write("big.csv", b.toString());
        Config cfg = config("@datasets = \"csv.v1\"\ntrain = \"t.csv\"");
        for (int block : List.of(1, 7, 299, 300, 1000)) {
            try (FeatureRows rows = FeatureRows.open(f, cfg)) {
                assertThat(all(rows, block)).as("block " + block).containsExactly(expected);
            }
        }
    }

    @Test
    void csvSettingsComeFromTheRawConfigWithoutResolvingIt() {
        // train names a file that does not exist: resolving would fail, reading the settings must not.
        Config cfg = config("@datasets = \"csv.v1\"\ntrain = \"/nonexistent.csv\"\nlabel = 3\nfeatures = [\"a\", 2]\n"
                + "header = false\ndelimiter = \"\\t\"");
        assertThat(CsvColumns.fromConfig(cfg)).contains(new CsvColumns("3", List.of("a", "2"), false, '\t'));
        assertThat(CsvColumns.fromConfig(config("@datasets = \"npz.v1\"\npath = \"x\""))).isEmpty();
        assertThat(CsvColumns.fromConfig(Config.parse("[training]\nseed = 1\n"))).isEmpty();
        assertThatThrownBy(() -> CsvColumns.fromConfig(config("@datasets = \"csv.v1\"\nfeatures = \"a\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data.features");
    }
}
