package dev.thinj.train.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionWriterTest {
    private static final List<String> NAMES = List.of("cat", "dog, big", "say \"eel\"");

    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void labelsAreTheArgmaxNamesQuotedWhenNeededAndTiesGoToTheLowestIndex() throws Exception {
        Path csv = dir.resolve("predictions.csv");
        try (PredictionWriter out = PredictionWriter.classification(csv, NAMES, false)) {
            out.write(new float[] {0.1f, 0.7f, 0.2f, 0.5f, 0.1f, 0.5f}, 2, 3);
            out.write(new float[] {0, 0, 1, 9, 9, 9}, 1, 3);  // only the first row of the buffer
            assertThat(out.rows()).isEqualTo(3);
        }
        assertThat(Files.readAllLines(csv)).containsExactly("label", "\"dog, big\"", "cat", "\"say \"\"eel\"\"\"");
        assertThat(files()).containsExactly("predictions.csv");
    }

    @Test
    void probabilitiesGetOneColumnPerClassWhateverTheLocale() throws Exception {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            Path csv = dir.resolve("p.csv");
            try (PredictionWriter out = PredictionWriter.classification(csv, NAMES, true)) {
                out.write(new float[] {0.25f, 0.125f, 0.625f, 1e-8f, 0.5f, 0.5f}, 2, 3);
            }
            assertThat(Files.readString(csv)).isEqualTo(
                    "label,p_cat,\"p_dog, big\",\"p_say \"\"eel\"\"\"\n"
                    + "\"say \"\"eel\"\"\",0.25,0.125,0.625\n"
                    + "\"dog, big\",1.0E-8,0.5,0.5\n");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void regressionWritesTheValues() throws Exception {
        Path one = dir.resolve("one.csv");
        try (PredictionWriter out = PredictionWriter.regression(one, 1)) {
            out.write(new float[] {1.5f, -2f, 3e10f, 0.1f}, 4, 1);
        }
        List<String> lines = Files.readAllLines(one);
        assertThat(lines.subList(0, 3)).containsExactly("prediction", "1.5", "-2.0");
        // Java 17's Float.toString is not always the shortest decimal (3.0000001E10), but it reads back exactly.
        assertThat(Float.parseFloat(lines.get(3))).isEqualTo(3e10f);
        assertThat(lines.get(4)).isEqualTo("0.1");
        Path three = dir.resolve("three.csv");
        try (PredictionWriter out = PredictionWriter.regression(three, 3)) {
            out.write(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        }
        assertThat(Files.readAllLines(three)).containsExactly("prediction_0,prediction_1,prediction_2", "1.0,2.0,3.0",
                "4.0,5.0,6.0");
        assertThatThrownBy(() -> PredictionWriter.regression(dir.resolve("zero.csv"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThat(files()).containsExactly("one.csv", "three.csv");
    }

    @Test
    void anEmptyInputGivesTheHeaderAlone() throws Exception {
        Path csv = dir.resolve("empty.csv");
        PredictionWriter.regression(csv, 2).close();
        assertThat(Files.readString(csv)).isEqualTo("prediction_0,prediction_1\n");
    }

    @Test
    void aWriterIsFlushedButNotClosed() throws Exception {
        boolean[] closed = {false};
        StringWriter text = new StringWriter();
        Writer target = new Writer() {
            @Override
            public void write(char[] c, int off, int len) {
                text.write(c, off, len);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (PredictionWriter out = PredictionWriter.classification(target, List.of("no", "yes"), false)) {
            out.write(new float[] {0.2f, 0.8f}, 1, 2);
        }
        assertThat(text.toString()).isEqualTo("label\nyes\n");
        assertThat(closed[0]).isFalse();
    }

    @Test
    void aNullPathWritesToStandardOutput() {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (PredictionWriter out = PredictionWriter.classification((Path) null, List.of("ø", "yes"), false)) {
            out.write(new float[] {0.9f, 0.1f}, 1, 2);
        } finally {
            System.setOut(saved);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("label\nø\n");
    }

    @Test
    void aPrintWriterThatFailedIsReportedAtClose() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] c, int off, int len) throws IOException {
                throw new IOException("pipe closed");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        PredictionWriter out = PredictionWriter.regression(new PrintWriter(broken), 1);
        out.write(new float[] {1}, 1, 1);
        assertThatThrownBy(out::close).isInstanceOf(OutputFileException.class)
                .hasMessageContaining("Cannot write predictions to the output");
    }

    @Test
    void abortLeavesNoFileAndKeepsAnExistingOne() throws Exception {
        Path csv = dir.resolve("predictions.csv");
        PredictionWriter out = PredictionWriter.classification(csv, NAMES, false);
        out.write(new float[] {1, 0, 0}, 1, 3);
        out.abort();
        out.close();  // after abort: nothing
        assertThat(files()).isEmpty();

        Files.writeString(csv, "old\n");
        try (PredictionWriter again = PredictionWriter.classification(csv, NAMES, false)) {
            again.write(new float[] {1, 0, 0}, 1, 3);
            again.abort();
        }
        assertThat(Files.readString(csv)).isEqualTo("old\n");
        assertThat(files()).containsExactly("predictions.csv");
        assertThatThrownBy(() -> out.write(new float[] {1, 0, 0}, 1, 3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(csv.toString());
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenTheNewOneIsComplete() throws Exception {
        Path csv = dir.resolve("predictions.csv");
        Files.writeString(csv, "old\n");
        try (PredictionWriter out = PredictionWriter.regression(csv, 1)) {
            out.write(new float[] {1, 2}, 2, 1);
            assertThat(Files.readString(csv)).isEqualTo("old\n");
        }
        assertThat(Files.readAllLines(csv)).containsExactly("prediction", "1.0", "2.0");
        assertThat(files()).containsExactly("predictions.csv");
    }

    @Test
    void aWidthMismatchNamesBothNumbersAndTheFileIsDiscarded() throws Exception {
        Path csv = dir.resolve("predictions.csv");
        try (PredictionWriter out = PredictionWriter.classification(csv, NAMES, false)) {
            out.write(new float[] {1, 0, 0}, 1, 3);
            assertThatThrownBy(() -> out.write(new float[] {1, 0, 0, 0}, 1, 4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4 outputs per row").hasMessageContaining("3 class names");
        }
        // The failed write marked the writer failed: the close discarded the half file.
        assertThat(files()).isEmpty();
        try (PredictionWriter out = PredictionWriter.regression(csv, 2)) {
            assertThatThrownBy(() -> out.write(new float[] {1, 2, 3}, 1, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3").hasMessageContaining("2");
        }
        try (PredictionWriter out = PredictionWriter.regression(csv, 2)) {
            assertThatThrownBy(() -> out.write(new float[] {1, 2, 3}, 2, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 rows of 2 outputs do not fit in 3");
        }
        assertThat(files()).isEmpty();
    }

    @Test
    void aNanOutputCannotPickALabel() throws Exception {
        Path csv = dir.resolve("predictions.csv");
        try (PredictionWriter out = PredictionWriter.classification(csv, NAMES, false)) {
            out.write(new float[] {1, 0, 0}, 1, 3);
            assertThatThrownBy(() -> out.write(new float[] {0, 0, 1, 0, Float.NaN, 1}, 2, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Input row 3")
                    .hasMessageContaining("output 1 is NaN");
        }
        assertThat(files()).isEmpty();
    }

    @Test
    void badNamesAreRefused() {
        assertThatThrownBy(() -> PredictionWriter.classification(dir.resolve("p.csv"), List.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PredictionWriter.classification(dir.resolve("p.csv"), List.of("a", "a"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"a\" appears twice");
    }

    @Test
    void aFolderThatIsAFileIsNamedAndNothingIsLeft() throws Exception {
        Path file = Files.writeString(dir.resolve("out"), "x");
        Path csv = file.resolve("predictions.csv");
        assertThatThrownBy(() -> PredictionWriter.regression(csv, 1))
                .isInstanceOf(OutputFileException.class)
                .hasMessageContaining("Cannot write predictions " + csv)
                .hasMessageContaining("is a file");
        Path folder = Files.createDirectory(dir.resolve("predictions.csv"));
        assertThatThrownBy(() -> PredictionWriter.regression(folder, 1))
                .isInstanceOf(OutputFileException.class).hasMessageContaining("it is a folder");
        assertThat(files()).containsExactly("out", "predictions.csv");
    }

    /** Rows reach the disk while writing: nothing holds the whole output in memory. */
    @Test
    void rowsStreamToTheTemporaryFileBeforeClose() throws Exception {
        Path csv = dir.resolve("big.csv");
        float[] batch = new float[1000 * 3];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = i % 7;
        }
        try (PredictionWriter out = PredictionWriter.classification(csv, NAMES, true)) {
            for (int b = 0; b < 100; b++) {
                out.write(batch, 1000, 3);
            }
            List<String> temp = files();
            assertThat(temp).hasSize(1);
            assertThat(temp.get(0)).startsWith(".big.csv.").endsWith(".tmp");
            // 100,000 rows of ~ 25 bytes: all but the last buffer (64 KiB) is on disk already.
            assertThat(Files.size(dir.resolve(temp.get(0)))).isGreaterThan(2_000_000);
            assertThat(Files.exists(csv)).isFalse();
        }
        try (Stream<String> lines = Files.lines(csv)) {
            assertThat(lines.count()).isEqualTo(100_001);
        }
        assertThat(files()).containsExactly("big.csv");
    }

    /** The file gets the permissions a plain write would give it (the umask), not a temporary file's rw-------. */
    @Test
    void theFileHasTheUsualPermissions() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path csv = dir.resolve("p.csv");
        PredictionWriter.regression(csv, 1).close();
        EvaluationJson.write(RegressionReport.of(new float[] {1}, new float[] {1}, 1), dir.resolve("e.json"));
        assertThat(Files.getPosixFilePermissions(csv)).isEqualTo(Files.getPosixFilePermissions(plain));
        assertThat(Files.getPosixFilePermissions(dir.resolve("e.json"))).isEqualTo(Files.getPosixFilePermissions(plain));
    }
}
