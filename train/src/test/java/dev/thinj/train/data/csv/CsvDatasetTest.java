package dev.thinj.train.data.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thinj.train.data.DataException;
import dev.thinj.train.data.LoadedDataset;
import dev.thinj.train.data.Split;
import dev.thinj.train.data.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** csv.v1 on files written here: classes, splits, column choices, formats, and every bad file's message. */
class CsvDatasetTest {
    private static final String IRIS = """
            sepal,petal,species
            5.1,1.4,setosa
            7.0,4.7,versicolor
            6.3,6.0,virginica
            4.9,1.5,setosa
            6.4,4.5,versicolor
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static LoadedDataset load(Path train, Path test, CsvColumns columns, Task task) {
        return CsvDataset.load(train, test, 0.2, 0, columns, task);
    }

    private static LoadedDataset classify(Path train, Path test) {
        return load(train, test, CsvColumns.defaults(), Task.CLASSIFY);
    }

    @Test
    void stringLabelsBecomeSortedClassesNamedAsWritten() throws IOException {
        Path f = write("iris.csv", IRIS);
        LoadedDataset d = classify(f, f);
        assertThat(d.task()).isEqualTo(Task.CLASSIFY);
        assertThat(d.classNames()).containsExactly("setosa", "versicolor", "virginica");
        Split train = d.train();
        assertThat(train.count()).isEqualTo(5);
        assertThat(train.width()).isEqualTo(2);
        assertThat(train.features()).containsExactly(5.1f, 1.4f, 7.0f, 4.7f, 6.3f, 6.0f, 4.9f, 1.5f, 6.4f, 4.5f);
        assertThat(train.labels()).containsExactly(0, 1, 2, 0, 1);
        assertThat(d.test().labels()).containsExactly(0, 1, 2, 0, 1);
        assertThat(d.describe()).contains("5 rows of 2 features", "label \"species\"", "3 classes");
    }

    @Test
    void shuffledCopiesOfAFileGiveTheSameClassesForEachRow() throws IOException {
        List<String> rows = new ArrayList<>();
        Random r = new Random(3);
        String[] names = {"zebra", "Apple", "mango", "apple", "éclair", "10", "9"};
        for (int i = 0; i < 200; i++) {
            rows.add(i + "," + names[r.nextInt(names.length)]);
        }
        for (long seed = 0; seed < 5; seed++) {
            List<String> shuffled = new ArrayList<>(rows);
            Collections.shuffle(shuffled, new Random(seed));
            Path f = write("s" + seed + ".csv", "id,label\n" + String.join("\n", shuffled) + "\n");
            LoadedDataset d = classify(f, f);
            assertThat(d.classNames()).as("seed " + seed)
                    .containsExactly("10", "9", "Apple", "apple", "mango", "zebra", "éclair");
            for (int i = 0; i < shuffled.size(); i++) {
                String label = shuffled.get(i).split(",")[1];
                assertThat(d.classNames().get(d.train().labels()[i])).isEqualTo(label);
                assertThat(d.train().features()[i]).isEqualTo(Float.parseFloat(shuffled.get(i).split(",")[0]));
            }
        }
    }

    @Test
    void numericLabelsSortAsNumbers() throws IOException {
        Path f = write("n.csv", "x,y\n1,10\n2,9\n3,-1\n4,2.5\n5,10\n6,010\n");
        LoadedDataset d = classify(f, f);
        assertThat(d.classNames()).containsExactly("-1", "2.5", "9", "010", "10");
        assertThat(d.train().labels()).containsExactly(4, 2, 0, 1, 4, 3);
    }

    @Test
    void regressionParsesTheLabelAsOneFloat() throws IOException {
        Path f = write("r.csv", "a,b,y\n1,2,0.5\n3,4,-1e2\n");
        LoadedDataset d = load(f, f, CsvColumns.defaults(), Task.REGRESS);
        assertThat(d.task()).isEqualTo(Task.REGRESS);
        assertThat(d.classNames()).isEmpty();
        assertThat(d.train().targetWidth()).isEqualTo(1);
        assertThat(d.train().targets()).containsExactly(0.5f, -100f);
        assertThat(d.train().features()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(d.describe()).contains("regression");
    }

    @Test
    void aTestFileMayOrderItsColumnsDifferently() throws IOException {
        Path train = write("train.csv", IRIS);
        Path test = write("test.csv", "species,extra,petal,sepal\nvirginica,9,6.1,6.2\nsetosa,9,1.3,5.0\n");
        LoadedDataset d = classify(train, test);
        assertThat(d.test().features()).containsExactly(6.2f, 6.1f, 5.0f, 1.3f);
        assertThat(d.test().labels()).containsExactly(2, 0);
        assertThat(d.describe()).contains("test " + test + ": 2 rows");
    }

    @Test
    void aTestLabelNeverSeenInTrainingNamesFileLineAndLabel() throws IOException {
        Path train = write("train.csv", IRIS);
        Path test = write("test.csv", "sepal,petal,species\n1,2,setosa\n\n3,4,daisy\n");
        assertThatThrownBy(() -> classify(train, test)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(test + ":4: column \"species\": label \"daisy\" never occurs in " + train);
    }

    @Test
    void aTestFileLackingAFeatureColumnNamesBothFiles() throws IOException {
        Path train = write("train.csv", IRIS);
        Path test = write("test.csv", "sepal,species\n1,setosa\n");
        assertThatThrownBy(() -> classify(train, test)).isInstanceOf(DataException.class)
                .hasMessageContaining(test + ":1: lacks feature column \"petal\" of " + train);
        Path noLabel = write("test2.csv", "sepal,petal\n1,2\n");
        assertThatThrownBy(() -> classify(train, noLabel)).isInstanceOf(DataException.class)
                .hasMessageContaining(noLabel + ":1: lacks the label column \"species\" of " + train);
    }

    @Test
    void withoutATestFileASeededShareIsHeldOut() throws IOException {
        StringBuilder b = new StringBuilder("x,label\n");
        for (int i = 0; i < 100; i++) {
            b.append(i).append(',').append(i % 3 == 0 ? "a" : "b").append('\n');
        }
        Path f = write("all.csv", b.toString());
        LoadedDataset d = CsvDataset.load(f, null, 0.25, 42, CsvColumns.defaults(), Task.CLASSIFY);
        assertThat(d.train().count()).isEqualTo(75);
        assertThat(d.test().count()).isEqualTo(25);
        float[] all = new float[100];
        System.arraycopy(d.train().features(), 0, all, 0, 75);
        System.arraycopy(d.test().features(), 0, all, 75, 25);
        Arrays.sort(all);
        for (int i = 0; i < 100; i++) {
            assertThat(all[i]).as("every row in exactly one part").isEqualTo(i);
        }
        for (Split s : List.of(d.train(), d.test())) {
            for (int i = 0; i < s.count(); i++) {
                assertThat(s.labels()[i]).isEqualTo(((int) s.features()[i]) % 3 == 0 ? 0 : 1);
            }
        }
        LoadedDataset again = CsvDataset.load(f, null, 0.25, 42, CsvColumns.defaults(), Task.CLASSIFY);
        assertThat(again.test().features()).isEqualTo(d.test().features());
        LoadedDataset other = CsvDataset.load(f, null, 0.25, 43, CsvColumns.defaults(), Task.CLASSIFY);
        assertThat(other.test().features()).isNotEqualTo(d.test().features());
        assertThat(d.describe()).contains("25 of them held out", "seed 42");
    }

    @Test
    void devFractionOutOfRangeIsRefused() throws IOException {
        Path f = write("a.csv", IRIS);
        for (double bad : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> CsvDataset.load(f, null, bad, 0, CsvColumns.defaults(), Task.CLASSIFY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dev_fraction");
        }
        Path one = write("one.csv", "x,y\n1,a\n");
        assertThatThrownBy(() -> CsvDataset.load(one, null, 0.2, 0, CsvColumns.defaults(), Task.CLASSIFY))
                .isInstanceOf(DataException.class).hasMessageContaining(one + ": 1 row, too few");
    }

    @Test
    void labelAndFeaturesMayBeChosenByNameOrIndex() throws IOException {
        Path f = write("c.csv", "id,a,b,c\n0,1,2,3\n1,4,5,6\n");
        LoadedDataset byName = load(f, f, new CsvColumns("a", List.of("c", "id"), true, ','), Task.REGRESS);
        assertThat(byName.train().features()).containsExactly(3f, 0f, 6f, 1f);
        assertThat(byName.train().targets()).containsExactly(1f, 4f);
        LoadedDataset byIndex = load(f, f, new CsvColumns("0", null, true, ','), Task.CLASSIFY);
        assertThat(byIndex.train().features()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        assertThat(byIndex.classNames()).containsExactly("0", "1");
        LoadedDataset fromEnd = load(f, f, new CsvColumns("-2", null, true, ','), Task.REGRESS);
        assertThat(fromEnd.train().targets()).containsExactly(2f, 5f);
        assertThat(fromEnd.train().features()).containsExactly(0f, 1f, 3f, 1f, 4f, 6f);
    }

    @Test
    void withoutAHeaderColumnsAreNamedByIndex() throws IOException {
        Path f = write("h.csv", "1,2,x\n3,4,y\n");
        LoadedDataset d = load(f, f, new CsvColumns(null, null, false, ','), Task.CLASSIFY);
        assertThat(d.train().count()).isEqualTo(2);
        assertThat(d.train().features()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(d.classNames()).containsExactly("x", "y");
        LoadedDataset picked = load(f, f, new CsvColumns("2", List.of("1"), false, ','), Task.CLASSIFY);
        assertThat(picked.train().features()).containsExactly(2f, 4f);
        Path wider = write("w.csv", "1,2,x,9\n");
        assertThatThrownBy(() -> load(f, wider, new CsvColumns(null, null, false, ','), Task.CLASSIFY))
                .isInstanceOf(DataException.class).hasMessageContaining(wider + ":1: 4 columns, but " + f + " has 3");
    }

    @Test
    void tabsGzipQuotesBomAndWindowsLineEndsAreRead() throws IOException {
        Path tsv = write("t.tsv", "a\tb\tlabel\n1.5\t\"2\"\tone\n3\t4\t\"two, quoted\"\n");
        LoadedDataset d = load(tsv, tsv, new CsvColumns(null, null, true, CsvColumns.delimiter("\\t")), Task.CLASSIFY);
        assertThat(d.train().features()).containsExactly(1.5f, 2f, 3f, 4f);
        assertThat(d.classNames()).containsExactly("one", "two, quoted");

        Path gz = dir.resolve("iris.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(IRIS.getBytes(StandardCharsets.UTF_8));
        }
        Path plain = write("iris.csv", IRIS);
        assertThat(classify(gz, gz).train().features()).isEqualTo(classify(plain, plain).train().features());
        assertThat(classify(gz, gz).train().labels()).containsExactly(0, 1, 2, 0, 1);

        Path bom = write("bom.csv", "\uFEFFsepal, petal, species\r\n5.1, 1.4, setosa\r\n4.9, 1.5, other\r\n");
        LoadedDataset b = load(bom, bom, new CsvColumns("species", List.of("sepal"), true, ','), Task.CLASSIFY);
        assertThat(b.train().features()).containsExactly(5.1f, 4.9f);
        assertThat(b.classNames()).containsExactly("other", "setosa");
    }

    @Test
    void delimiterArgumentIsOneCharacterOrATab() {
        assertThat(CsvColumns.delimiter(",")).isEqualTo(',');
        assertThat(CsvColumns.delimiter("\t")).isEqualTo('\t');
        assertThat(CsvColumns.delimiter("\\t")).isEqualTo('\t');
        assertThat(CsvColumns.delimiter("tab")).isEqualTo('\t');
        assertThat(CsvColumns.delimiter(";")).isEqualTo(';');
        for (String bad : new String[] {"", ",,", "\"", "\n"}) {
            assertThatThrownBy(() -> CsvColumns.delimiter(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("delimiter");
        }
    }

    // ---- bad files: file, line and column in every message -----------------------------------------

    private void refused(String text, String... expected) throws IOException {
        Path f = write("bad.csv", text);
        assertThatThrownBy(() -> classify(f, f)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContainingAll(expected);
    }

    @Test
    void aValueThatIsNotANumberNamesLineAndColumn() throws IOException {
        refused("a,b,label\n1,2,x\n\n3,abc,y\n", ":4: column \"b\": \"abc\" is not a number");
        refused("a,b,label\n1,2,x\n3,NaN,y\n", ":3: column \"b\": \"NaN\" is not a number");
        refused("a,b,label\n1,2,x\n3,1e99,y\n", ":3: column \"b\": \"1e99\" is not a number");
    }

    @Test
    void aMultiLineQuotedFieldCountsItsLines() throws IOException {
        refused("a,label\n1,\"two\nlines\"\nz,y\n", ":4: column \"a\": \"z\" is not a number");
    }

    @Test
    void aRaggedRowNamesLineAndColumn() throws IOException {
        refused("a,b,label\n1,2,x\n3,4\n", ":3: 2 fields where the header has 3 (no value for column \"label\")");
        refused("a,b,label\n1,2,x,9\n", ":2: 4 fields where the header has 3 (a value past the last column \"label\")");
    }

    @Test
    void aMissingValueNamesLineAndColumn() throws IOException {
        refused("a,b,label\n1,2,x\n, 3,y\n", ":3: column \"a\": missing value");
        refused("a,b,label\n1,2,x\n1,3,\n", ":3: column \"label\": missing value");
        refused("a,b,label\n1,2,x\n1,\"  \",z\n", ":3: column \"b\": missing value");
    }

    @Test
    void aRegressionTargetThatIsNotANumberIsNamed() throws IOException {
        Path f = write("r.csv", "a,y\n1,2\n2,high\n");
        assertThatThrownBy(() -> load(f, f, CsvColumns.defaults(), Task.REGRESS)).isInstanceOf(DataException.class)
                .hasMessage(f + ":3: column \"y\": \"high\" is not a number (a regression target must be one)");
    }

    @Test
    void emptyFilesAndHeaderOnlyFilesAreRefused() throws IOException {
        refused("", "empty file");
        refused("\n\n", "empty file");
        refused("a,b,label\n", ": no data rows after the header (line 1)");
    }

    @Test
    void namedColumnsMustExistOnceAndLeaveAFeature() throws IOException {
        Path f = write("n.csv", "a,b,a,label\n1,2,3,x\n");
        assertThatThrownBy(() -> load(f, f, new CsvColumns("species", null, true, ','), Task.CLASSIFY))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(f + ":1: no label column \"species\" (the columns: \"a\", \"b\", \"a\", \"label\")");
        assertThatThrownBy(() -> load(f, f, new CsvColumns(null, List.of("zz"), true, ','), Task.CLASSIFY))
                .hasMessageContaining(f + ":1: no feature column \"zz\"");
        assertThatThrownBy(() -> load(f, f, new CsvColumns(null, List.of("a"), true, ','), Task.CLASSIFY))
                .hasMessageContaining("names the feature column \"a\" twice");
        assertThatThrownBy(() -> load(f, f, new CsvColumns(null, List.of("b", "b"), true, ','), Task.CLASSIFY))
                .hasMessageContaining("\"b\" is listed twice");
        assertThatThrownBy(() -> load(f, f, new CsvColumns(null, List.of("label"), true, ','), Task.CLASSIFY))
                .hasMessageContaining("\"label\" is the label; it cannot be a feature too");
        assertThatThrownBy(() -> load(f, f, new CsvColumns("9", null, true, ','), Task.CLASSIFY))
                .hasMessageContaining("label column index 9 is out of range: there are 4 columns");
        Path single = write("single.csv", "label\nx\n");
        assertThatThrownBy(() -> classify(single, single)).hasMessageContaining("no feature columns");
    }

    @Test
    void aBrokenGzipStreamIsNamed() throws IOException {
        Path gz = dir.resolve("cut.csv.gz");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(IRIS.getBytes(StandardCharsets.UTF_8));
            Random r = new Random(1);
            for (int i = 0; i < 20_000; i++) {
                out.write((r.nextInt() + "," + r.nextInt() + ",setosa\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] all = bytes.toByteArray();
        Files.write(gz, Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> classify(gz, gz)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(gz + ": unreadable");
    }
}
