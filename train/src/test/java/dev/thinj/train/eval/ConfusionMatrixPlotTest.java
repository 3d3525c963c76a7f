package dev.thinj.train.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixPlotTest {
    @TempDir
    Path dir;

    private static ClassificationReport random(int k, int n, long seed) {
        Random random = new Random(seed);
        int[] truth = new int[n];
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextInt(k);
            predicted[i] = random.nextDouble() < 0.7 ? truth[i] : random.nextInt(k);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add(c % 7 == 3 ? "a rather long class name, number " + c : "class " + c);
        }
        return ClassificationReport.of(truth, predicted, names);
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void twoClassesMakeAPngOfTheDocumentedSizeWithFullCellsInTheDarkestColour() throws Exception {
        // A perfect classifier: both diagonal cells hold their row's whole share, drawn in the darkest colour.
        ClassificationReport r = ClassificationReport.of(new int[] {0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 1},
                List.of("no", "yes"));
        Path png = dir.resolve("confusion.png");
        ConfusionMatrixPlot.write(r, png);
        BufferedImage image = ImageIO.read(png.toFile());
        int[] size = ConfusionMatrixPlot.size(r);
        assertThat(image.getWidth()).isEqualTo(size[0]);
        assertThat(image.getHeight()).isEqualTo(size[1]);
        // 360 px of matrix at least, plus the labels, the title and the legend
        assertThat(size[0]).isBetween(500, 700);
        long darkest = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                darkest += (image.getRGB(x, y) & 0xFFFFFF) == 0x08306B ? 1 : 0;
            }
        }
        // two cells of about 200 x 200 px, less the count written in them (the legend's strip adds a little)
        assertThat(darkest).isBetween(2L * 170 * 170, 2L * 230 * 230);
        assertThat(files()).containsExactly("confusion.png");
    }

    @Test
    void fiftyClassesWithLongNamesStayReadable() throws Exception {
        ClassificationReport r = random(50, 5000, 7);
        Path png = dir.resolve("confusion.png");
        ConfusionMatrixPlot.write(r, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(ConfusionMatrixPlot.size(r)[0]).isBetween(1600, 2000);
        assertThat(image.getHeight()).isEqualTo(ConfusionMatrixPlot.size(r)[1]);
        assertThat(files()).containsExactly("confusion.png");
    }

    @Test
    void oneClassAndAClassNeverSeenStillDraw() throws Exception {
        ConfusionMatrixPlot.write(ClassificationReport.of(new int[] {0, 0}, new int[] {0, 0}, List.of("only")),
                dir.resolve("one.png"));
        ConfusionMatrixPlot.write(ClassificationReport.of(new int[] {0, 1}, new int[] {1, 1}, List.of("a", "b", "never")),
                dir.resolve("three.png"));
        assertThat(ImageIO.read(dir.resolve("one.png").toFile())).isNotNull();
        assertThat(ImageIO.read(dir.resolve("three.png").toFile())).isNotNull();
        assertThat(files()).containsExactly("one.png", "three.png");
    }

    @Test
    void anExistingPlotIsReplaced() throws Exception {
        Path png = dir.resolve("confusion.png");
        Files.writeString(png, "old");
        ConfusionMatrixPlot.write(random(3, 30, 1), png);
        assertThat(ImageIO.read(png.toFile())).isNotNull();
        assertThat(files()).containsExactly("confusion.png");
    }

    @Test
    void aFolderThatIsAFileIsNamedAndNothingIsLeft() throws Exception {
        Path file = dir.resolve("runs");
        Files.writeString(file, "not a folder");
        Path png = file.resolve("confusion.png");
        assertThatThrownBy(() -> ConfusionMatrixPlot.write(random(3, 30, 1), png))
                .isInstanceOf(OutputFileException.class)
                .hasMessageContaining(png.toString())
                .hasMessageContaining("is a file");
        assertThat(files()).containsExactly("runs");
        assertThat(Files.readString(file)).isEqualTo("not a folder");
    }

    @Test
    void aTargetThatIsAFolderIsRefused() throws Exception {
        Path png = Files.createDirectory(dir.resolve("confusion.png"));
        assertThatThrownBy(() -> ConfusionMatrixPlot.write(random(3, 30, 1), png))
                .isInstanceOf(OutputFileException.class)
                .hasMessageContaining(png + ": it is a folder");
        assertThat(Files.isDirectory(png)).isTrue();
        assertThat(files()).containsExactly("confusion.png");
    }

    @Test
    void aMissingFolderIsNamed() {
        Path png = dir.resolve("no/such/confusion.png");
        assertThatThrownBy(() -> ConfusionMatrixPlot.write(random(3, 30, 1), png))
                .isInstanceOf(OutputFileException.class)
                .hasMessageContaining(png.toString())
                .hasMessageContaining("does not exist");
    }
}
