package dev.thinj.train.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictionScatterPlotTest {
    @TempDir
    Path dir;

    private static float[][] data(int rows, int width, long seed) {
        Random random = new Random(seed);
        float[] truth = new float[rows * width];
        float[] predicted = new float[rows * width];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = (float) (random.nextGaussian() * 10 + 3);
            predicted[i] = truth[i] + (float) random.nextGaussian();
        }
        return new float[][] {truth, predicted};
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {1, 3, 8})
    void aPngOfTheDocumentedSizeIsWrittenAtomically(int width) throws Exception {
        float[][] d = data(500, width, width);
        Path png = dir.resolve("predictions.png");
        PredictionScatterPlot.write(d[0], d[1], width, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(PredictionScatterPlot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(PredictionScatterPlot.HEIGHT);
        assertThat(files()).containsExactly("predictions.png");
    }

    @Test
    void manyRowsAreThinnedAndConstantValuesStillPlot() throws Exception {
        float[][] d = data(60_000, 2, 5);
        PredictionScatterPlot.write(d[0], d[1], 2, dir.resolve("many.png"));
        PredictionScatterPlot.write(new float[] {4, 4, 4}, new float[] {4, 4, 4}, 1, dir.resolve("flat.png"));
        assertThat(ImageIO.read(dir.resolve("many.png").toFile())).isNotNull();
        assertThat(ImageIO.read(dir.resolve("flat.png").toFile())).isNotNull();
        assertThat(files()).containsExactly("flat.png", "many.png");
    }

    @Test
    void theSampleIsEvenlySpacedDeterministicAndBounded() {
        assertThat(PredictionScatterPlot.sampleRows(5, 10)).containsExactly(0, 1, 2, 3, 4);
        assertThat(PredictionScatterPlot.sampleRows(10, 4)).containsExactly(0, 2, 5, 7);
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            int count = 1 + random.nextInt(Integer.MAX_VALUE - 1);
            int max = 1 + random.nextInt(20_000);
            int[] rows = PredictionScatterPlot.sampleRows(count, max);
            assertThat(rows.length).as("seed " + seed).isEqualTo(Math.min(count, max));
            assertThat(rows[0]).as("seed " + seed).isZero();
            for (int i = 1; i < rows.length; i++) {
                assertThat(rows[i]).as("seed " + seed + ", row " + i).isGreaterThan(rows[i - 1]);
            }
            assertThat(rows[rows.length - 1]).as("seed " + seed).isLessThan(count);
            assertThat(PredictionScatterPlot.sampleRows(count, max)).as("seed " + seed).containsExactly(rows);
        }
    }

    @Test
    void badInputIsNamedAndNothingIsWritten() throws Exception {
        Path png = dir.resolve("p.png");
        assertThatThrownBy(() -> PredictionScatterPlot.write(new float[] {1, Float.NaN}, new float[] {1, 2}, 1, png))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truth row 1, output 0 is NaN");
        assertThatThrownBy(() -> PredictionScatterPlot.write(new float[] {1, 2}, new float[] {1, 2, 3}, 1, png))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truth has 2 values but predicted has 3");
        Path file = Files.writeString(dir.resolve("out"), "x");
        assertThatThrownBy(() -> PredictionScatterPlot.write(new float[] {1, 2}, new float[] {1, 2}, 1, file.resolve("p.png")))
                .isInstanceOf(OutputFileException.class).hasMessageContaining(file.resolve("p.png").toString());
        assertThat(files()).containsExactly("out");
    }
}
